// Throughput of the Cognito operations over HTTP, each beside the limit it cannot beat,
// measured in the same run: sign-in vs argon2id verify, refresh vs RSA-2048 signing,
// GetUser vs the HTTP round trip of an error answer, SignUp vs argon2id hash.
import { argon2Hasher } from '../src/userpool/passwords.js';
import { BENCH_PASSWORD, benchEmail, insertUsers, noWorkHasher, signIn, signInBody, startBenchServer, type BenchServer, type Tokens } from './lib/server.js';
import { argon2HashRate, argon2VerifyRate, jwtSigningInput, rsaKey, rsaSignRatePool, rsaSignRateSync } from './lib/baselines.js';
import { rateOf, type LoadJob, type LoadResult } from './lib/load.js';
import { fmtMs, fmtRate, median, percentile, ratios, ratioText, table } from './lib/stats.js';
import { loadAverage, type BenchContext, type Section } from './lib/context.js';

/**
 * Requests in flight for the argon2-bound operations, and for their argon2 baselines.
 * argon2 runs on libuv's thread pool (4 threads): with only 4 requests in flight, a
 * request between its argon2 job and its answer (token signatures queued behind other
 * argon2 jobs, the round trip to the client) leaves a core idle now and then; 16 keep the
 * pool's queue full, which is the server's capacity. 4 in flight is kept as a diagnostic row.
 */
const ARGON2_CONCURRENCY = 16;
/** The earlier setting, measured beside it for comparison. */
const LOW_CONCURRENCY = 4;
/** Refresh and GetUser are event-loop bound: enough in flight to keep the loop full. */
const LIGHT_CONCURRENCY = 16;
const SEEDED_USERS = 1000;
const SESSIONS = 100;

interface Measured {
  rates: number[];
  latencies: number[][];
}

function collect(results: LoadResult[]): Measured {
  return { rates: results.map(rateOf), latencies: results.map((r) => r.latenciesMs) };
}

function latencyCells(m: Measured): [string, string] {
  return [fmtMs(median(m.latencies.map((l) => median(l)))), fmtMs(median(m.latencies.map((l) => percentile(l, 95))))];
}

function repsCell(rates: number[]): string {
  return rates.map(fmtRate).join(', ');
}

function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function withServer<T>(ctx: BenchContext, users: number, fn: (s: BenchServer, hash: string) => Promise<T>, noWork = false): Promise<T> {
  const s = await startBenchServer(noWork ? { passwords: noWorkHasher } : {});
  try {
    const hash = await argon2Hasher.hash(BENCH_PASSWORD);
    if (users > 0) {
      ctx.progress(`inserting ${users} users${noWork ? ' (diagnostic server)' : ''}`);
      await insertUsers(s.server.store.db, s.poolId, 0, users, hash);
    }
    return await fn(s, hash);
  } finally {
    await s.close();
  }
}

/** Runs `fn` with a second server whose password hasher does no work (diagnostic rows). */
function withDiagnosticServer<T>(ctx: BenchContext, users: number, fn: (diag: BenchServer) => Promise<T>): Promise<T> {
  return withServer(ctx, users, (diag) => fn(diag), true);
}

const DIAGNOSTIC_NOTE =
  'Diagnostic row: the same requests to a second server in this process whose password hasher does no work — ' +
  'the rate of everything else the operation does (HTTP, JSON, database, tokens, mail), with the client competing for the same 2 cores.';

async function sessions(s: BenchServer, count: number): Promise<Tokens[]> {
  const out: Tokens[] = [];
  for (let i = 0; i < count; i++) out.push(await signIn(s.url, s.clientId, benchEmail(i)));
  return out;
}

/** Warm-up, then `reps` × (baseline, load) interleaved so both see the same machine. */
async function interleaved(
  ctx: BenchContext,
  job: (rep: number) => LoadJob,
  baselines: ((rep: number) => Promise<number>)[],
): Promise<{ load: Measured; baselines: number[][] }> {
  const { durationMs, reps, warmupMs } = ctx.options;
  await ctx.load.runOk({ ...job(-1), durationMs: warmupMs });
  const results: LoadResult[] = [];
  const base: number[][] = baselines.map(() => []);
  for (let rep = 0; rep < reps; rep++) {
    // Limit first in even repetitions, last in odd ones: a machine getting busier or quieter
    // (other people's work) then tilts neither side of the ratio.
    const limitFirst = rep % 2 === 0;
    if (!limitFirst) results.push(await ctx.load.runOk({ ...job(rep), durationMs }));
    for (let b = 0; b < baselines.length; b++) base[b]!.push(await baselines[b]!(rep));
    if (limitFirst) results.push(await ctx.load.runOk({ ...job(rep), durationMs }));
    ctx.progress(`rep ${rep + 1}/${reps}: ${fmtRate(rateOf(results.at(-1)!))}/s, limit ${base.map((b) => fmtRate(b.at(-1)!)).join(', ')}/s`);
  }
  return { load: collect(results), baselines: base };
}

export async function signinBench(ctx: BenchContext): Promise<Section> {
  const loadBefore = loadAverage();
  return withServer(ctx, SEEDED_USERS, async (s, hash) => withDiagnosticServer(ctx, SEEDED_USERS, async (diag) => {
    const bodies = shuffled(Array.from({ length: SEEDED_USERS }, (_, i) => signInBody(s.clientId, benchEmail(i))));
    const diagBodies = shuffled(Array.from({ length: SEEDED_USERS }, (_, i) => signInBody(diag.clientId, benchEmail(i))));
    const d = ctx.options.durationMs;
    const r = await interleaved(ctx, () => ({ url: s.url, target: 'InitiateAuth', bodies, concurrency: ARGON2_CONCURRENCY }), [
      async () => (await argon2VerifyRate(hash, BENCH_PASSWORD, ARGON2_CONCURRENCY, d)).perSecond,
      async () => rateOf(await ctx.load.runOk({ url: diag.url, target: 'InitiateAuth', bodies: diagBodies, concurrency: ARGON2_CONCURRENCY, durationMs: d })),
      async () => rateOf(await ctx.load.runOk({ url: s.url, target: 'InitiateAuth', bodies, concurrency: LOW_CONCURRENCY, durationMs: d })),
    ]);
    const signins = median(r.load.rates);
    const argon = median(r.baselines[0]!);
    const ratio = ratios(r.load.rates, r.baselines[0]!);
    const [p50, p95] = latencyCells(r.load);
    return {
      name: 'signin',
      markdown: [
        `### Password sign-in (InitiateAuth USER_PASSWORD_AUTH)`,
        '',
        `${SEEDED_USERS} confirmed users, random order, ${ARGON2_CONCURRENCY} requests in flight; baseline: \`@node-rs/argon2\` verify with ` +
          `ARGON2_OPTIONS (m=19456 KiB, t=2, p=1), ${ARGON2_CONCURRENCY} in flight, in the server process while idle. Load average ${loadBefore} → ${loadAverage()}.`,
        '',
        table(
          ['measure', 'median /s', 'repetitions /s', 'p50 ms', 'p95 ms'],
          [
            ['sign-ins over HTTP', fmtRate(signins), repsCell(r.load.rates), p50, p95],
            ['argon2id verify (limit)', fmtRate(argon), repsCell(r.baselines[0]!), '', ''],
            ['diagnostic: sign-ins with a no-work hasher', fmtRate(median(r.baselines[1]!)), repsCell(r.baselines[1]!), '', ''],
            [`diagnostic: sign-ins with ${LOW_CONCURRENCY} in flight`, fmtRate(median(r.baselines[2]!)), repsCell(r.baselines[2]!), '', ''],
          ],
        ),
        '',
        `Sign-ins / argon2id verify: ${ratioText(ratio, 0.8)}. ` +
          `With ${LOW_CONCURRENCY} in flight (diagnostic, against the same baseline): ${ratioText(ratios(r.baselines[2]!, r.baselines[0]!))}.`,
        '',
        DIAGNOSTIC_NOTE,
      ].join('\n'),
    };
  }));
}

export async function refreshBench(ctx: BenchContext): Promise<Section> {
  const loadBefore = loadAverage();
  return withServer(ctx, SESSIONS, async (s) => {
    const tokens = await sessions(s, SESSIONS);
    const bodies = tokens.map((t) => JSON.stringify({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: s.clientId, AuthParameters: { REFRESH_TOKEN: t.RefreshToken } }));
    const key = rsaKey();
    const input = jwtSigningInput();
    const d = ctx.options.durationMs;
    const r = await interleaved(ctx, () => ({ url: s.url, target: 'InitiateAuth', bodies, concurrency: LIGHT_CONCURRENCY }), [
      async () => rsaSignRateSync(key, input, d).perSecond,
      async () => (await rsaSignRatePool(key, input, LIGHT_CONCURRENCY, d)).perSecond,
    ]);
    const refreshes = median(r.load.rates);
    const signSync = median(r.baselines[0]!);
    const signPool = median(r.baselines[1]!);
    // The issuer signs with the callback form of crypto.sign (libuv's thread pool): a
    // refresh's ceiling is half the thread-pool signature rate.
    const ceiling = signPool / 2;
    const [p50, p95] = latencyCells(r.load);
    return {
      name: 'refresh',
      markdown: [
        `### Refresh (InitiateAuth REFRESH_TOKEN_AUTH)`,
        '',
        `${SESSIONS} sessions used in turn, ${LIGHT_CONCURRENCY} requests in flight. A refresh signs two RS256 JWTs (ID and access token) with ` +
          `node:crypto's callback \`sign\` on libuv's thread pool (src/tokens/issuer.ts), so its ceiling is about half the thread-pool signature rate. ` +
          `Load average ${loadBefore} → ${loadAverage()}.`,
        '',
        table(
          ['measure', 'median /s', 'repetitions /s', 'p50 ms', 'p95 ms'],
          [
            ['refreshes over HTTP', fmtRate(refreshes), repsCell(r.load.rates), p50, p95],
            ['RSA-2048 RS256 signatures, sync, one thread', fmtRate(signSync), repsCell(r.baselines[0]!), '', ''],
            [`RSA-2048 RS256 signatures, thread pool (callback \`sign\`, ${LIGHT_CONCURRENCY} in flight)`, fmtRate(signPool), repsCell(r.baselines[1]!), '', ''],
            ['→ ceiling: half of the thread-pool rate', fmtRate(ceiling), '', '', ''],
          ],
        ),
        '',
        `Refreshes / ceiling (thread-pool signatures ÷ 2): ${ratioText(ratios(r.load.rates, r.baselines[1]!, 0.5))}. Goal ≥ 2,000 refreshes/s: ${
          refreshes >= 2000 ? 'met' : `**not met** — ${fmtRate(refreshes)}/s; the ceiling on this machine is ${fmtRate(ceiling)}/s`
        }.`,
      ].join('\n'),
    };
  });
}

export async function getuserBench(ctx: BenchContext): Promise<Section> {
  const loadBefore = loadAverage();
  return withServer(ctx, SESSIONS, async (s) => {
    const tokens = await sessions(s, SESSIONS);
    const bodies = tokens.map((t) => JSON.stringify({ AccessToken: t.AccessToken }));
    // The cheapest answer the Cognito endpoint gives: an unknown operation, refused before any
    // database or crypto work. It is the HTTP + dispatch floor of this machine and client.
    const floorJob: LoadJob = { url: s.url, target: 'BenchNoSuchOperation', bodies: ['{}'], concurrency: LIGHT_CONCURRENCY, okStatus: 400 };
    const d = ctx.options.durationMs;
    const r = await interleaved(ctx, () => ({ url: s.url, target: 'GetUser', bodies, concurrency: LIGHT_CONCURRENCY }), [
      async () => rateOf(await ctx.load.runOk({ ...floorJob, durationMs: d })),
    ]);
    const rate = median(r.load.rates);
    const floor = median(r.baselines[0]!);
    const [p50, p95] = latencyCells(r.load);
    return {
      name: 'getuser',
      markdown: [
        `### GetUser`,
        '',
        `${SESSIONS} access tokens used in turn, ${LIGHT_CONCURRENCY} requests in flight. Each GetUser verifies the RS256 token and reads pool, ` +
          `user, session, attributes and client. Beside it: the HTTP round trip of an error answer (unknown operation; no database, no crypto). ` +
          `Load average ${loadBefore} → ${loadAverage()}.`,
        '',
        table(
          ['measure', 'median /s', 'repetitions /s', 'p50 ms', 'p95 ms'],
          [
            ['GetUser over HTTP', fmtRate(rate), repsCell(r.load.rates), p50, p95],
            ['HTTP floor (UnknownOperationException answer)', fmtRate(floor), repsCell(r.baselines[0]!), '', ''],
          ],
        ),
        '',
        `GetUser / HTTP floor: ${ratioText(ratios(r.load.rates, r.baselines[0]!))} (no goal set).`,
      ].join('\n'),
    };
  });
}

export async function signupBench(ctx: BenchContext): Promise<Section> {
  const loadBefore = loadAverage();
  return withServer(ctx, 0, async (s) => withDiagnosticServer(ctx, 0, async (diag) => {
    const template = (clientId: string, rep: number) =>
      JSON.stringify({
        ClientId: clientId,
        Username: `signup-r${rep < 0 ? 'w' : rep}-__N__@bench.example.jp`,
        Password: BENCH_PASSWORD,
      });
    const d = ctx.options.durationMs;
    const r = await interleaved(ctx, (rep) => ({ url: s.url, target: 'SignUp', template: template(s.clientId, rep), concurrency: ARGON2_CONCURRENCY }), [
      async () => (await argon2HashRate(BENCH_PASSWORD, ARGON2_CONCURRENCY, d)).perSecond,
      async (rep) => rateOf(await ctx.load.runOk({ url: diag.url, target: 'SignUp', template: template(diag.clientId, rep), concurrency: ARGON2_CONCURRENCY, durationMs: d })),
    ]);
    const outbox = await s.server.store.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rate = median(r.load.rates);
    const argon = median(r.baselines[0]!);
    const [p50, p95] = latencyCells(r.load);
    return {
      name: 'signup',
      markdown: [
        `### SignUp`,
        '',
        `New email-username user per request in the demo pool (AutoVerifiedAttributes email): argon2id hash, then one transaction writing ` +
          `user, attributes, code and the composed MIME message to the outbox; the capture worker then marks it captured. ` +
          `${ARGON2_CONCURRENCY} requests in flight; baseline: argon2id hash with the same parameters and concurrency. ` +
          `${Number(outbox.n)} outbox rows written. Load average ${loadBefore} → ${loadAverage()}.`,
        '',
        table(
          ['measure', 'median /s', 'repetitions /s', 'p50 ms', 'p95 ms'],
          [
            ['SignUp over HTTP', fmtRate(rate), repsCell(r.load.rates), p50, p95],
            ['argon2id hash (limit)', fmtRate(argon), repsCell(r.baselines[0]!), '', ''],
            ['diagnostic: SignUp with a no-work hasher', fmtRate(median(r.baselines[1]!)), repsCell(r.baselines[1]!), '', ''],
          ],
        ),
        '',
        `SignUp / argon2id hash: ${ratioText(ratios(r.load.rates, r.baselines[0]!))} (no goal set in the issue).`,
        '',
        DIAGNOSTIC_NOTE,
      ].join('\n'),
    };
  }));
}
