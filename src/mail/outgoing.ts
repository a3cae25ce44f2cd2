// The mail pipeline's front half: render → compose → sign → enqueue, inside the caller's
// transaction so the message exists exactly when the code it carries does.
import type { Clock } from '../core/clock.js';
import type { Random } from '../core/random.js';
import type { Ports } from '../ports.js';
import type { UserPool } from '../userpool/model.js';
import type { OutboxMessage } from './queue/ports.js';
import { renderMail, type MailKind } from './compose/templates.js';
import { addressOf, composeMime, domainOf } from './compose/mime.js';

export interface SendRequest {
  pool: UserPool;
  kind: MailKind;
  to: string;
  username: string;
  /** The code, or the temporary password of an invitation. */
  code: string;
}

/** Who a pool's mail is from, and how it is signed. */
export interface Sender {
  fromHeader: string;
  envelopeFrom: string;
  replyTo?: string | undefined;
  /** Adds DKIM-Signature headers; identity when the sender does not sign. */
  sign(raw: string): Promise<string>;
}

export interface SenderResolver {
  /** Throws CodeDeliveryFailureException when the pool's configured sender may not send. */
  resolve(tx: Ports, pool: UserPool): Promise<Sender>;
}

/** Cognito's own default sender; what COGNITO_DEFAULT pools send as in capture mode. */
export const COGNITO_DEFAULT_FROM = 'no-reply@verificationemail.com';

/** Capture-mode sender: the pool's From (or Cognito's default), unsigned. */
export const captureSenderResolver: SenderResolver = {
  async resolve(_tx, pool) {
    const ec = pool.settings.EmailConfiguration;
    const from = ec?.EmailSendingAccount === 'DEVELOPER' && ec.From ? ec.From : COGNITO_DEFAULT_FROM;
    return { fromHeader: from, envelopeFrom: addressOf(from), replyTo: ec?.ReplyToEmailAddress, sign: async (raw) => raw };
  },
};

export interface MailService {
  enqueue(tx: Ports, request: SendRequest): Promise<OutboxMessage>;
  /** Wakes the delivery worker; call after the transaction that enqueued has committed. */
  kick(): void;
}

export function createMailService(deps: { clock: Clock; random: Random; senders: SenderResolver; kick: () => void }): MailService {
  return {
    kick: deps.kick,
    async enqueue(tx, request) {
      const sender = await deps.senders.resolve(tx, request.pool);
      const rendered = renderMail(request.pool.settings, request.kind, { code: request.code, username: request.username });
      const nowMs = deps.clock.nowMs();
      const id = deps.random.uuid();
      // Message-ID at the From domain: receivers (and SoftBank) refuse mail without one,
      // and an ID at a foreign domain is a spam signal.
      const messageId = `<${id}@${domainOf(sender.fromHeader)}>`;
      const unsigned = await composeMime({
        from: sender.fromHeader,
        to: request.to,
        replyTo: sender.replyTo,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        messageId,
        date: new Date(nowMs),
        envelopeFrom: sender.envelopeFrom,
      });
      const raw = await sender.sign(unsigned);
      const message: OutboxMessage = {
        id,
        poolId: request.pool.id,
        kind: request.kind,
        envelopeFrom: sender.envelopeFrom,
        recipient: request.to,
        fromHeader: sender.fromHeader,
        subject: rendered.subject,
        textBody: rendered.text,
        htmlBody: rendered.html,
        raw,
        messageId,
        status: 'queued',
        attempts: 0,
        nextAttemptAtMs: nowMs,
        leaseOwner: null,
        leaseUntilMs: null,
        lastReply: null,
        createdAtMs: nowMs,
        updatedAtMs: nowMs,
      };
      await tx.outbox.enqueue(message);
      return message;
    },
  };
}
