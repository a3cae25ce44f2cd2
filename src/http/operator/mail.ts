// Captured mail: GET /_todoku/mail?to=ADDR (JSON list), GET /_todoku/mail/<id>.eml (raw message).
// Delivery: GET /_todoku/api/mail/<id> → the message's metadata and every delivery attempt.
import type { FastifyInstance } from 'fastify';
import type { DeliveryAttempt, OutboxMessage, OutboxPort } from '../../mail/queue/ports.js';
import type { MailBodies } from '../../mail/queue/bodies.js';
import { requireAdminBasic, type BasicCredentials } from './auth.js';

const OUTBOX_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** No control characters: U+0000 is refused by PostgreSQL's text (issue 13 #4), the rest by no address. */
const NO_CONTROL = '^[^\\u0000-\\u001f\\u007f]*$';

// Route schemas (issue 13 #11): a repeated key arrives as an array and is refused as "not a
// string"; unknown keys are refused (a mistyped ?to= would otherwise list every mail).
// errors.ts turns Fastify's refusals into {error, field, message}.
const listSchema = {
  querystring: {
    type: 'object',
    properties: {
      // RFC 5321 §4.5.3.1.3: a path is at most 256 octets; 320 leaves room for a Unicode address.
      to: { type: 'string', minLength: 1, maxLength: 320, pattern: NO_CONTROL },
      limit: { type: 'integer', minimum: 1, maximum: 1000 },
    },
    additionalProperties: false,
  },
} as const;
const emlSchema = {
  params: { type: 'object', properties: { file: { type: 'string', pattern: '^[0-9a-f-]{36}\\.eml$' } }, required: ['file'] },
  querystring: { type: 'object', additionalProperties: false },
} as const;
const apiSchema = {
  params: { type: 'object', properties: { id: { type: 'string', maxLength: 36 } }, required: ['id'] },
  querystring: { type: 'object', additionalProperties: false },
} as const;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Where a message is and how each attempt went. Never the body, and not the subject either: a
 * pool's template may put the code or the temporary password in any of them.
 */
function deliveryView(m: OutboxMessage, attempts: DeliveryAttempt[]) {
  return {
    id: m.id,
    poolId: m.poolId,
    kind: m.kind,
    messageId: m.messageId,
    from: m.fromHeader,
    envelopeFrom: m.envelopeFrom,
    to: m.recipient,
    status: m.status,
    nextAttemptAt: m.status === 'queued' ? iso(m.nextAttemptAtMs) : null,
    lastReply: m.lastReply,
    createdAt: iso(m.createdAtMs),
    updatedAt: iso(m.updatedAtMs),
    attempts: attempts.map((a) => ({
      attempt: a.attempt,
      startedAt: iso(a.startedAtMs),
      durationMs: a.durationMs,
      mxHost: a.mxHost,
      remoteIp: a.remoteIp,
      tls: a.tls,
      responseCode: a.responseCode,
      enhancedStatus: a.enhancedStatus,
      command: a.command,
      text: a.text,
      outcome: a.outcome,
    })),
  };
}

export function registerMailRoutes(app: FastifyInstance, outbox: OutboxPort, bodies: MailBodies, creds: BasicCredentials): void {
  app.get('/_todoku/mail', { schema: listSchema }, async (req, reply) => {
    if (!requireAdminBasic(req, reply, creds)) return reply;
    const query = req.query as { to?: string; limit?: number };
    // The storage matches the whole address case-insensitively (storage/outbox.ts says why).
    // Opened for the operator who asked (capture mode is for developers reading their codes);
    // at rest they stay sealed.
    const messages = (await outbox.listMessages(query.to, query.limit ?? 100)).map((m) => bodies.open(m));
    return messages.map((m) => ({
      id: m.id,
      poolId: m.poolId,
      from: m.fromHeader,
      to: m.recipient,
      subject: m.subject,
      text: m.textBody,
      html: m.htmlBody,
      status: m.status,
      createdAt: new Date(m.createdAtMs).toISOString(),
    }));
  });

  app.get('/_todoku/mail/:file', { schema: emlSchema }, async (req, reply) => {
    if (!requireAdminBasic(req, reply, creds)) return reply;
    const { file } = req.params as { file: string };
    const stored = await outbox.findMessage(file.slice(0, -'.eml'.length));
    if (!stored) return reply.code(404).send({ error: 'NotFound', field: 'id', message: `No captured mail ${file}.` });
    if (stored.bodyState === 'purged') {
      return reply.code(410).send({ error: 'Gone', field: 'id', message: `The mail ${file} was purged: bodies are kept TODOKU_MAIL_RETENTION_HOURS after delivery.` });
    }
    return reply.header('content-type', 'message/rfc822').send(bodies.open(stored).raw);
  });

  app.get('/_todoku/api/mail/:id', { schema: apiSchema }, async (req, reply) => {
    if (!requireAdminBasic(req, reply, creds)) return reply;
    const { id } = req.params as { id: string };
    if (!OUTBOX_ID.test(id)) {
      return reply.code(400).send({ error: 'InvalidParameter', field: 'id', message: 'The mail id is a UUID, as GET /_todoku/mail lists it.' });
    }
    const message = await outbox.findMessage(id);
    if (!message) return reply.code(404).send({ error: 'NotFound', field: 'id', message: `No mail ${id}.` });
    return deliveryView(message, await outbox.listAttempts(id));
  });
}
