// Issue 13 #9: a pool's From display name went to the composer as one string, which parsed
// "Evil Bcc:1 <no-reply@example.jp>" as an RFC 5322 group. The name is now handed over as a
// name, so it is quoted (specials) or encoded (non-ASCII) and never read as syntax.
import { describe, expect, it } from 'vitest';
import { composeMime } from '../../../src/mail/compose/mime.js';

async function fromLine(from: string): Promise<string> {
  const raw = await composeMime({
    from,
    to: 'hanako@example.jp',
    subject: 's',
    text: 't',
    html: '<p>t</p>',
    messageId: '<m@example.jp>',
    date: new Date(0),
    envelopeFrom: 'bounce@example.jp',
  });
  // RFC 5322 §2.2.3: a folded header is one logical line.
  return raw.replace(/\r\n[ \t]/g, ' ').split('\r\n').find((l) => l.startsWith('From: '))!;
}

describe('the From header of a pool', () => {
  it('quotes a display name with a colon instead of making a group', async () => {
    expect(await fromLine('Evil Bcc:1 <no-reply@example.jp>')).toBe('From: "Evil Bcc:1" <no-reply@example.jp>');
  });
  it('quotes a comma', async () => {
    expect(await fromLine('Support, Example <no-reply@example.jp>')).toBe('From: "Support, Example" <no-reply@example.jp>');
  });
  it('keeps a name given quoted', async () => {
    expect(await fromLine('"Example" <no-reply@example.jp>')).toBe('From: Example <no-reply@example.jp>');
  });
  it('encodes Japanese text', async () => {
    const line = await fromLine('例え株式会社 <no-reply@example.jp>');
    expect(line).toMatch(/^From: (=\?UTF-8\?[BQ]\?[^?\s]+\?= ?)+ <no-reply@example\.jp>$/);
    const words = [...line.matchAll(/=\?UTF-8\?Q\?([^?]+)\?=/g)].map((m) => m[1]!.replace(/=([0-9A-F]{2})/g, '%$1')).join('');
    expect(decodeURIComponent(words)).toBe('例え株式会社');
  });
  it('a bare address', async () => {
    expect(await fromLine('no-reply@example.jp')).toBe('From: no-reply@example.jp');
  });
});
