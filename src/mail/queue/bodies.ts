// Message bodies at rest (issue 13 #2): the subject, text, HTML and raw message of a code mail
// carry the code or the temporary password (a pool's template may put {####} in the subject), so they are sealed (AES-256-GCM, core/seal.ts) with a
// key of their own, derived from the master secret (config/secrets.ts `mailKey`), before the
// outbox row is written; the worker and the captured-mail API open them where they use them.
// Storage sees opaque text.
import { seal, unseal } from '../../core/seal.js';
import type { OutboxMessage } from './ports.js';

export interface MailBodies {
  /** The message as it is stored: its bodies sealed. */
  seal(message: OutboxMessage): OutboxMessage;
  /**
   * The message as it is sent or shown. A `clear` row (written before sealing) reads as it
   * is; a `purged` one has no bodies left. Throws when a sealed body does not open (another
   * master secret, or tampering): GCM authenticates each one.
   */
  open(message: OutboxMessage): OutboxMessage;
}

export function mailBodies(key: Buffer): MailBodies {
  return {
    seal(m) {
      if (m.bodyState === 'sealed' || m.bodyState === 'purged') return m;
      return {
        ...m,
        subject: seal(key, m.subject),
        textBody: seal(key, m.textBody),
        htmlBody: m.htmlBody === null ? null : seal(key, m.htmlBody),
        raw: seal(key, m.raw),
        bodyState: 'sealed',
      };
    },
    open(m) {
      if (m.bodyState !== 'sealed') return m;
      return {
        ...m,
        subject: unseal(key, m.subject),
        textBody: unseal(key, m.textBody),
        htmlBody: m.htmlBody === null ? null : unseal(key, m.htmlBody),
        raw: unseal(key, m.raw),
        bodyState: 'clear',
      };
    },
  };
}
