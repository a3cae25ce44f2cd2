// The mail pipeline's front half: render → compose → sign → enqueue, inside the caller's
// transaction so the message exists exactly when the code it carries does. It implements
// userpool's CodeMailer (userpool/mail-ports.ts) with its own input types.
import type { Clock } from '../core/clock.js';
import type { Random } from '../core/random.js';
import type { OutboxMessage, OutboxPort } from './queue/ports.js';
import type { MailBodies } from './queue/bodies.js';
import { renderMail, type MailKind, type MessageSettings } from './compose/templates.js';
import { composeMime, domainOf } from './compose/mime.js';

/** Who a pool sends as, as Cognito's EmailConfigurationType says it. */
export interface EmailConfiguration {
  EmailSendingAccount?: 'COGNITO_DEFAULT' | 'DEVELOPER';
  From?: string;
  ReplyToEmailAddress?: string;
  SourceArn?: string;
}

/** The pool a mail is for: its id, message texts and sender settings. */
export interface MailingPool {
  id: string;
  settings: MessageSettings & { EmailConfiguration?: EmailConfiguration };
}

export interface SendRequest {
  pool: MailingPool;
  /** The user it is for (outbox user_sub): deleting the user deletes it while still queued. */
  sub: string;
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

/**
 * Says who a pool's mail is from (implemented in domains/sender.ts). `Tx` is what it reads
 * in the enqueuing transaction (the sending identities).
 */
export interface SenderResolver<Tx = object> {
  /** Throws CodeDeliveryFailureException when the pool's configured sender may not send. */
  resolve(tx: Tx, pool: MailingPool): Promise<Sender>;
}

/** The transaction a mail is enqueued in: the outbox, and whatever the sender resolver reads. */
export type MailTx = { outbox: OutboxPort };

export interface MailService<Tx extends MailTx = MailTx> {
  enqueue(tx: Tx, request: SendRequest): Promise<OutboxMessage>;
  /** Wakes the delivery worker; call after the transaction that enqueued has committed. */
  kick(): void;
}

export function createMailService<Tx extends MailTx>(deps: {
  clock: Clock;
  random: Random;
  senders: SenderResolver<Tx>;
  /** Seals the bodies before the row is written: they carry the code (issue 13 #2). */
  bodies: MailBodies;
  kick: () => void;
}): MailService<Tx> {
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
        userSub: request.sub,
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
      await tx.outbox.enqueue(deps.bodies.seal(message));
      return message;
    },
  };
}
