// cognito-local (npm `cognito-local`, the emulator most projects use for local Cognito) as a
// baseline for GetUser, measured with the same load client in the same run. It is never a
// dependency of todoku: installed on demand into .tmp/baselines/cognito-local (gitignored),
// started on a loopback port with its data dir in .tmp, set up through the AWS SDK.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';

export const COGNITO_LOCAL_VERSION = '5.3.0';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PREFIX = path.join(ROOT, '.tmp', 'baselines', 'cognito-local');
const PASSWORD = 'Bench-Passw0rd!';

export interface CognitoLocal {
  url: string;
  version: string;
  /** GetUser bodies, one per user, to be used in turn. */
  getUserBodies: string[];
  close(): Promise<void>;
}

function installedVersion(): string | undefined {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(PREFIX, 'node_modules', 'cognito-local', 'package.json'), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return undefined;
  }
}

/** Installs cognito-local into .tmp/baselines/cognito-local when it is missing (≈ 20 s, once). */
export function ensureCognitoLocal(progress: (m: string) => void): string {
  const found = installedVersion();
  if (found === COGNITO_LOCAL_VERSION) return found;
  progress(`installing cognito-local@${COGNITO_LOCAL_VERSION} into ${path.relative(ROOT, PREFIX)}`);
  fs.mkdirSync(PREFIX, { recursive: true });
  execFileSync('npm', ['install', '--prefix', PREFIX, `cognito-local@${COGNITO_LOCAL_VERSION}`, '--no-audit', '--no-fund', '--no-save'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 300_000,
  });
  const installed = installedVersion();
  if (installed !== COGNITO_LOCAL_VERSION) throw new Error(`cognito-local@${COGNITO_LOCAL_VERSION} did not install into ${PREFIX}`);
  return installed;
}

function startProcess(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const script = fileURLToPath(new URL('./cognito-local-server.cjs', import.meta.url));
  const child = spawn(process.execPath, [script, PREFIX], {
    cwd: dataDir,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('cognito-local did not start within 30 s'));
    }, 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      resolve({ child, port: (JSON.parse(line) as { port: number }).port });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`cognito-local exited with ${code} before listening`));
    });
  });
}

/** Starts cognito-local with a pool, a client and `users` confirmed users, each signed in once. */
export async function startCognitoLocal(users: number, progress: (m: string) => void): Promise<CognitoLocal> {
  const version = ensureCognitoLocal(progress);
  const dataDir = fs.mkdtempSync(path.join(PREFIX, 'run-'));
  const { child, port } = await startProcess(dataDir);
  const url = `http://127.0.0.1:${port}`;
  const close = async (): Promise<void> => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const sdk = new CognitoIdentityProviderClient({ endpoint: url, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const pool = await sdk.send(new CreateUserPoolCommand({ PoolName: 'bench', UsernameAttributes: ['email'] }));
    const poolId = pool.UserPool!.Id!;
    const client = await sdk.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'bench', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    );
    const clientId = client.UserPoolClient!.ClientId!;
    progress(`cognito-local ${version}: creating ${users} users`);
    const getUserBodies: string[] = [];
    for (let i = 0; i < users; i++) {
      const email = `user${i}@bench.example.jp`;
      await sdk.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: email,
          MessageAction: 'SUPPRESS',
          TemporaryPassword: PASSWORD,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
          ],
        }),
      );
      await sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: email, Password: PASSWORD, Permanent: true }));
      const auth = await sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }));
      getUserBodies.push(JSON.stringify({ AccessToken: auth.AuthenticationResult!.AccessToken! }));
    }
    sdk.destroy();
    return { url, version, getUserBodies, close };
  } catch (err) {
    await close();
    throw err;
  }
}
