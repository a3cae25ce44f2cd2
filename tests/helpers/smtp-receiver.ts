// A receiving MTA on 127.0.0.1 that judges every message the way the carriers do: mailauth
// 4.13 authenticate() from the connecting IP against the test DNS — SPF of the envelope
// domain, DKIM, DMARC — plus SPF of the header-From domain computed on its own, which is
// what docomo and SoftBank check (CARRIERS.md).
import { SMTPServer } from 'smtp-server';
import { authenticate, spf } from 'mailauth';
import type { DnsResolve } from '../../src/dns/resolver.js';

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
}

export interface SmtpReceiver {
  port: number;
  url: string;
  messages: ReceivedMessage[];
  /** Resolves with the next message (or the n-th, counting from 1), failing after timeoutMs. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMessage[]>;
  close(): Promise<void>;
}

function headerFromAddress(raw: string): string {
  const header = /^From:[ \t]*((?:.*)(?:\r?\n[ \t].*)*)/im.exec(raw.split(/\r?\n\r?\n/)[0] ?? '')?.[1] ?? '';
  const m = /<([^>]+)>/.exec(header);
  return (m ? m[1]! : header).trim();
}

export async function startSmtpReceiver(resolver: DnsResolve, mta = 'mx.receiver.test'): Promise<SmtpReceiver> {
  const messages: ReceivedMessage[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    lenientAddressParsing: true,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        void (async () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const ip = session.remoteAddress.replace(/^::ffff:/, '');
          const helo = session.hostNameAppearsAs;
          const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          const result = await authenticate(raw, { ip, helo, sender: mailFrom, mta, resolver } as never);
          const headerFrom = headerFromAddress(raw);
          const fromSpf = await spf({ sender: headerFrom, ip, helo, mta, resolver } as never);
          messages.push({
            remoteAddress: ip,
            helo,
            mailFrom,
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
            raw,
            headerFrom,
            spfEnvelope: (result.spf as { status: { result: string } }).status.result,
            spfHeaderFrom: (fromSpf as { status: { result: string } }).status.result,
            dkim: result.dkim.results.map((r) => ({
              domain: r.signingDomain ?? '',
              algo: (r as { algo?: string }).algo ?? '',
              result: r.status.result,
            })),
            dmarc: result.dmarc ? (result.dmarc as { status: { result: string } }).status.result : 'none',
          });
          for (const w of waiters.splice(0)) w();
          callback();
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
