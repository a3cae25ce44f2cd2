// A receiving MTA on 127.0.0.1 that judges every message the way the carriers do: mailauth
// 4.13 from the connecting IP against the test DNS — SPF of the envelope domain, SPF of the
// header-From domain (what docomo and SoftBank check, CARRIERS.md), the PRA, DKIM, DMARC and the
// IP's forward-confirmed reverse DNS — through tests/helpers/live-receiver.ts. Given a receiver profile
// (src/doctor/receivers), it applies that profile to the live results, as the doctor does to its
// findings: a "reject" verdict is answered 550 at the end of DATA, "spam" is accepted and marked.
import { SMTPServer } from 'smtp-server';
import type { DnsResolve } from '../../src/dns/resolver.js';
import { authenticateDelivery, verdictFromAuthentication, type LiveAuthentication } from './live-receiver.js';
import type { ReceiverProfile } from '../../src/doctor/receivers/index.js';
import type { ReceiverResult } from '../../src/doctor/types.js';

export interface ReceivedMessage {
  remoteAddress: string;
  helo: string;
  /** MAIL FROM and RCPT TO as the client sent them (local parts keep their quotes). */
  mailFrom: string;
  rcptTo: string[];
  raw: string;
  headerFrom: string;
  spfEnvelope: string;
  spfHeaderFrom: string;
  /** One result per DKIM-Signature, e.g. [{domain: 'example.jp', algo: 'rsa-sha256', result: 'pass'}]. */
  dkim: { domain: string; algo: string; result: string }[];
  dmarc: string;
  /** Everything the receiver established about the message. */
  live: LiveAuthentication;
  /** The profile's verdict, when the receiver runs one. */
  verdict: ReceiverResult | undefined;
  /** True when the receiver refused the message at the end of DATA (it was not taken). */
  refused: boolean;
  /** The reply to the end of DATA. */
  reply: string;
}

export interface SmtpReceiverOptions {
  /** The receiving host's name (Authentication-Results). */
  mta?: string;
  /** Judge every message by this profile and refuse what it rejects. */
  profile?: ReceiverProfile;
  /**
   * Answers of its own, for delivery-outcome tests: given the stage and the recipient, a full
   * reply (`452 4.2.2 Mailbox full`) to refuse with there, or undefined to go on as usual.
   */
  refuse?: (stage: 'RCPT TO' | 'DATA', recipient: string) => string | undefined;
  /** Waits this long before answering the end of DATA (a slow receiver). */
  dataDelayMs?: number;
  /** Offers STARTTLS (smtp-server's built-in self-signed certificate). */
  starttls?: boolean;
}

/** smtp-server answers an error with its responseCode and message: "452 4.2.2 Mailbox full". */
function refusal(reply: string): Error & { responseCode: number } {
  return Object.assign(new Error(reply.slice(4)), { responseCode: Number(reply.slice(0, 3)) });
}

export interface SmtpReceiver {
  port: number;
  url: string;
  messages: ReceivedMessage[];
  /** Resolves with the next message (or the n-th, counting from 1), failing after timeoutMs. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMessage[]>;
  close(): Promise<void>;
}

export async function startSmtpReceiver(resolver: DnsResolve, options: string | SmtpReceiverOptions = {}): Promise<SmtpReceiver> {
  const { mta = 'mx.receiver.test', profile, refuse, dataDelayMs = 0, starttls = false } = typeof options === 'string' ? { mta: options } : options;
  const messages: ReceivedMessage[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    lenientAddressParsing: true,
    authOptional: true,
    disabledCommands: starttls ? [] : ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const reply = refuse?.('RCPT TO', address.address);
      callback(reply ? refusal(reply) : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        void (async () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const ip = session.remoteAddress.replace(/^::ffff:/, '');
          const helo = session.hostNameAppearsAs;
          const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          const live = await authenticateDelivery({ raw, ip, helo, mailFrom, resolve: resolver, mta });
          const verdict = profile ? verdictFromAuthentication(profile, live) : undefined;
          const own = refuse?.('DATA', session.envelope.rcptTo[0]?.address ?? '');
          const refused = verdict?.verdict === 'reject' || own !== undefined;
          const reply =
            own ??
            (verdict?.verdict === 'reject'
              ? `550 5.7.1 ${profile!.name} refuses this message: ${verdict.because.join('; ')}`
              : verdict?.verdict === 'spam'
                ? '250 2.0.0 accepted into the spam folder'
                : '250 2.0.0 accepted');
          messages.push({
            remoteAddress: ip,
            helo,
            mailFrom,
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
            raw,
            headerFrom: live.fromAddress,
            spfEnvelope: live.spf.mailFrom,
            spfHeaderFrom: live.spf.from,
            dkim: live.dkim.map((d) => ({ domain: d.domain, algo: d.algorithm, result: d.result })),
            dmarc: live.dmarc.result,
            live,
            verdict,
            refused,
            reply,
          });
          for (const w of waiters.splice(0)) w();
          if (dataDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, dataDelayMs));
          if (refused) callback(refusal(reply));
          else callback(null, reply.slice(4));
        })().catch((err: unknown) => callback(err as Error));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${count} message(s), received ${messages.length}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, Math.min(left, 200));
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      return messages.slice(0, count);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
