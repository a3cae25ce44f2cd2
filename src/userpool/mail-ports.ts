// What the user-pool actions need from mail and from the sending identities. userpool
// declares these and imports neither: mail/outgoing.ts implements CodeMailer,
// domains/pool-sender.ts implements SenderRules, and src/server.ts wires them in.
import type { Ports } from '../ports.js';
import type { PoolSettings } from './model.js';

/** Which message a code mail is: its template (VerificationMessageTemplate or the invitation). */
export type CodeMailKind = 'SIGN_UP' | 'RESEND' | 'FORGOT_PASSWORD' | 'VERIFY_ATTRIBUTE' | 'INVITATION';

export interface CodeMail {
  /** The pool it is sent for: its message templates and EmailConfiguration. */
  pool: { id: string; settings: PoolSettings };
  /** The user it is for: DeleteUser and AdminDeleteUser delete their mail not yet sent. */
  sub: string;
  kind: CodeMailKind;
  to: string;
  username: string;
  /** The code, or the temporary password of an invitation. */
  code: string;
}

export interface CodeMailer {
  /**
   * Writes the mail to the outbox in `tx`, so it exists exactly when the code it carries
   * does. Throws CodeDeliveryFailureException when the pool's sender may not send.
   */
  enqueue(tx: Ports, mail: CodeMail): Promise<unknown>;
  /** Wakes delivery; call after the transaction that enqueued has committed. */
  kick(): void;
}

export interface SenderRules {
  /**
   * CreateUserPool / UpdateUserPool: throws InvalidParameterException when the pool's
   * EmailConfiguration names a sender todoku cannot send as (in the configured mail mode).
   */
  checkPoolSender(tx: Ports, emailConfiguration: PoolSettings['EmailConfiguration']): Promise<void>;
}
