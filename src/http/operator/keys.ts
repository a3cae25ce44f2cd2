// Token signing keys for operators: GET lists them (dates only), POST …/rotate publishes a
// new key that starts signing after the pre-publication overlap (tokens/keyring.ts).
import type { FastifyInstance } from 'fastify';
import type { Keyring } from '../../tokens/keyring.js';
import { requireAdminBasic, type BasicCredentials } from './auth.js';

export function registerKeyRoutes(app: FastifyInstance, keyring: Keyring, admin: BasicCredentials): void {
  app.get('/_todoku/api/signing-keys', async (req, reply) => {
    if (!requireAdminBasic(req, reply, admin)) return reply;
    return { keys: await keyring.describe() };
  });

  app.post('/_todoku/api/signing-keys/rotate', async (req, reply) => {
    if (!requireAdminBasic(req, reply, admin)) return reply;
    const { kid, signsFromMs } = await keyring.rotate();
    return reply.code(201).send({ kid, signsFrom: new Date(signsFromMs).toISOString(), keys: await keyring.describe() });
  });
}
