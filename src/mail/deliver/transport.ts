import type { OutboxMessage } from '../queue/ports.js';

/** What one delivery attempt came to; the SMTP reply is kept for bounce classification. */
export type DeliveryOutcome =
  | { kind: 'delivered'; reply: string }
  | { kind: 'captured'; reply: string }
  | { kind: 'temporary'; reply: string }
  | { kind: 'permanent'; reply: string };

export interface Transport {
  name: string;
  send(message: OutboxMessage): Promise<DeliveryOutcome>;
  close?(): Promise<void>;
}

/** capture mode: nothing leaves the machine; the outbox row is the captured mail. */
export const captureTransport: Transport = {
  name: 'capture',
  async send() {
    return { kind: 'captured', reply: '250 captured (TODOKU_MAIL_MODE=capture)' };
  },
};
