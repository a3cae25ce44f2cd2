// Cognito's JSON protocol: POST / with X-Amz-Target, x-amz-json-1.1 bodies, errors as
// 400 {__type, message} plus x-amzn-ErrorType / x-amzn-ErrorMessage, CORS as AWS sends it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { AnyAction, Deps } from '../../userpool/actions/types.js';
import { actions, KNOWN_COGNITO_OPERATIONS } from '../../userpool/actions/registry.js';
import {
  CognitoError,
  SerializationException,
  UnknownOperationException,
  UnsupportedOperationException,
} from '../../userpool/errors.js';
import { verifySigV4, type AdminCredentials } from './sigv4.js';
import { RateLimiter } from '../rate-limit.js';
import type { Clock } from '../../core/clock.js';
import { InvalidParameterException } from '../../userpool/errors.js';
import { findNul, NUL_CONSTRAINT } from '../nul.js';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const JSON_TYPES = ['application/x-amz-json-1.1', 'application/x-amz-json-1.0'];

export const CORS_EXPOSE = 'x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date';

/**
 * The final cap on x-amzn-ErrorMessage, whatever a message quotes: HTTP clients refuse large
 * headers (Node's parser stops at 16 KB with "Header overflow", and the AWS SDK then reports
 * that instead of the error), issue 13 #5. Messages cut quoted values already (validate.ts).
 */
export const ERROR_MESSAGE_HEADER_MAX_CHARS = 1024;

function errorMessageHeader(message: string): string {
  // Header values must be one line of Latin-1; the body keeps the full message.
  const line = message.replace(/[^\x20-\x7e]/g, '?');
  return line.length > ERROR_MESSAGE_HEADER_MAX_CHARS ? `${line.slice(0, ERROR_MESSAGE_HEADER_MAX_CHARS - 3)}...` : line;
}

export function sendCognitoError(reply: FastifyReply, err: CognitoError): FastifyReply {
  return reply
    .code(err.statusCode)
    .header('content-type', 'application/x-amz-json-1.1')
    .header('x-amzn-ErrorType', `${err.type}:`)
    .header('x-amzn-ErrorMessage', errorMessageHeader(err.message))
    .send(JSON.stringify({ __type: err.type, message: err.message }));
}

function resolveAction(target: string | undefined): AnyAction {
  if (!target) throw new UnknownOperationException('Missing X-Amz-Target header: expected AWSCognitoIdentityProviderService.<Operation>.');
  if (!target.startsWith(TARGET_PREFIX)) throw new UnknownOperationException(`Unknown X-Amz-Target "${target}".`);
  const name = target.slice(TARGET_PREFIX.length);
  const action = actions.get(name);
  if (action) return action;
  if (KNOWN_COGNITO_OPERATIONS.has(name)) {
    throw new UnsupportedOperationException(`${name} is a Cognito operation that todoku does not implement.`);
  }
  throw new UnknownOperationException(`Unknown operation ${name}.`);
}

export interface CognitoApiOptions {
  admin: AdminCredentials;
  /**
   * The real time, for SigV4 freshness: a signature's age is about the caller's real clock,
   * not todoku's injected one (tests move that forward to expire codes; AWS allows 5 minutes of skew).
   */
  wallClock: Clock;
}

export function registerCognitoApi(app: FastifyInstance, deps: Deps, { admin, wallClock }: CognitoApiOptions): void {
  const limiter = new RateLimiter(deps.store, deps.config.rateLimits, {
    onError: (err) => deps.log.error({ err }, 'writing rate-limit counters failed'),
  });
  // Hits counted but not yet written go to the database before it closes (the server closes
  // the app first), so the limits hold across a restart.
  app.addHook('onClose', async () => limiter.close());

  // Keep the body as text: SigV4 signs the exact bytes, and bad JSON must become a
  // SerializationException rather than Fastify's own error.
  for (const type of JSON_TYPES) {
    app.addContentTypeParser(type, { parseAs: 'string' }, (_req, body, done) => done(null, body));
  }

  app.options('/', async (req, reply) => {
    reply
      .header('access-control-allow-origin', '*')
      .header('access-control-allow-methods', 'POST')
      .header('access-control-allow-headers', req.headers['access-control-request-headers'] ?? 'content-type,x-amz-target,x-amz-user-agent')
      .header('access-control-max-age', '172800')
      .code(200)
      .send('');
  });

  app.post('/', async (req: FastifyRequest, reply: FastifyReply) => {
    const requestId = randomUUID();
    reply.header('x-amzn-RequestId', requestId).header('access-control-allow-origin', '*').header('access-control-expose-headers', CORS_EXPOSE);
    try {
      const action = resolveAction(req.headers['x-amz-target'] as string | undefined);
      const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!JSON_TYPES.includes(contentType)) {
        throw new SerializationException(`Content-Type must be application/x-amz-json-1.1, got "${contentType || 'none'}".`);
      }
      const body = typeof req.body === 'string' ? req.body : '';
      let input: unknown;
      try {
        input = body.length === 0 ? {} : JSON.parse(body);
      } catch {
        throw new SerializationException('The request body is not valid JSON.');
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new SerializationException('The request body must be a JSON object.');
      }
      const nowMs = deps.clock.nowMs();
      let signedByAdmin = false;
      if (action.auth === 'admin') {
        verifySigV4({ method: req.method, url: req.url, headers: req.headers, rawHeaders: req.raw.rawHeaders, body }, admin, wallClock.nowMs(), { region: deps.config.region });
        signedByAdmin = true;
      }
      // After the signature (an unsigned admin call learns nothing about its body), before
      // any action reads the input (issue 13 #4).
      const nulAt = findNul(input);
      if (nulAt !== undefined) {
        throw new InvalidParameterException(`1 validation error detected: Value at '${nulAt}' failed to satisfy constraint: ${NUL_CONSTRAINT}`);
      }
      await limiter.check(action.category, req.ip, nowMs);
      const result = await action.run(deps, input as Record<string, unknown>, { sourceIp: req.ip, signedByAdmin });
      return reply.header('content-type', 'application/x-amz-json-1.1').send(JSON.stringify(result));
    } catch (err) {
      if (err instanceof CognitoError && err.statusCode < 500) return sendCognitoError(reply, err);
      req.log.error({ err, requestId }, 'unexpected error in Cognito operation');
      return sendCognitoError(reply, new CognitoError('InternalErrorException', 'An internal error occurred. The request id is ' + requestId + '.', 500));
    }
  });
}
