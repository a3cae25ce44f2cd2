// Every implemented operation, keyed by its wire name. Add one line per new action file.
import type { AnyAction } from './types.js';
import { signUp } from './sign-up.js';
import { initiateAuth } from './initiate-auth.js';
import { adminInitiateAuth } from './admin-initiate-auth.js';
import { respondToAuthChallenge } from './respond-to-auth-challenge.js';
import { adminRespondToAuthChallenge } from './admin-respond-to-auth-challenge.js';
import { getTokensFromRefreshToken } from './get-tokens-from-refresh-token.js';
import { revokeToken } from './revoke-token.js';
import { globalSignOut } from './global-sign-out.js';
import { adminUserGlobalSignOut } from './admin-user-global-sign-out.js';
import { getUser } from './get-user.js';
import { deleteUser } from './delete-user.js';
import { changePassword } from './change-password.js';
import { adminCreateUser } from './admin-create-user.js';
import { adminGetUser } from './admin-get-user.js';
import { adminDeleteUser } from './admin-delete-user.js';
import { adminConfirmSignUp } from './admin-confirm-sign-up.js';
import { adminSetUserPassword } from './admin-set-user-password.js';
import { adminUpdateUserAttributes } from './admin-update-user-attributes.js';
import { adminDisableUser } from './admin-disable-user.js';
import { adminEnableUser } from './admin-enable-user.js';
import { adminResetUserPassword } from './admin-reset-user-password.js';
import { listUsers } from './list-users.js';
import { confirmSignUp } from './confirm-sign-up.js';
import { resendConfirmationCode } from './resend-confirmation-code.js';
import { forgotPassword } from './forgot-password.js';
import { confirmForgotPassword } from './confirm-forgot-password.js';
import { updateUserAttributes } from './update-user-attributes.js';
import { getUserAttributeVerificationCode } from './get-user-attribute-verification-code.js';
import { verifyUserAttribute } from './verify-user-attribute.js';
import { createUserPool } from './create-user-pool.js';
import { describeUserPool } from './describe-user-pool.js';
import { updateUserPool } from './update-user-pool.js';
import { deleteUserPool } from './delete-user-pool.js';
import { listUserPools } from './list-user-pools.js';
import { createUserPoolClient } from './create-user-pool-client.js';
import { describeUserPoolClient } from './describe-user-pool-client.js';
import { updateUserPoolClient } from './update-user-pool-client.js';
import { deleteUserPoolClient } from './delete-user-pool-client.js';
import { listUserPoolClients } from './list-user-pool-clients.js';

const all: AnyAction[] = [
  signUp,
  initiateAuth,
  adminInitiateAuth,
  respondToAuthChallenge,
  adminRespondToAuthChallenge,
  getTokensFromRefreshToken,
  revokeToken,
  globalSignOut,
  adminUserGlobalSignOut,
  getUser,
  deleteUser,
  changePassword,
  adminCreateUser,
  adminGetUser,
  adminDeleteUser,
  adminConfirmSignUp,
  adminSetUserPassword,
  adminUpdateUserAttributes,
  adminDisableUser,
  adminEnableUser,
  adminResetUserPassword,
  listUsers,
  confirmSignUp,
  resendConfirmationCode,
  forgotPassword,
  confirmForgotPassword,
  updateUserAttributes,
  getUserAttributeVerificationCode,
  verifyUserAttribute,
  createUserPool,
  describeUserPool,
  updateUserPool,
  deleteUserPool,
  listUserPools,
  createUserPoolClient,
  describeUserPoolClient,
  updateUserPoolClient,
  deleteUserPoolClient,
  listUserPoolClients,
  // ACTIONS: keep one line per action, in any order.
];

export const actions: ReadonlyMap<string, AnyAction> = new Map(all.map((a) => [a.name, a]));

/** Cognito operations todoku knows of but does not implement: answered with a clear error. */
export const KNOWN_COGNITO_OPERATIONS: ReadonlySet<string> = new Set(
  `AddCustomAttributes AdminAddUserToGroup AdminConfirmSignUp AdminCreateUser AdminDeleteUser AdminDeleteUserAttributes
  AdminDisableProviderForUser AdminDisableUser AdminEnableUser AdminForgetDevice AdminGetDevice AdminGetUser
  AdminInitiateAuth AdminLinkProviderForUser AdminListDevices AdminListGroupsForUser AdminListUserAuthEvents
  AdminRemoveUserFromGroup AdminResetUserPassword AdminRespondToAuthChallenge AdminSetUserMFAPreference
  AdminSetUserPassword AdminSetUserSettings AdminUpdateAuthEventFeedback AdminUpdateDeviceStatus
  AdminUpdateUserAttributes AdminUserGlobalSignOut AssociateSoftwareToken ChangePassword CompleteWebAuthnRegistration
  ConfirmDevice ConfirmForgotPassword ConfirmSignUp CreateGroup CreateIdentityProvider CreateManagedLoginBranding
  CreateResourceServer CreateTerms CreateUserImportJob CreateUserPool CreateUserPoolClient CreateUserPoolDomain DeleteGroup
  DeleteIdentityProvider DeleteManagedLoginBranding DeleteResourceServer DeleteTerms DeleteUser DeleteUserAttributes
  DeleteUserPool DeleteUserPoolClient DeleteUserPoolDomain DeleteWebAuthnCredential DescribeIdentityProvider
  DescribeManagedLoginBranding DescribeManagedLoginBrandingByClient DescribeResourceServer DescribeRiskConfiguration
  DescribeTerms DescribeUserImportJob DescribeUserPool DescribeUserPoolClient DescribeUserPoolDomain ForgetDevice
  ForgotPassword GetCSVHeader GetDevice GetGroup GetIdentityProviderByIdentifier GetLogDeliveryConfiguration
  GetSigningCertificate GetTokensFromRefreshToken GetUICustomization GetUser GetUserAttributeVerificationCode
  GetUserAuthFactors GetUserPoolMfaConfig GlobalSignOut InitiateAuth ListDevices ListGroups ListIdentityProviders
  ListResourceServers ListTagsForResource ListTerms ListUserImportJobs ListUserPoolClients ListUserPools ListUsers
  ListUsersInGroup ListWebAuthnCredentials ResendConfirmationCode RespondToAuthChallenge RevokeToken
  SetLogDeliveryConfiguration SetRiskConfiguration SetUICustomization SetUserMFAPreference SetUserPoolMfaConfig
  SetUserSettings SignUp StartUserImportJob StartWebAuthnRegistration StopUserImportJob TagResource UntagResource
  UpdateAuthEventFeedback UpdateDeviceStatus UpdateGroup UpdateIdentityProvider UpdateManagedLoginBranding
  UpdateResourceServer UpdateTerms UpdateUserAttributes UpdateUserPool UpdateUserPoolClient UpdateUserPoolDomain
  VerifySoftwareToken VerifyUserAttribute`.split(/\s+/),
);
