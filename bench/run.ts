// todoku benchmarks, run by hand (not part of `npm test`):
//
//   npm run bench                      all of them (≈ 10 minutes, most of it the 1M-user load)
//   npm run bench -- signin refresh    some of them
//   npm run bench -- --quick dkim      short repetitions, to check the benchmark itself works
//
// Names: signin, refresh, getuser, signup, scale, dkim. Options: --reps N (default 3),
// --duration SECONDS (default 5), --users N (large pool of `scale`, default 1000000),
// --signins N (sequential sign-ins per repetition in `scale`, default 300),
// --out FILE (also write the report there). The report (Markdown) goes to stdout,
// progress to stderr. Every benchmark is bounded by time or count, and talks to a server
// on 127.0.0.1 only.
import fs from 'node:fs';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { LoadGenerator } from './lib/load.js';
import type { BenchContext, BenchOptions, Section } from './lib/context.js';
import { getuserBench, refreshBench, signinBench, signupBench } from './cognito.js';
import { scaleBench } from './scale.js';
import { dkimBench } from './dkim.js';

const BENCHMARKS: Record<string, (ctx: BenchContext) => Promise<Section>> = {
  signin: signinBench,
  refresh: refreshBench,
  getuser: getuserBench,
  signup: signupBench,
  scale: scaleBench,
  dkim: dkimBench,
};

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run bench -- [${Object.keys(BENCHMARKS).join('|')} …] [--quick] [--reps N] [--duration S] [--users N] [--signins N] [--out FILE]\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): { names: string[]; options: BenchOptions; out: string | undefined } {
  const options: BenchOptions = { durationMs: 5000, reps: 3, warmupMs: 1000, largeUsers: 1_000_000, scaleSignIns: 300 };
  const names: string[] = [];
  let out: string | undefined;
  const num = (flag: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n) || n < min) usage(`${flag} needs a number ≥ ${min}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') {
      Object.assign(options, { durationMs: 1000, reps: 1, warmupMs: 300, largeUsers: 20_000, scaleSignIns: 30 });
    } else if (arg === '--reps') options.reps = num(arg, argv[++i], 1);
    else if (arg === '--duration') options.durationMs = num(arg, argv[++i], 0.1) * 1000;
    else if (arg === '--users') options.largeUsers = num(arg, argv[++i], 2000);
    else if (arg === '--signins') options.scaleSignIns = num(arg, argv[++i], 1);
    else if (arg === '--out') out = argv[++i] ?? usage('--out needs a file');
    else if (arg in BENCHMARKS) names.push(arg);
    else usage(`unknown argument ${arg}`);
  }
  return { names: names.length > 0 ? names : Object.keys(BENCHMARKS), options, out };
}

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown';
  let uptime = '';
  try {
    uptime = execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    uptime = `load average ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`;
  }
  return [
    `- date: ${new Date().toISOString()}`,
    `- CPU: ${cpu}, nproc ${os.availableParallelism()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM`,
    `- node ${process.version} (OpenSSL ${process.versions.openssl}), ${os.type()} ${os.release()}, libuv thread pool ${process.env.UV_THREADPOOL_SIZE ?? 4}`,
    `- uptime at start: \`${uptime}\``,
  ].join('\n');
}

async function main(): Promise<void> {
  const { names, options, out } = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const load = new LoadGenerator();
  const report: string[] = [`## Run of ${names.join(', ')}`, '', machine(), `- settings: ${options.reps} repetitions of ${options.durationMs / 1000} s (medians reported)`, ''];
  try {
    for (const name of names) {
      process.stderr.write(`[bench] ${name}\n`);
      const ctx: BenchContext = { load, options, progress: (m) => process.stderr.write(`[bench] ${name}: ${m}\n`) };
      const section = await BENCHMARKS[name]!(ctx);
      report.push(section.markdown, '');
      process.stdout.write(section.markdown + '\n\n');
    }
  } finally {
    load.close();
  }
  report.push(`Total time ${((Date.now() - started) / 1000).toFixed(0)} s; load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')}.`);
  process.stdout.write(report.at(-1) + '\n');
  if (out) fs.writeFileSync(out, report.join('\n') + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
