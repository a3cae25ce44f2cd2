// TODOKU_MAIL_MODE=relay: hands each outbox message, byte for byte, to one smarthost
// (TODOKU_SMTP_RELAY) over SMTP. The relay's reply is the outcome: 2xx delivered,
// 4xx try again, 5xx permanent — the code and text are kept for bounce classification.
import net from 'node:net';
import nodemailer from 'nodemailer';
import type { OutboxMessage } from '../queue/ports.js';
import type { DeliveryOutcome, Transport } from './transport.js';
import { redactUrl } from '../../config/index.js';

export interface RelayOptions {
  /** smtp://[user:pass@]host[:port][?tls=required|opportunistic|off] or smtps://… */
  relayUrl: string;
  /** TODOKU_SMTP_LOCAL_ADDRESS: source IP of the connection (the IP SPF authorises). */
  localAddress?: string | undefined;
  /** TODOKU_HELO_NAME */
  heloName: string;
  connectionTimeoutMs?: number;
}

export type TlsPolicy = 'implicit' | 'required' | 'opportunistic' | 'off';

export interface RelayTarget {
  host: string;
  port: number;
  tls: TlsPolicy;
  user: string | undefined;
  pass: string | undefined;
}

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return net.isIPv4(h) && h.startsWith('127.');
}

/** Parses TODOKU_SMTP_RELAY. STARTTLS is required except to loopback; ?tls= overrides. */
export function parseRelayUrl(raw: string): RelayTarget {
  const url = new URL(raw);
  const implicit = url.protocol === 'smtps:';
  if (!implicit && url.protocol !== 'smtp:') throw new Error(`TODOKU_SMTP_RELAY must start with smtp:// or smtps://, got ${redactUrl(raw)}`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port ? Number(url.port) : implicit ? 465 : 587;
  const override = url.searchParams.get('tls');
  if (override !== null && !['required', 'opportunistic', 'off'].includes(override)) {
    throw new Error(`TODOKU_SMTP_RELAY: tls must be required, opportunistic or off, got "${override}"`);
  }
  let tls: TlsPolicy;
  if (implicit) tls = 'implicit';
  else if (override !== null) tls = override as TlsPolicy;
  // Credentials and message must not cross a network in clear text; on loopback nothing
  // crosses one, and local test relays rarely have a certificate.
  else tls = isLoopback(host) ? 'opportunistic' : 'required';
  return {
    host,
    port,
    tls,
    user: url.username ? decodeURIComponent(url.username) : undefined,
    pass: url.password ? decodeURIComponent(url.password) : undefined,
  };
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  rejectedErrors?: SmtpError[];
}

/** Maps a relay's answer to an outcome: RFC 5321 §4.2.1, the first digit decides. */
export function outcomeOfError(err: SmtpError): DeliveryOutcome {
  const inner = err.rejectedErrors?.[0] ?? err;
  const code = inner.responseCode ?? err.responseCode;
  const text = (inner.response ?? err.response ?? inner.message).trim();
  if (code !== undefined && code >= 500) return { kind: 'permanent', reply: text.startsWith(String(code)) ? text : `${code} ${text}` };
  if (code !== undefined && code >= 400) return { kind: 'temporary', reply: text.startsWith(String(code)) ? text : `${code} ${text}` };
  // No SMTP reply at all (connection refused, timeout, TLS failure): try again later.
  return { kind: 'temporary', reply: `${err.code ?? 'ERROR'}: ${err.message}` };
}

export function createRelayTransport(o: RelayOptions): Transport {
  const t = parseRelayUrl(o.relayUrl);
  const transporter = nodemailer.createTransport({
    host: t.host,
    port: t.port,
    secure: t.tls === 'implicit',
    requireTLS: t.tls === 'required',
    ignoreTLS: t.tls === 'off',
    opportunisticTLS: t.tls === 'opportunistic',
    // A loopback relay has no certificate worth checking; every other one is verified.
    tls: isLoopback(t.host) ? { rejectUnauthorized: false } : { servername: t.host },
    name: o.heloName,
    ...(o.localAddress ? { localAddress: o.localAddress } : {}),
    ...(t.user !== undefined ? { auth: { user: t.user, pass: t.pass ?? '' } } : {}),
    connectionTimeout: o.connectionTimeoutMs ?? 30_000,
    pool: true,
    maxConnections: 2,
  });

  return {
    name: 'relay',
    async send(message: OutboxMessage): Promise<DeliveryOutcome> {
      try {
        // `raw`: exactly the signed message in the outbox; nodemailer adds nothing to it
        // and quotes a local part such as taro..yamada in RCPT TO (≥ 9.0.5).
        const info = await transporter.sendMail({
          envelope: { from: message.envelopeFrom, to: [message.recipient] },
          raw: message.raw,
        });
        if (info.rejected.length > 0) return { kind: 'permanent', reply: String(info.response ?? 'recipient rejected') };
        return { kind: 'delivered', reply: String(info.response) };
      } catch (err) {
        return outcomeOfError(err as SmtpError);
      }
    },
    async close() {
      transporter.close();
    },
  };
}
