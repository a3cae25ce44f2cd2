// The operator API's half of the edge check for U+0000 (../nul.ts): its query, path and body
// go to SQL too (GET /_todoku/mail?to=%00 answered 500 on PostgreSQL, issue 13 #4).
import type { FastifyInstance } from 'fastify';
import { findNul } from '../nul.js';
import { requireAdminBasic, type BasicCredentials } from './auth.js';
import { isOperatorRequest, sendOperatorError } from './errors.js';

export function registerOperatorNulCheck(app: FastifyInstance, creds: BasicCredentials): void {
  app.addHook('preHandler', async (req, reply) => {
    if (!isOperatorRequest(req)) return;
    const field = findNul(req.params) ?? findNul(req.query) ?? (typeof req.body === 'object' ? findNul(req.body) : undefined);
    if (field === undefined) return;
    // Credentials first, as every operator route checks them: a caller without them learns
    // nothing about what the route would accept.
    if (!requireAdminBasic(req, reply, creds)) return reply;
    return sendOperatorError(reply, 400, 'InvalidParameter', `${field} must not contain the character U+0000.`, field);
  });
}
