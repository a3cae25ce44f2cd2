// Email address checks. The Japanese carriers issued addresses that break RFC 5322's
// dot-atom rule until 2009 (`taro..yamada@docomo.ne.jp`, `taro.@ezweb.ne.jp`) and they
// still receive mail (../shared/CARRIERS.md), so the local part is checked only for what
// cannot be delivered at all: no spaces, no control characters, no unbalanced quoting.

/** RFC 5321 §4.5.3.1.3: a path is at most 256 octets, so an address at most 254. */
export const MAX_EMAIL_OCTETS = 254;

export type EmailProblem = 'missing-at' | 'empty-local' | 'bad-domain' | 'whitespace-or-control' | 'too-long';

export function emailProblem(address: string): EmailProblem | undefined {
  if (Buffer.byteLength(address, 'utf8') > MAX_EMAIL_OCTETS) return 'too-long';
  // Space, tab, CR, LF, other C0 controls and DEL can never be sent in RCPT TO unquoted,
  // and a CR/LF would inject headers.
  if (/[\s\u0000-\u001f\u007f]/u.test(address)) return 'whitespace-or-control';
  const at = address.lastIndexOf('@');
  if (at < 0) return 'missing-at';
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length === 0) return 'empty-local';
  if (local.includes('@') && !(local.startsWith('"') && local.endsWith('"'))) return 'missing-at';
  if (!isDomainName(domain)) return 'bad-domain';
  return undefined;
}

/** A host name of labels (letters, digits, hyphens, or IDN letters) with a dot, RFC 1035 lengths. */
export function isDomainName(domain: string): boolean {
  if (domain.length === 0 || domain.length > 253) return false;
  const labels = domain.replace(/\.$/, '').split('.');
  if (labels.length < 2) return false;
  return labels.every((l) => l.length >= 1 && l.length <= 63 && /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u.test(l));
}

const PROBLEM_TEXT: Record<EmailProblem, string> = {
  'missing-at': 'has no single @ between a local part and a domain',
  'empty-local': 'has nothing before the @',
  'bad-domain': 'has no valid domain after the @',
  'whitespace-or-control': 'contains spaces or control characters',
  'too-long': `is longer than ${MAX_EMAIL_OCTETS} octets`,
};

export function describeEmailProblem(problem: EmailProblem): string {
  return PROBLEM_TEXT[problem];
}

/** Lower-cased form used to find a user by email; the stored attribute keeps the original. */
export function emailKey(address: string): string {
  return address.toLowerCase();
}
