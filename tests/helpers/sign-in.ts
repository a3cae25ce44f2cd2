// Shared set-up for the sign-in and session tests: confirmed users made quickly
// (SignUp + AdminConfirmSignUp), sign-in helpers, and aws-jwt-verify verifiers that
// check our tokens exactly as an app's backend would.
import {
  AdminConfirmSignUpCommand,
  InitiateAuthCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import type { TestServer } from './server.js';
import { PASSWORD, signUp } from './self-service.js';

export { PASSWORD, NEW_PASSWORD, createClient, createPool, expectError, signUp, startServer, storedUser } from './self-service.js';

/** A confirmed demo-pool user (email is the sign-in name there); returns the sub. */
export async function confirmedUser(srv: TestServer, email: string, poolId = srv.demo.poolId, clientId = srv.demo.clientId): Promise<string> {
  const sub = await signUp(srv, email, clientId);
  await srv.cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: email }));
  return sub;
}

/** USER_PASSWORD_AUTH; returns the AuthenticationResult. */
export async function passwordSignIn(
  srv: TestServer,
  username: string,
  password = PASSWORD,
  clientId = srv.demo.clientId,
  extra: Record<string, string> = {},
): Promise<AuthenticationResultType> {
  const out = await srv.publicClient.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password, ...extra } }),
  );
  if (!out.AuthenticationResult) throw new Error(`expected tokens, got challenge ${out.ChallengeName}`);
  return out.AuthenticationResult;
}

/** The issuer our tokens carry: the public URL (http://localhost:<port>) and the pool id. */
export function issuerOf(srv: TestServer, poolId = srv.demo.poolId): string {
  return `${srv.server.publicUrl}/${poolId}`;
}

/**
 * aws-jwt-verify verifiers for a pool. It fetches JWKS only over HTTPS, so the JWKS is
 * fetched from our endpoint here and handed to it.
 */
export async function verifiers(srv: TestServer, poolId = srv.demo.poolId, clientId = srv.demo.clientId) {
  const res = await fetch(`${srv.url}/${poolId}/.well-known/jwks.json`);
  if (res.status !== 200) throw new Error(`JWKS → ${res.status}`);
  const jwks = (await res.json()) as Parameters<ReturnType<typeof JwtRsaVerifier.create>['cacheJwks']>[0];
  const issuer = issuerOf(srv, poolId);
  const jwksUri = `${issuer}/.well-known/jwks.json`;
  const idVerifier = JwtRsaVerifier.create({ issuer, jwksUri, audience: clientId, tokenUse: 'id' } as never);
  const accessVerifier = JwtRsaVerifier.create({ issuer, jwksUri, audience: null, tokenUse: 'access' } as never);
  idVerifier.cacheJwks(jwks);
  accessVerifier.cacheJwks(jwks);
  return {
    id: (token: string) => idVerifier.verify(token) as Promise<Record<string, unknown>>,
    access: (token: string) => accessVerifier.verify(token) as Promise<Record<string, unknown>>,
  };
}
