// Operator API for sending identities (HTTP Basic, admin credentials):
//   POST   /_todoku/api/domains                 {"domain","mailFromDomain"?,"dkim"?,"selector"?,"behaviorOnMxFailure"?} → 201
//   GET    /_todoku/api/domains                 → {domains: [...]}
//   GET    /_todoku/api/domains/<domain>        → the identity with its records
//   GET    /_todoku/api/domains/<domain>/records?format=table|zone|route53|json
//   POST   /_todoku/api/domains/<domain>/verify → checks DNS now
//   DELETE /_todoku/api/domains/<domain>        → 204
//   GET    /_todoku/api/domains/<domain>/doctor → the doctor's report (README "Doctor"), 404 when not an identity
import type { FastifyInstance, FastifyReply } from 'fastify';
import { requireAdminBasic, type BasicCredentials } from './auth.js';
import { DomainError, type DomainService } from '../../domains/service.js';
import { formatRecords, RECORD_FORMATS, type RecordFormat } from '../../domains/records.js';
import type { IdentityDoctor } from '../../domains/doctor-input.js';

export interface DomainRoutesDeps {
  domains: DomainService;
  admin: BasicCredentials;
  /** Runs the doctor on an identity (domains/doctor-input.ts); without it the doctor route answers 501. */
  doctor?: IdentityDoctor;
}

// Route schemas (issue 13 #11): errors.ts answers their refusals as {error, field, message}.
// A domain name is at most 253 characters (RFC 1035 §2.3.4, in its punycode form; the Unicode
// form is shorter); the service judges the rest.
const domainParams = { type: 'object', properties: { domain: { type: 'string', minLength: 1, maxLength: 253 } }, required: ['domain'] } as const;
const ADD_FIELDS = ['domain', 'mailFromDomain', 'dkim', 'selector', 'behaviorOnMxFailure'];

const STATUS: Record<DomainError['code'], number> = { InvalidParameter: 400, AlreadyExists: 409, NotFound: 404, InUse: 409 };

async function answer(reply: FastifyReply, work: () => Promise<unknown>, okStatus = 200): Promise<FastifyReply> {
  try {
    const body = await work();
    return body === undefined ? reply.code(204).send() : reply.code(okStatus).send(body);
  } catch (err) {
    if (err instanceof DomainError) return reply.code(STATUS[err.code]).send({ error: err.code, field: err.field, message: err.message });
    throw err;
  }
}

export function registerDomainRoutes(app: FastifyInstance, deps: DomainRoutesDeps): void {
  const { domains, admin } = deps;
  const base = '/_todoku/api/domains';

  app.post(base, async (req, reply) => {
    if (!requireAdminBasic(req, reply, admin)) return reply;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || Array.isArray(body)) {
      return reply.code(400).send({ error: 'InvalidParameter', field: 'body', message: 'The body must be a JSON object {"domain": "example.jp"}.' });
    }
    // Not a route body schema: an empty body must still answer "domain is required" (the
    // service's words), which a schema's "must be object" would not. A misspelt optional field
    // would otherwise be dropped and its default used without a word.
    const unknown = Object.keys(body).find((k) => !ADD_FIELDS.includes(k));
    if (unknown !== undefined) {
      return reply.code(400).send({ error: 'InvalidParameter', field: unknown, message: `Unknown field ${unknown.slice(0, 64)}; the fields are ${ADD_FIELDS.join(', ')}.` });
    }
    return answer(
      reply,
      () =>
        domains.add({
          domain: body.domain,
          ...('mailFromDomain' in body ? { mailFromDomain: body.mailFromDomain } : {}),
          dkim: body.dkim,
          selector: body.selector,
          behaviorOnMxFailure: body.behaviorOnMxFailure,
        }),
      201,
    );
  });

  app.get(base, async (req, reply) => {
    if (!requireAdminBasic(req, reply, admin)) return reply;
    return answer(reply, async () => ({ domains: await domains.list() }));
  });

  app.get(`${base}/:domain`, { schema: { params: domainParams } }, async (req, reply) => {
    if (!requireAdminBasic(req, reply, admin)) return reply;
    return answer(reply, () => domains.get((req.params as { domain: string }).domain));
  });

  app.get(`${base}/:domain/records`, { schema: { params: domainParams, querystring: { type: 'object', properties: { format: { type: 'string', enum: [...RECORD_FORMATS] } }, additionalProperties: false } } }, async (req, reply) => {
    if (!requireAdminBasic(req, reply, admin)) return reply;
    const format = ((req.query as { format?: string }).format ?? 'json') as RecordFormat;
    if (!RECORD_FORMATS.includes(format)) {
      return reply.code(400).send({ error: 'InvalidParameter', field: 'format', message: `format must be one of ${RECORD_FORMATS.join(', ')}` });
    }
    return answer(reply, async () => {
      const { plan, existing } = await domains.records((req.params as { domain: string }).domain);
      if (format === 'json') return plan;
      reply.header('content-type', format === 'route53' ? 'application/json' : 'text/plain; charset=utf-8');
      return formatRecords(plan, format, existing);
    });
  });

  app.post(`${base}/:domain/verify`, { schema: { params: domainParams } }, async (req, reply) => {
    if (!requireAdminBasic(req, reply, admin)) return reply;
    return answer(reply, () => domains.verify((req.params as { domain: string }).domain));
  });

  app.get(`${base}/:domain/doctor`, { schema: { params: domainParams } }, async (req, reply) => {
    if (!requireAdminBasic(req, reply, admin)) return reply;
    const doctor = deps.doctor;
    if (!doctor) return reply.code(501).send({ error: 'NotImplemented', message: 'The doctor is not configured on this server.' });
    return answer(reply, async () => {
      // The identity's view validates the name and answers NotFound (404) for other domains.
      const { domain } = await domains.get((req.params as { domain: string }).domain);
      const report = await doctor(domain);
      if (!report) throw new DomainError('NotFound', 'domain', `${domain} is not a sending identity`);
      return report;
    });
  });

  app.delete(`${base}/:domain`, { schema: { params: domainParams } }, async (req, reply) => {
    if (!requireAdminBasic(req, reply, admin)) return reply;
    return answer(reply, async () => {
      await domains.remove((req.params as { domain: string }).domain);
      return undefined;
    });
  });
}
