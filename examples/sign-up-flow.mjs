// The whole self-service flow against a running todoku with the unmodified AWS SDK:
// sign up a docomo legacy address, read the code from captured mail, confirm, sign in,
// refresh, change the password, reset it, sign out everywhere — and one mistake per step.
//
//   node examples/sign-up-flow.mjs [email]
//
// It finds the server at TODOKU_URL (default http://localhost:8990) and the admin key pair in
// TODOKU_ADMIN_ACCESS_KEY_ID / TODOKU_ADMIN_SECRET_ACCESS_KEY, else in TODOKU_SECRETS, else in
// the data dir of this checkout (data/secrets.json beside examples/, written by the first
// `npm start`) — so it runs from any directory. Each run signs up a new address unless one is given.
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import {
  CognitoIdentityProviderClient,
  SignUpCommand,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  ChangePasswordCommand,
  ForgotPasswordCommand,
  ConfirmForgotPasswordCommand,
  GlobalSignOutCommand,
  GetUserCommand,
  ListUserPoolsCommand,
  ListUserPoolClientsCommand,
} from '@aws-sdk/client-cognito-identity-provider';

const endpoint = process.env.TODOKU_URL ?? 'http://localhost:8990';

function adminCredentials() {
  if (process.env.TODOKU_ADMIN_ACCESS_KEY_ID && process.env.TODOKU_ADMIN_SECRET_ACCESS_KEY) {
    return { accessKeyId: process.env.TODOKU_ADMIN_ACCESS_KEY_ID, secretAccessKey: process.env.TODOKU_ADMIN_SECRET_ACCESS_KEY };
  }
  const file = process.env.TODOKU_SECRETS ?? new URL('../data/secrets.json', import.meta.url);
  let secrets;
  try {
    secrets = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    fail(`cannot read the admin credentials from ${file instanceof URL ? file.pathname : file} (${err.code ?? err.message}).\n` +
      'Start todoku once with `npm start` in this checkout, or set TODOKU_SECRETS or TODOKU_ADMIN_ACCESS_KEY_ID/TODOKU_ADMIN_SECRET_ACCESS_KEY.');
  }
  return { accessKeyId: secrets.adminAccessKeyId, secretAccessKey: secrets.adminSecretAccessKey };
}

function fail(message) {
  console.error(`sign-up-flow: ${message}`);
  process.exit(1);
}

// Anything unexpected ends the run with its name and message, not a stack trace.
function report(err) {
  const refused = [err, err?.cause, ...(err?.errors ?? []), ...(err?.cause?.errors ?? [])].some((e) => e?.code === 'ECONNREFUSED');
  if (refused) fail(`nothing answers at ${endpoint}: start todoku with \`npm start\` (or set TODOKU_URL).`);
  fail(`${err?.name ?? 'Error'}: ${err?.message ?? err}`);
}

const admin = adminCredentials();
const cognito = new CognitoIdentityProviderClient({ endpoint, region: 'ap-northeast-1', credentials: admin });

// A legacy docomo address (two dots in a row) with a fresh suffix, so the example runs again.
const email = process.argv[2] ?? `taro..yamada.${randomBytes(3).toString('hex')}@docomo.ne.jp`;
const basic = 'Basic ' + Buffer.from(`${admin.accessKeyId}:${admin.secretAccessKey}`).toString('base64');
async function latestCode(to) {
  const res = await fetch(`${endpoint}/_todoku/mail?to=${encodeURIComponent(to)}`, { headers: { authorization: basic } });
  if (!res.ok) fail(`GET /_todoku/mail answered ${res.status}: are these the credentials of the server at ${endpoint}?`);
  const [mail] = await res.json();
  if (!mail) fail(`no captured mail for ${to}: is the server in capture mode (TODOKU_MAIL_MODE=capture, the default)?`);
  console.log(`  mail: "${mail.subject}" → ${mail.to}`);
  return /(?<!\d)(\d{6})(?!\d)/.exec(mail.text)[1];
}
const step = (s) => console.log(`\n# ${s}`);
async function mistake(what, promise) {
  try {
    await promise;
    console.log(`  ${what}: (no error?!)`);
  } catch (err) {
    console.log(`  ${what}: ${err.name}: ${err.message}`);
  }
}

async function main() {
  const { UserPools } = await cognito.send(new ListUserPoolsCommand({ MaxResults: 10 }));
  const pool = UserPools.find((p) => p.Name === 'todoku-demo');
  if (!pool) fail('no pool named todoku-demo: start the server with TODOKU_DEMO=true (the default) on a new data dir.');
  const { UserPoolClients } = await cognito.send(new ListUserPoolClientsCommand({ UserPoolId: pool.Id, MaxResults: 10 }));
  const ClientId = UserPoolClients[0].ClientId;
  console.log(`pool ${pool.Id}, client ${ClientId}`);

  step(`SignUp ${email}`);
  const signUp = await cognito.send(new SignUpCommand({ ClientId, Username: email, Password: 'Passw0rd!' }));
  console.log(`  UserSub ${signUp.UserSub}, code sent to ${signUp.CodeDeliveryDetails.Destination}`);
  await mistake('same email again', cognito.send(new SignUpCommand({ ClientId, Username: email, Password: 'Passw0rd!' })));
  await mistake('weak password', cognito.send(new SignUpCommand({ ClientId, Username: 'x' + email, Password: 'password' })));

  step('ConfirmSignUp with the code from the captured mail');
  const code = await latestCode(email);
  await mistake('wrong code', cognito.send(new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: code === '000000' ? '111111' : '000000' })));
  await cognito.send(new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: code }));
  console.log('  confirmed');
  await mistake('the same code again', cognito.send(new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: code })));

  step('InitiateAuth USER_PASSWORD_AUTH');
  await mistake('wrong password', cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: 'Wr0ng!pass' } })));
  const auth = await cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: 'Passw0rd!' } }));
  const idClaims = JSON.parse(Buffer.from(auth.AuthenticationResult.IdToken.split('.')[1], 'base64url'));
  console.log(`  IdToken iss=${idClaims.iss} email=${idClaims.email} email_verified=${idClaims.email_verified}`);

  step('REFRESH_TOKEN_AUTH');
  const refreshed = await cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: auth.AuthenticationResult.RefreshToken } }));
  console.log(`  new AccessToken, expires in ${refreshed.AuthenticationResult.ExpiresIn} s`);
  await mistake('a made-up refresh token', cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: 'bm90LWEtdG9rZW4' } })));

  step('ChangePassword');
  const AccessToken = refreshed.AuthenticationResult.AccessToken;
  await mistake('wrong previous password', cognito.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: 'Wr0ng!pass', ProposedPassword: 'N3w-Passw0rd!' })));
  await cognito.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: 'Passw0rd!', ProposedPassword: 'N3w-Passw0rd!' }));
  console.log('  changed');

  step('ForgotPassword + ConfirmForgotPassword');
  await cognito.send(new ForgotPasswordCommand({ ClientId, Username: email }));
  const resetCode = await latestCode(email);
  await mistake('new password too short', cognito.send(new ConfirmForgotPasswordCommand({ ClientId, Username: email, ConfirmationCode: resetCode, Password: 'Sh0rt!' })));
  await cognito.send(new ConfirmForgotPasswordCommand({ ClientId, Username: email, ConfirmationCode: resetCode, Password: 'Reset-Passw0rd!' }));
  console.log('  reset');

  step('GlobalSignOut');
  await cognito.send(new GlobalSignOutCommand({ AccessToken }));
  console.log('  signed out everywhere');
  await mistake('GetUser with the old access token', cognito.send(new GetUserCommand({ AccessToken })));
  await mistake('refresh with the old refresh token', cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: auth.AuthenticationResult.RefreshToken } })));
  const again = await cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: 'Reset-Passw0rd!' } }));
  console.log(`  signed in again with the reset password: ${again.AuthenticationResult ? 'yes' : 'no'}`);
}

await main().catch(report);
