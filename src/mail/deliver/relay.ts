// TODOKU_MAIL_MODE=relay: hands each outbox message, byte for byte, to one smarthost
// (TODOKU_SMTP_RELAY) over SMTP. The relay's reply is the outcome: 2xx delivered,
// 4xx try again, 5xx permanent — the code and text are kept for bounce classification.
import net from 'node:net';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import MimeNode from 'nodemailer/lib/mime-node';
import type { OutboxMessage } from '../queue/ports.js';
import type { DeliveryOutcome, Transport } from './transport.js';
import { replyCodes } from './reply.js';
import { redactUrl } from '../../core/redact.js';

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
  command?: string;
  rejectedErrors?: SmtpError[];
}

/** Where and how the conversation went, as the connection saw it. */
export interface RelaySession {
  mxHost: string | null;
  remoteIp: string | null;
  tls: boolean;
}

const NO_SESSION: RelaySession = { mxHost: null, remoteIp: null, tls: false };

/**
 * Maps a relay's refusal to an outcome: RFC 5321 §4.2.1, the first digit decides. nodemailer
 * puts the reply on `response`, its code on `responseCode` and the command it answered on
 * `command` (`CONN` for a failed connection or greeting) — all kept.
 */
export function outcomeOfError(err: SmtpError, session: RelaySession = NO_SESSION): DeliveryOutcome {
  const inner = err.rejectedErrors?.[0] ?? err;
  const code = inner.responseCode ?? err.responseCode;
  const command = inner.command ?? err.command ?? null;
  const text = (inner.response ?? err.response ?? inner.message).trim();
  if (code !== undefined && code >= 400) {
    const reply = text.startsWith(String(code)) ? text : `${code} ${text}`;
    const { enhancedStatus } = replyCodes(reply);
    return { kind: code >= 500 ? 'permanent' : 'temporary', reply, responseCode: code, enhancedStatus, command, ...session };
  }
  // No SMTP reply at all (connection refused, timeout, TLS failure): try again later.
  return { kind: 'temporary', reply: `${err.code ?? 'ERROR'}: ${err.message}`, responseCode: null, enhancedStatus: null, command, ...session };
}

/**
 * One SMTP conversation per message, on nodemailer's SMTPConnection rather than its pooled
 * transport: only the connection knows the peer's address and whether TLS was in use when
 * the reply came (`secure` turns true on implicit TLS or after STARTTLS), and nodemailer's
 * transports pass neither on. The worker sends one message at a time, so a pool only saved
 * the connection setup.
 */
export function createRelayTransport(o: RelayOptions): Transport {
  const t = parseRelayUrl(o.relayUrl);
  const options: SMTPConnection.Options = {
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
    connectionTimeout: o.connectionTimeoutMs ?? 30_000,
  };
  const auth = t.user !== undefined ? { user: t.user, pass: t.pass ?? '' } : undefined;
  const open = new Set<SMTPConnection>();

  function send(message: OutboxMessage): Promise<DeliveryOutcome> {
    // nodemailer's own envelope handling: a local part such as taro..yamada goes out quoted
    // in RCPT TO (RFC 5321 §4.1.2), as its transports do it (≥ 9.0.5).
    const envelope = new MimeNode().setEnvelope({ from: message.envelopeFrom, to: [message.recipient] }).getEnvelope();
    return new Promise((resolve) => {
      const conn = new SMTPConnection(options);
      open.add(conn);
      let remoteIp: string | null = null;
      const session = (): RelaySession => {
        // Read once connected: a socket that is gone no longer knows its peer.
        if (remoteIp === null && conn.stage === 'connected' && conn._socket) remoteIp = conn._socket.remoteAddress ?? null;
        return { mxHost: t.host, remoteIp, tls: conn.stage === 'connected' && conn.secure };
      };
      let settled = false;
      const finish = (outcome: DeliveryOutcome, politely: boolean) => {
        if (settled) return;
        settled = true;
        open.delete(conn);
        if (politely) conn.quit();
        else conn.close();
        resolve(outcome);
      };
      const fail = (err: SmtpError) => {
        // A refused envelope or message leaves a working session (as nodemailer's pool reads
        // EENVELOPE/EMESSAGE): end it with QUIT (RFC 5321 §4.1.1.10); anything else is closed.
        finish(outcomeOfError(err, session()), (err.code === 'EENVELOPE' || err.code === 'EMESSAGE') && !conn.destroyed);
      };
      conn.on('error', fail);
      conn.once('end', () => fail(Object.assign(new Error('connection closed before the message was answered'), { code: 'ECONNECTION' })));
      conn.connect((err) => {
        if (err) return fail(err);
        session();
        const transfer = () =>
          conn.send(envelope, message.raw, (err, info) => {
            if (err) return fail(err);
            const reply = String(info!.response);
            finish({ kind: 'delivered', reply, ...replyCodes(reply), command: 'DATA', ...session() }, true);
          });
        // As nodemailer's SMTP transport: log in when the relay offers AUTH.
        if (auth && conn.allowsAuth) conn.login(auth, (err) => (err ? fail(err) : transfer()));
        else transfer();
      });
    });
  }

  return {
    name: 'relay',
    send,
    async close() {
      for (const conn of open) conn.close();
      open.clear();
    },
  };
}
