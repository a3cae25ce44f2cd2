// DKIM signatures per second through todoku's signer (src/mail/sign/dkim.ts, over a
// parsed KeyObject) on a ~4 KB verification mail, beside node:crypto's raw signature rate of
// the same algorithm in the same run (goal ≥ 0.7).
import { createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { generateDkimKey } from '../src/domains/keys.js';
import { composeMime } from '../src/mail/compose/mime.js';
import { signMessage, type SigningKey } from '../src/mail/sign/dkim.js';
import { rateOfAsync, rateOfSync } from './lib/baselines.js';
import { fmtRate, fmtRatio, median, ratios, ratioText, table } from './lib/stats.js';
import { loadAverage, type BenchContext, type Section } from './lib/context.js';

/** A branded bilingual verification mail as a service would send it, composed by todoku's composer. */
export async function verificationMail(): Promise<string> {
  const code = '482913';
  const text =
    'example.jp をご利用いただきありがとうございます。\n\n' +
    `確認コードは ${code} です。\n` +
    'このコードの有効期限は24時間です。アプリの画面に入力して、メールアドレスの確認を完了してください。\n' +
    'このメールにお心当たりのない場合は、第三者がメールアドレスを誤って入力した可能性があります。このメールは破棄してください。\n\n' +
    'Thank you for using example.jp.\n\n' +
    `Your verification code is ${code}.\n` +
    'The code is valid for 24 hours. Enter it in the app to finish confirming your email address.\n' +
    'If you did not request this, someone may have typed your address by mistake; you can ignore this message.\n\n' +
    '--\nexample.jp サポート / support: https://example.jp/help\n';
  const html =
    '<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>確認コード</title></head>' +
    '<body style="margin:0;padding:0;background:#f4f5f7;font-family:Helvetica,Arial,sans-serif;color:#1f2328">' +
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:24px">' +
    '<table role="presentation" width="560" cellpadding="0" cellspacing="0" style="background:#ffffff;border-radius:8px">' +
    '<tr><td style="padding:24px 32px;border-bottom:1px solid #e5e7eb"><strong style="font-size:18px">example.jp</strong></td></tr>' +
    '<tr><td style="padding:24px 32px"><p lang="ja">example.jp をご利用いただきありがとうございます。</p>' +
    `<p lang="ja">確認コードは <strong style="font-size:22px;letter-spacing:4px">${code}</strong> です。</p>` +
    '<p lang="ja">このコードの有効期限は24時間です。アプリの画面に入力して、メールアドレスの確認を完了してください。</p>' +
    `<p lang="en">Your verification code is <strong>${code}</strong>. It is valid for 24 hours.</p>` +
    '<p lang="en" style="color:#6b7280;font-size:12px">If you did not request this, you can ignore this message.</p></td></tr>' +
    '<tr><td style="padding:16px 32px;color:#6b7280;font-size:12px;border-top:1px solid #e5e7eb">' +
    '<a href="https://example.jp/help" style="color:#2563eb">example.jp サポート</a></td></tr>' +
    '</table></td></tr></table></body></html>';
  return composeMime({
    from: 'example.jp <no-reply@example.jp>',
    to: '"taro..yamada"@docomo.ne.jp',
    replyTo: 'support@example.jp',
    subject: '確認コード / Your verification code',
    text,
    html,
    messageId: '<3f1c9a52-7d1e-4b8a-9c1f-2e6d5b4a3c21@example.jp>',
    date: new Date('2025-11-26T00:00:00Z'),
    envelopeFrom: 'bounce@mail.example.jp',
  });
}

interface AlgorithmFigures {
  todoku: number[];
  raw: number[];
  rawPem: number[];
}

export async function dkimBench(ctx: BenchContext): Promise<Section> {
  const loadBefore = loadAverage();
  const raw = await verificationMail();
  const bytes = Buffer.from(raw);
  const signTime = new Date('2025-11-26T00:00:00Z');
  const d = ctx.options.durationMs;

  const algorithms = ['rsa', 'ed25519'] as const;
  const keys = new Map<string, { key: SigningKey; object: KeyObject; pem: string }>();
  for (const algorithm of algorithms) {
    const generated = await generateDkimKey(algorithm);
    keys.set(algorithm, {
      key: { domain: 'example.jp', selector: `bench-${algorithm}`, algorithm, privateKey: createPrivateKey(generated.privateKeyPem) },
      object: createPrivateKey(generated.privateKeyPem),
      pem: generated.privateKeyPem,
    });
  }
  // The least cryptographic work one DKIM signature needs: SHA-256 over the message (body
  // and header hashes) and one signature — RSA-SHA256 over it, or (RFC 8463) Ed25519 over
  // the SHA-256 digest.
  const rawSign = (algorithm: 'rsa' | 'ed25519', key: KeyObject | string) =>
    algorithm === 'rsa' ? () => sign('sha256', bytes, key) : () => sign(null, createHash('sha256').update(bytes).digest(), key);

  const figures = new Map<string, AlgorithmFigures>(algorithms.map((a) => [a, { todoku: [], raw: [], rawPem: [] }]));
  // Warm-up.
  for (const algorithm of algorithms) {
    const k = keys.get(algorithm)!;
    await rateOfAsync(() => signMessage(raw, [k.key], signTime), 1, ctx.options.warmupMs);
    rateOfSync(rawSign(algorithm, k.object), ctx.options.warmupMs);
  }
  for (let rep = 0; rep < ctx.options.reps; rep++) {
    for (const algorithm of algorithms) {
      const k = keys.get(algorithm)!;
      const f = figures.get(algorithm)!;
      f.todoku.push((await rateOfAsync(() => signMessage(raw, [k.key], signTime), 1, d)).perSecond);
      f.raw.push(rateOfSync(rawSign(algorithm, k.object), d).perSecond);
      // Diagnostic: the same raw signature with the key handed over as PEM text (parsed per call), as a PEM-taking signer (mailauth) pays.
      f.rawPem.push(rateOfSync(rawSign(algorithm, k.pem), d).perSecond);
      ctx.progress(`rep ${rep + 1}/${ctx.options.reps} ${algorithm}: todoku ${fmtRate(f.todoku.at(-1)!)}/s, raw ${fmtRate(f.raw.at(-1)!)}/s`);
    }
  }

  const rows: string[][] = [];
  const verdicts: string[] = [];
  for (const algorithm of algorithms) {
    const f = figures.get(algorithm)!;
    const name = algorithm === 'rsa' ? 'RSA-2048 (rsa-sha256)' : 'Ed25519 (ed25519-sha256)';
    const ratio = ratios(f.todoku, f.raw);
    rows.push([name, fmtRate(median(f.todoku)), fmtRate(median(f.raw)), fmtRatio(ratio.ofMedians), fmtRate(median(f.rawPem)), f.todoku.map(fmtRate).join(', '), f.raw.map(fmtRate).join(', ')]);
    verdicts.push(`${name}: ${ratioText(ratio, 0.7)}`);
  }
  return {
    name: 'dkim',
    markdown: [
      `### DKIM signing`,
      '',
      `A ${bytes.length.toLocaleString('en-US')}-byte bilingual verification mail (multipart/alternative, quoted-printable text and HTML, composed by ` +
        `src/mail/compose/mime.ts), signed relaxed/relaxed with one key by \`signMessage\` (src/mail/sign/dkim.ts), one at a time on one thread. ` +
        `Raw: node:crypto \`sign\` with a parsed KeyObject — SHA-256 over the message plus one signature (RSA-SHA256 over it; Ed25519 over its SHA-256 digest, as RFC 8463 signs). ` +
        `"raw, PEM" is the same with the key passed as PEM text and parsed on every call. Load average ${loadBefore} → ${loadAverage()}.`,
      '',
      table(['algorithm', 'todoku signs/s', 'raw signs/s', 'ratio', 'raw, PEM signs/s', 'todoku repetitions', 'raw repetitions'], rows),
      '',
      `Ratio todoku / raw: ${verdicts.join('; ')}.`,
    ].join('\n'),
  };
}
