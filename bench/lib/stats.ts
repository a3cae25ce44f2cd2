// Small statistics and formatting helpers for the benchmark report.

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100) of an unsorted list; NaN when empty. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export function fmtRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '—';
  return perSecond >= 100 ? Math.round(perSecond).toLocaleString('en-US') : perSecond.toFixed(1);
}

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

export function fmtRatio(r: number): string {
  return Number.isFinite(r) ? r.toFixed(2) : '—';
}

/** Markdown table. */
export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * The ratio two ways: of the medians, and per repetition (each figure beside the limit
 * measured next to it in time — steadier on a shared machine).
 */
export function ratios(values: number[], limits: number[], scale = 1): { ofMedians: number; paired: number[]; pairedMedian: number } {
  const paired = values.map((v, i) => v / (limits[i]! * scale));
  return { ofMedians: median(values) / (median(limits) * scale), paired, pairedMedian: median(paired) };
}

export function ratioText(r: ReturnType<typeof ratios>, goal?: number): string {
  const text = `**${fmtRatio(r.ofMedians)}** as ratio of medians; per repetition ${r.paired.map(fmtRatio).join(', ')} (median **${fmtRatio(r.pairedMedian)}**)`;
  if (goal === undefined) return text;
  const met = [r.ofMedians, r.pairedMedian].filter((x) => x >= goal).length;
  return `${text} — goal ≥ ${goal.toFixed(2)}: ${met === 2 ? 'met' : met === 0 ? '**not met**' : '**borderline** (met by one of the two)'}`;
}
