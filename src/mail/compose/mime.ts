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

export async function composeMime(input: MimeInput): Promise<string> {
  const composer = new MailComposer({
    from: input.from,
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
