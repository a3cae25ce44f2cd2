// SECRET_HASH: how a client with a secret proves, per request, that it holds the secret.
// https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html#cognito-user-pools-computing-secret-hash
import { createHmac } from 'node:crypto';
import { safeEqual } from '../core/compare.js';
import type { UserPoolClient } from './model.js';
import { NotAuthorizedException } from './errors.js';

/** SECRET_HASH = Base64(HMAC-SHA256(client secret, username + client id)). */
export function computeSecretHash(secret: string, username: string, clientId: string): string {
  return createHmac('sha256', secret).update(username + clientId, 'utf8').digest('base64');
}

/**
 * Clients with a secret must send SECRET_HASH computed over the name the caller used
 * (Cognito also accepts it over the user's internal username or sub).
 */
export function checkSecretHash(client: UserPoolClient, secretHash: string | undefined, ...usernames: (string | undefined)[]): void {
  if (client.secret === null) return;
  if (secretHash === undefined) {
    throw new NotAuthorizedException(`Client ${client.id} is configured with secret but SECRET_HASH was not received`);
  }
  const ok = usernames.some((u) => u !== undefined && safeEqual(computeSecretHash(client.secret!, u, client.id), secretHash));
  if (!ok) throw new NotAuthorizedException(`Unable to verify secret hash for client ${client.id}`);
}
