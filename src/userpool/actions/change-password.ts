import type { ChangePasswordRequest, ChangePasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { PASSWORD_RULE, optionalString, requireString, type StringRule } from '../validate.js';
import { accessFromInput } from '../access.js';
import { InvalidParameterException, LimitExceededException, NotAuthorizedException } from '../errors.js';
import { checkPasswordPolicy } from '../passwords.js';
import { NO_FAILURES, isLockedOut } from '../lockout.js';
import { recordFailedPassword } from '../sign-in.js';

const CHANGE_PASSWORD_RULE: StringRule = { ...PASSWORD_RULE, pattern: /^[\S]+$/u, patternText: '[\\S]+' };

/**
 * The signed-in user replaces their password. Wrong guesses of the previous password
 * count toward the same lockout as sign-in. Other sessions stay signed in, as in Cognito.
 */
export const changePassword: Action<ChangePasswordRequest, Wire<ChangePasswordResponse>, 'config' | 'store' | 'clock' | 'passwords' | 'tokens'> = {
  name: 'ChangePassword',
  auth: 'public',
  category: 'UserAccount',
  async run(deps, input) {
    const previous = optionalString(input, 'PreviousPassword', CHANGE_PASSWORD_RULE);
    const proposed = requireString(input, 'ProposedPassword', CHANGE_PASSWORD_RULE);
    const { user, pool } = await accessFromInput(deps, input);

    if (isLockedOut(user, deps.clock.nowMs())) throw new LimitExceededException('Attempt limit exceeded, please try after some time.');
    // Cognito: PreviousPassword may be left out only by users who have no password (passwordless sign-in).
    if (user.passwordHash !== null) {
      if (previous === undefined) throw new InvalidParameterException('PreviousPassword is required: the user has a password.');
      if (!(await deps.passwords.verify(user.passwordHash, previous))) {
        await recordFailedPassword(deps, user.sub, pool.id);
        throw new NotAuthorizedException('Incorrect username or password.');
      }
    }
    checkPasswordPolicy(proposed, pool.settings.Policies.PasswordPolicy);
    const passwordHash = await deps.passwords.hash(proposed);
    const nowMs = deps.clock.nowMs();
    await deps.store.transaction((tx) => tx.users.updateUser(user.sub, { passwordHash, ...NO_FAILURES, updatedAtMs: nowMs }));
    return {};
  },
};
