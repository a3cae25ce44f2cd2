// The doctor's human output: one line per receiver, then the records to publish, most useful
// first. Meant to be read in ten seconds; `--json` gives the full report instead.
import type { DoctorReport, RecordFix } from './types.js';

export interface RenderOptions {
  color: boolean;
}

/** Colour unless NO_COLOR is set (no-color.org) or the output is not a terminal. */
export function useColor(noColor: boolean, isTty: boolean): boolean {
  return isTty && !noColor;
}

const VERDICT_MARK = { accept: '✓', spam: '✗', reject: '✗', unknown: '?' } as const;

export function renderReport(report: DoctorReport, options: RenderOptions): string {
  const paint = (code: string, text: string) => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const green = (t: string) => paint('32', t);
  const red = (t: string) => paint('31', t);
  const yellow = (t: string) => paint('33', t);
  const bold = (t: string) => paint('1', t);
  const byId = new Map(report.checks.map((c) => [c.id, c]));

  const lines: string[] = [];
  lines.push(bold(`todoku doctor ${report.domain}${report.domainUnicode ? ` (${report.domainUnicode})` : ''}`) + (report.sendingIps.length ? ` — sending from ${report.sendingIps.join(', ')}` : ' — no sending IP'));
  // An include that gave no sending IP comes first: everything below depends on it (issue 13 #15).
  const failedVia = report.checks.filter((c) => c.id === 'via.expand' && c.status !== 'pass');
  for (const v of failedVia) {
    const named = v.evidence.given === 'sendingIps' ? `include:${String(v.evidence.include)} (TODOKU_SENDING_IPS)` : `--via ${String(v.evidence.include)}`;
    lines.push(`${red('✗')} ${named}: ${v.message}`);
  }
  lines.push('');
  const width = Math.max(...report.receivers.map((r) => r.name.length));
  for (const r of report.receivers) {
    const mark =
      r.verdict === 'accept' ? green(VERDICT_MARK.accept) : r.verdict === 'spam' ? yellow(VERDICT_MARK.spam) : r.verdict === 'unknown' ? yellow(VERDICT_MARK.unknown) : red(VERDICT_MARK.reject);
    const verdict = r.verdict === 'accept' ? green('accept') : r.verdict === 'spam' ? yellow('spam  ') : r.verdict === 'unknown' ? yellow('?     ') : red('reject');
    const first = r.reasons[0] ? byId.get(r.reasons[0]) : undefined;
    const why = first ? `  ${first.id}: ${first.message}` : '';
    lines.push(`${mark} ${r.name.padEnd(width)}  ${verdict}${why}`);
  }

  // Fixes that unblock the most receivers come first.
  const counts = new Map<string, { fix: RecordFix; receivers: string[] }>();
  for (const r of report.receivers) {
    for (const fix of r.fixes) {
      const key = `${fix.name}\u0000${fix.type}\u0000${fix.value}`;
      const entry = counts.get(key) ?? { fix, receivers: [] };
      entry.receivers.push(r.id);
      counts.set(key, entry);
    }
  }
  const fixes = [...counts.values()].sort((a, b) => b.receivers.length - a.receivers.length);
  if (fixes.length > 0) {
    lines.push('', bold('Fix first:'));
    fixes.forEach(({ fix, receivers }, i) => {
      const value = fix.type === 'TXT' ? `"${fix.value}"` : fix.value;
      lines.push(`${i + 1}. ${fix.name}  ${fix.type}  ${value}`, `   (for ${receivers.join(', ')})`);
    });
  }

  // Receivers blocked by something no record fixes; one line per distinct cause.
  const unresolved = report.receivers.filter((r) => r.verdict !== 'accept' && r.verdict !== 'unknown' && r.fixes.length === 0);
  const causes = new Map<string, string[]>();
  for (const r of unresolved) {
    const f = r.reasons.map((id) => byId.get(id)).find((c) => c !== undefined);
    if (f) causes.set(f.message, [...(causes.get(f.message) ?? []), r.name]);
  }
  for (const [message, names] of causes) lines.push('', `${names.join(', ')}: ${message}`);
  // Why a verdict is open: for want of a sending IP (said above), or the DNS — say which.
  const open = report.receivers.filter((r) => r.verdict === 'unknown');
  const openErrors = open.flatMap((r) => r.reasons.flatMap((id) => report.checks.filter((c) => c.id === id && c.status === 'error')));
  if (openErrors.some((c) => c.evidence.noSendingIp === true)) {
    lines.push('', yellow('? = could not be checked: no sending IP to check with — name one with --ip, or a --via include that lists ip4: ranges (exit status 2).'));
  }
  if (openErrors.some((c) => c.evidence.noSendingIp !== true) || failedVia.some((c) => c.status === 'error')) {
    lines.push('', yellow('? = could not be checked: the DNS did not answer a question that decides it (exit status 2).'));
  }

  const warnings = report.checks.filter((c) => (c.status === 'warn' || c.status === 'error') && c.id !== 'via.expand' && c.evidence.noSendingIp !== true);
  if (warnings.length > 0) {
    lines.push('');
    for (const w of warnings) lines.push(`${w.status === 'error' ? red('error') : yellow('warn ')} ${w.id}: ${w.message}`);
  }
  return lines.join('\n') + '\n';
}
