import type { OutboxMessage } from '../queue/ports.js';
import { replyCodes } from './reply.js';

/**
 * What one delivery attempt came to, kept whole for bounce classification: the reply as the
 * server sent it, its codes, the command it answered, and where and how it was sent. A
 * failure carries the same fields as a success (nodemailer keeps `responseCode` and `command`
 * on every error; so do we).
 */
export interface DeliveryOutcome {
  kind: 'delivered' | 'captured' | 'temporary' | 'permanent';
  /** The reply as the server sent it (code first), or why there was none. */
  reply: string;
  /** RFC 5321 §4.2 reply code; null when no reply came (refused, timed out, TLS failure). */
  responseCode: number | null;
  /** RFC 3463 enhanced status code, when the server gave one. */
  enhancedStatus: string | null;
  /** The command the reply answered (`CONN`, `EHLO`, `MAIL FROM`, `RCPT TO`, `DATA`…, `capture`); null when unknown. */
  command: string | null;
  /** The host the message was handed to (the MX, or the relay); null when it left no machine. */
  mxHost: string | null;
  /** The peer's address as the connection saw it; null when no connection was made. */
  remoteIp: string | null;
  /** True when the reply came over TLS. */
  tls: boolean;
}

export interface Transport {
  name: string;
  send(message: OutboxMessage): Promise<DeliveryOutcome>;
  close?(): Promise<void>;
}

const CAPTURED_REPLY = '250 captured (TODOKU_MAIL_MODE=capture)';

/**
 * capture mode: nothing leaves the machine; the outbox row is the captured mail. Its attempt
 * says so: command `capture`, its own 250, no host, no IP, no TLS.
 */
export const captureTransport: Transport = {
  name: 'capture',
  async send() {
    return { kind: 'captured', reply: CAPTURED_REPLY, ...replyCodes(CAPTURED_REPLY), command: 'capture', mxHost: null, remoteIp: null, tls: false };
  },
};
