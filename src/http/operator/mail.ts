// Captured mail: GET /_todoku/mail?to=ADDR (JSON list), GET /_todoku/mail/<id>.eml (raw message).
import type { FastifyInstance } from 'fastify';
import type { OutboxPort } from '../../mail/queue/ports.js';
import { requireAdminBasic, type BasicCredentials } from './auth.js';

export function registerMailRoutes(app: FastifyInstance, outbox: OutboxPort, creds: BasicCredentials): void {
  app.get('/_todoku/mail', async (req, reply) => {
    if (!requireAdminBasic(req, reply, creds)) return reply;
    const query = req.query as { to?: string; limit?: string };
    const limit = Math.min(Math.max(Number(query.limit ?? 100) || 100, 1), 1000);
    const messages = await outbox.listMessages(query.to, limit);
    return messages.map((m) => ({
      id: m.id,
      from: m.fromHeader,
      to: m.recipient,
      subject: m.subject,
      text: m.textBody,
      html: m.htmlBody,
      status: m.status,
      createdAt: new Date(m.createdAtMs).toISOString(),
    }));
  });

  app.get('/_todoku/mail/:file', async (req, reply) => {
    if (!requireAdminBasic(req, reply, creds)) return reply;
    const { file } = req.params as { file: string };
    const m = /^([0-9a-f-]{36})\.eml$/.exec(file);
    const message = m ? await outbox.findMessage(m[1]!) : undefined;
    if (!message) return reply.code(404).send({ error: 'not_found', message: `No captured mail ${file}.` });
    return reply.header('content-type', 'message/rfc822').send(message.raw);
  });
}
