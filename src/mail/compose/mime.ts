// Builds the RFC 5322 message with nodemailer's composer: it encodes headers, quotes
// carrier addresses whose local part breaks dot-atom (`"taro..yamada"@docomo.ne.jp`,
// nodemailer ≥ 9.0.5) and writes multipart/alternative text + HTML.
import MailComposer from 'nodemailer/lib/mail-composer';

export interface MimeInput {
  from: string;
  to: string;
  replyTo?: string | undefined;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  date: Date;
  envelopeFrom: string;
}

/**
 * A pool's From (`Name <address>` or a bare address) as a name and an address. Handing the
 * composer the whole string let its address parser read the name as syntax: "Evil Bcc:1
 * <no-reply@example.jp>" became an RFC 5322 §3.4 group. As a name, the composer quotes it when
 * it holds specials (`:` `,` `"` …, §3.2.3 phrase) and encodes non-ASCII (RFC 2047), so any
 * display name is sent as the pool wrote it. Control characters never get here: the pool's
 * settings refuse them (userpool/pool-settings.ts).
 */
export function splitFrom(from: string): { name: string; address: string } {
  const open = from.lastIndexOf('<');
  const close = from.lastIndexOf('>');
  if (open === -1 || close < open || from.slice(close + 1).trim() !== '') return { name: '', address: from.trim() };
  let name = from.slice(0, open).trim();
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1).replace(/\\(.)/g, '$1');
  return { name, address: from.slice(open + 1, close).trim() };
}

export async function composeMime(input: MimeInput): Promise<string> {
  const from = splitFrom(input.from);
  const composer = new MailComposer({
    from: from.name ? { name: from.name, address: from.address } : from.address,
    to: input.to,
    replyTo: input.replyTo,
    subject: input.subject,
    text: input.text,
    html: input.html,
    messageId: input.messageId,
    date: input.date,
    envelope: { from: input.envelopeFrom, to: [input.to] },
    textEncoding: 'quoted-printable',
    headers: {
      // RFC 3834 §5: machine-generated; stops auto-responders from answering verification mail.
      'Auto-Submitted': 'auto-generated',
    },
  });
  const message = await new Promise<Buffer>((resolve, reject) => {
    composer.compile().build((err, out) => (err ? reject(err) : resolve(out)));
  });
  // RFC 5322 §2.3: lines end in CRLF. nodemailer's composer keeps the bare LFs of the text
  // inside quoted-printable parts (its SMTP transport fixes them in flight); the outbox keeps
  // the exact bytes that are signed and sent, so they are fixed here.
  return message.toString('utf8').replace(/\r?\n/g, '\r\n');
}

/** Domain part of an address (after the last @), lower-cased. */
export function domainOf(address: string): string {
  const bare = address.includes('<') ? address.slice(address.lastIndexOf('<') + 1, address.lastIndexOf('>')) : address;
  return bare.slice(bare.lastIndexOf('@') + 1).toLowerCase();
}

/** The bare address of a header value such as `Example <no-reply@example.jp>`. */
export function addressOf(header: string): string {
  const m = /<([^>]+)>\s*$/.exec(header);
  return (m ? m[1]! : header).trim();
}
