// The HTTP edge: Cognito's JSON API, JWKS and discovery, health, captured mail.
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Deps } from '../userpool/actions/types.js';
import { registerCognitoApi, sendCognitoError } from './cognito/dispatch.js';
import { registerMailRoutes } from './operator/mail.js';
import { registerOperatorNulCheck } from './operator/nul.js';
import type { AdminCredentials } from './cognito/sigv4.js';
import { issuerFor } from '../tokens/issuer.js';
import { SerializationException, CognitoError } from '../userpool/errors.js';
import { USER_POOL_ID_RE } from '../core/ids.js';
import type { DomainService } from '../domains/service.js';
import { registerDomainRoutes } from './operator/domains.js';
import { registerKeyRoutes } from './operator/keys.js';
import { isOperatorRequest, operatorRefusal, registerOperatorProtocol, sendOperatorError } from './operator/errors.js';
import type { Keyring } from '../tokens/keyring.js';
import type { MailBodies } from '../mail/queue/bodies.js';
import type { IdentityDoctor } from '../domains/doctor-input.js';
import type { Clock } from '../core/clock.js';

export interface AppOptions {
  deps: Deps;
  admin: AdminCredentials;
  logger: boolean | object;
  domains: DomainService;
  /** The doctor for sending identities (GET /_todoku/api/domains/<domain>/doctor). */
  doctor?: IdentityDoctor;
  keyring: Keyring;
  /** Opens outbox bodies for the captured-mail API. */
  mailBodies: MailBodies;
  /** The real time (SigV4 freshness), beside deps.clock which tests move. */
  wallClock: Clock;
  /** The public URL issuers are named under; read per request (known after listen with port 0). */
  publicUrl: () => string;
}

/**
 * Query strings as RFC 3986 percent-encoding, where `+` is a plus: the form encoding that turns
 * it into a space would make `?to=hanako+test@example.jp` look up "hanako test@…" (issue 13
 * #19). Only the operator API reads a query string; a repeated key becomes an array, which its
 * route schemas refuse. A malformed escape keeps its raw text (the schema judges it).
 */
function parseQueryKeepingPlus(qs: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const pair of qs.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeOrKeep(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeOrKeep(pair.slice(eq + 1));
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

function decodeOrKeep(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export async function buildApp(o: AppOptions): Promise<FastifyInstance> {
  const { deps, admin } = o;
  const app = Fastify({
    logger: o.logger,
    bodyLimit: deps.config.bodyLimitBytes,
    // req.ip — the key of the per-client quotas — is the socket peer, unless that peer is one of
    // TODOKU_TRUSTED_PROXIES: then it is the right-most X-Forwarded-For address no trusted proxy
    // added (proxy-addr). Believing the header from anyone would let a client pick its own quota.
    trustProxy: deps.config.trustedProxies.length > 0 ? [...deps.config.trustedProxies] : false,
    // No per-request lines: they would carry Authorization (SigV4, Basic) headers and
    // the volume of a login service; actions log what matters.
    logController: new LogController({ disableRequestLogging: true }),
    // maxParamLength: Fastify's default of 100 answered 414 for a legal 101–253-character
    // domain in /_todoku/api/domains/<domain>; the route schemas judge lengths.
    routerOptions: { querystringParser: parseQueryKeepingPlus, maxParamLength: 512 },
    // Operator route schemas refuse unknown keys (a mistyped ?to= must not list every mail)
    // instead of Fastify's default of dropping them silently.
    ajv: { customOptions: { removeAdditional: false } },
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (isOperatorRequest(req)) {
      const refusal = operatorRefusal(err, deps.config.bodyLimitBytes);
      if (refusal) return sendOperatorError(reply, refusal.status, refusal.error, refusal.message, refusal.field);
      req.log.error({ err }, 'unexpected error');
      return sendOperatorError(reply, 500, 'InternalError', 'An internal error occurred.');
    }
    if (err instanceof CognitoError) return sendCognitoError(reply, err);
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendCognitoError(reply, new CognitoError('SerializationException', `Request body is larger than ${deps.config.bodyLimitBytes} bytes.`, 413));
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return sendCognitoError(reply, new SerializationException(err.message));
    }
    if (err.statusCode !== undefined && err.statusCode < 500) {
      return reply.code(err.statusCode).send({ error: err.code ?? 'bad_request', message: err.message });
    }
    req.log.error({ err }, 'unexpected error');
    return reply.code(500).send({ error: 'internal', message: 'An internal error occurred.' });
  });

  app.get('/health', async (_req, reply) => {
    const ready = await deps.store.health.isReady();
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable' });
  });

  registerOperatorProtocol(app);
  registerCognitoApi(app, deps, { admin, wallClock: o.wallClock });
  registerOperatorNulCheck(app, admin);
  registerMailRoutes(app, deps.store.outbox, o.mailBodies, admin);
  registerDomainRoutes(app, { domains: o.domains, admin, ...(o.doctor ? { doctor: o.doctor } : {}) });
  registerKeyRoutes(app, o.keyring, admin);

  // Keys are shared by every pool; each pool has its own issuer and its own JWKS URL, as in Cognito.
  app.get('/:poolId/.well-known/jwks.json', async (req, reply) => {
    const { poolId } = req.params as { poolId: string };
    if (!USER_POOL_ID_RE.test(poolId) || !(await deps.store.pools.findPool(poolId))) {
      return reply.code(404).send({ message: `User pool ${poolId} does not exist.` });
    }
    return reply.header('cache-control', 'public, max-age=3600').header('access-control-allow-origin', '*').send(await deps.tokens.jwks());
  });

  app.get('/:poolId/.well-known/openid-configuration', async (req, reply) => {
    const { poolId } = req.params as { poolId: string };
    if (!USER_POOL_ID_RE.test(poolId) || !(await deps.store.pools.findPool(poolId))) {
      return reply.code(404).send({ message: `User pool ${poolId} does not exist.` });
    }
    const base = o.publicUrl();
    const issuer = issuerFor(base, poolId);
    return reply.header('access-control-allow-origin', '*').send({
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      // The hosted UI and OAuth2 endpoints are not built yet: they are not advertised until they are.
      response_types_supported: ['code', 'token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
    });
  });

  return app;
}
