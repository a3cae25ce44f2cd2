// Throughput of the Cognito operations over HTTP, each beside the limit it cannot beat,
// measured in the same run: sign-in vs argon2id verify, refresh vs RSA-2048 signing,
// GetUser vs cognito-local's GetUser and the HTTP round trip of an error answer, SignUp vs
// argon2id hash; and each of sign-in and GetUser with the default per-client quotas on vs off.
import { argon2Hasher } from '../src/userpool/passwords.js';
import { BENCH_PASSWORD, benchEmail, insertUsers, noWorkHasher, signIn, signInBody, startBenchServer, type BenchServer, type Tokens } from './lib/server.js';
import { startCognitoLocal } from './lib/cognito-local.js';
import { argon2HashRate, argon2VerifyRate, jwtSigningInput, rsaKey, rsaSignRatePool, rsaSignRateSync } from './lib/baselines.js';
import { rateOf, type LoadJob, type LoadResult } from './lib/load.js';
import { fmtMs, fmtRate, median, percentile, ratios, ratioText, table } from './lib/stats.js';
import { loadAverage, type BenchContext, type Section } from './lib/context.js';

/**
 * Requests in flight for every headline figure and for the limit measured beside it (issue 8:
 * "8 requests in flight"). argon2 and the token signatures run on libuv's thread pool of 4;
 * 8 in flight keep it busy on 2 cores while a request waits for its answer.
 */
const CONCURRENCY = 8;
/** Diagnostic rows of sign-in: the earlier settings (16 in flight, then 4), against the same limit. */
const HIGH_CONCURRENCY = 16;
const LOW_CONCURRENCY = 4;
/**
 * Client addresses of the quotas-on/off rows: the default quotas allow 120 requests per second
 * per client IP and category, so the load comes from this many loopback addresses in turn
 * (GetUser at ~2,500/s is ~80/s from each), as many clients would send it.
 */
const QUOTA_CLIENTS = 32;
const QUOTA_SOURCES = Array.from({ length: QUOTA_CLIENTS }, (_, i) => `127.0.0.${i + 2}`);
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

interface ServerKind {
  /** A password hasher that does no work (diagnostic rows). */
  noWork?: boolean;
  /** The default per-client quotas on (the quotas rows). */
  quotasOn?: boolean;
}

async function withServer<T>(ctx: BenchContext, users: number, fn: (s: BenchServer, hash: string) => Promise<T>, kind: ServerKind = {}): Promise<T> {
  const s = await startBenchServer({ ...(kind.noWork ? { passwords: noWorkHasher } : {}), quotas: kind.quotasOn ? 'default' : 'off' });
  try {
    const hash = await argon2Hasher.hash(BENCH_PASSWORD);
    if (users > 0) {
      ctx.progress(`inserting ${users} users${kind.noWork ? ' (diagnostic server)' : kind.quotasOn ? ' (quotas-on server)' : ''}`);
      await insertUsers(s.server.store.db, s.poolId, 0, users, hash);
    }
    return await fn(s, hash);
  } finally {
    await s.close();
  }
}

/** Runs `fn` with a second server whose password hasher does no work (diagnostic rows). */
function withDiagnosticServer<T>(ctx: BenchContext, users: number, fn: (diag: BenchServer) => Promise<T>): Promise<T> {
  return withServer(ctx, users, (diag) => fn(diag), { noWork: true });
}

/** Runs `fn` with a second server with the default per-client quotas on. */
function withQuotasServer<T>(ctx: BenchContext, users: number, fn: (on: BenchServer) => Promise<T>): Promise<T> {
  return withServer(ctx, users, (on) => fn(on), { quotasOn: true });
}

const QUOTA_NOTE =
  `Quotas rows: the same requests from ${QUOTA_CLIENTS} loopback client addresses in turn, to a server with the default per-client quotas ` +
  `(TODOKU_RATE_* unset: 120 requests/s per client IP and category) and to the headline server (quotas off); what the rate limiter costs.`;

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
  return withServer(ctx, SEEDED_USERS, async (s, hash) =>
    withDiagnosticServer(ctx, SEEDED_USERS, async (diag) =>
      withQuotasServer(ctx, SEEDED_USERS, async (on) => {
        const bodiesOf = (srv: BenchServer) => shuffled(Array.from({ length: SEEDED_USERS }, (_, i) => signInBody(srv.clientId, benchEmail(i))));
        const [bodies, diagBodies, onBodies] = [bodiesOf(s), bodiesOf(diag), bodiesOf(on)];
        const d = ctx.options.durationMs;
        const signIns = (srv: BenchServer, b: string[], concurrency: number, sourceAddresses?: string[]) => async () =>
          rateOf(await ctx.load.runOk({ url: srv.url, target: 'InitiateAuth', bodies: b, concurrency, durationMs: d, ...(sourceAddresses ? { sourceAddresses } : {}) }));
        const r = await interleaved(ctx, () => ({ url: s.url, target: 'InitiateAuth', bodies, concurrency: CONCURRENCY }), [
          async () => (await argon2VerifyRate(hash, BENCH_PASSWORD, CONCURRENCY, d)).perSecond,
          signIns(diag, diagBodies, CONCURRENCY),
          signIns(s, bodies, HIGH_CONCURRENCY),
          signIns(s, bodies, LOW_CONCURRENCY),
          signIns(on, onBodies, CONCURRENCY, QUOTA_SOURCES),
          signIns(s, bodies, CONCURRENCY, QUOTA_SOURCES),
        ]);
        const [argon, noWork, high, low, quotasOn, quotasOff] = r.baselines as [number[], number[], number[], number[], number[], number[]];
        const signins = median(r.load.rates);
        const [p50, p95] = latencyCells(r.load);
        return {
          name: 'signin',
          markdown: [
            `### Password sign-in (InitiateAuth USER_PASSWORD_AUTH)`,
            '',
            `${SEEDED_USERS} confirmed users, random order, ${CONCURRENCY} requests in flight, per-client quotas off; baseline: \`@node-rs/argon2\` verify with ` +
              `ARGON2_OPTIONS (m=19456 KiB, t=2, p=1), ${CONCURRENCY} in flight, in the server process while idle. Load average ${loadBefore} → ${loadAverage()}.`,
            '',
            table(
              ['measure', 'median /s', 'repetitions /s', 'p50 ms', 'p95 ms'],
              [
                ['sign-ins over HTTP', fmtRate(signins), repsCell(r.load.rates), p50, p95],
                ['argon2id verify (limit)', fmtRate(median(argon)), repsCell(argon), '', ''],
                ['diagnostic: sign-ins with a no-work hasher', fmtRate(median(noWork)), repsCell(noWork), '', ''],
                [`diagnostic: sign-ins with ${HIGH_CONCURRENCY} in flight`, fmtRate(median(high)), repsCell(high), '', ''],
                [`diagnostic: sign-ins with ${LOW_CONCURRENCY} in flight`, fmtRate(median(low)), repsCell(low), '', ''],
                [`sign-ins, default quotas on, ${QUOTA_CLIENTS} client IPs`, fmtRate(median(quotasOn)), repsCell(quotasOn), '', ''],
                [`sign-ins, quotas off, ${QUOTA_CLIENTS} client IPs`, fmtRate(median(quotasOff)), repsCell(quotasOff), '', ''],
              ],
            ),
            '',
            `Sign-ins / argon2id verify: ${ratioText(ratios(r.load.rates, argon), 0.8)}. ` +
              `With ${HIGH_CONCURRENCY} in flight (diagnostic, against the same baseline): ${ratioText(ratios(high, argon))}. ` +
              `With ${LOW_CONCURRENCY} in flight: ${ratioText(ratios(low, argon))}.`,
            '',
            `Quotas on / off: ${ratioText(ratios(quotasOn, quotasOff), 0.9)}.`,
            '',
            DIAGNOSTIC_NOTE,
            '',
            QUOTA_NOTE,
          ].join('\n'),
        };
      }),
    ),
  );
}

export async function refreshBench(ctx: BenchContext): Promise<Section> {
  const loadBefore = loadAverage();
  return withServer(ctx, SESSIONS, async (s) => {
    const tokens = await sessions(s, SESSIONS);
    const bodies = tokens.map((t) => JSON.stringify({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: s.clientId, AuthParameters: { REFRESH_TOKEN: t.RefreshToken } }));
    const key = rsaKey();
    const input = jwtSigningInput();
    const d = ctx.options.durationMs;
    const r = await interleaved(ctx, () => ({ url: s.url, target: 'InitiateAuth', bodies, concurrency: CONCURRENCY }), [
      async () => rsaSignRateSync(key, input, d).perSecond,
      async () => (await rsaSignRatePool(key, input, CONCURRENCY, d)).perSecond,
      async () => rateOf(await ctx.load.runOk({ url: s.url, target: 'InitiateAuth', bodies, concurrency: HIGH_CONCURRENCY, durationMs: d })),
    ]);
    const [signSync, signPool, high] = r.baselines as [number[], number[], number[]];
    // The issuer signs with the callback form of crypto.sign (libuv's thread pool): a
    // refresh's ceiling is half the thread-pool signature rate.
    const ceiling = median(signPool) / 2;
    const [p50, p95] = latencyCells(r.load);
    return {
      name: 'refresh',
      markdown: [
        `### Refresh (InitiateAuth REFRESH_TOKEN_AUTH)`,
        '',
        `${SESSIONS} sessions used in turn, ${CONCURRENCY} requests in flight. A refresh signs two RS256 JWTs (ID and access token) with ` +
          `node:crypto's callback \`sign\` on libuv's thread pool (src/tokens/issuer.ts), so its ceiling is half the thread-pool signature rate, ` +
          `measured with ${CONCURRENCY} in flight. Load average ${loadBefore} → ${loadAverage()}.`,
        '',
        table(
          ['measure', 'median /s', 'repetitions /s', 'p50 ms', 'p95 ms'],
          [
            ['refreshes over HTTP', fmtRate(median(r.load.rates)), repsCell(r.load.rates), p50, p95],
            ['RSA-2048 RS256 signatures, sync, one thread', fmtRate(median(signSync)), repsCell(signSync), '', ''],
            [`RSA-2048 RS256 signatures, thread pool (callback \`sign\`, ${CONCURRENCY} in flight)`, fmtRate(median(signPool)), repsCell(signPool), '', ''],
            ['→ ceiling: half of the thread-pool rate', fmtRate(ceiling), '', '', ''],
            [`diagnostic: refreshes with ${HIGH_CONCURRENCY} in flight`, fmtRate(median(high)), repsCell(high), '', ''],
          ],
        ),
        '',
        `Refreshes / ceiling (thread-pool signatures ÷ 2): ${ratioText(ratios(r.load.rates, signPool, 0.5), 0.6)}.`,
      ].join('\n'),
    };
  });
}

export async function getuserBench(ctx: BenchContext): Promise<Section> {
  const loadBefore = loadAverage();
  return withServer(ctx, SESSIONS, async (s) =>
    withQuotasServer(ctx, SESSIONS, async (on) => {
      const bodies = (await sessions(s, SESSIONS)).map((t) => JSON.stringify({ AccessToken: t.AccessToken }));
      const onBodies = (await sessions(on, SESSIONS)).map((t) => JSON.stringify({ AccessToken: t.AccessToken }));
      const cognitoLocal = await startCognitoLocal(SESSIONS, ctx.progress);
      try {
        // The cheapest answer the Cognito endpoint gives: an unknown operation, refused before any
        // database or crypto work. It is the HTTP + dispatch floor of this machine and client.
        const floorJob: LoadJob = { url: s.url, target: 'BenchNoSuchOperation', bodies: ['{}'], concurrency: CONCURRENCY, okStatus: 400 };
        const d = ctx.options.durationMs;
        const getUsers = (url: string, b: string[], sourceAddresses?: string[]) => async () =>
          rateOf(await ctx.load.runOk({ url, target: 'GetUser', bodies: b, concurrency: CONCURRENCY, durationMs: d, ...(sourceAddresses ? { sourceAddresses } : {}) }));
        // cognito-local warms up too (JIT, its data file read) before it is measured.
        await ctx.load.runOk({ url: cognitoLocal.url, target: 'GetUser', bodies: cognitoLocal.getUserBodies, concurrency: CONCURRENCY, durationMs: ctx.options.warmupMs });
        const r = await interleaved(ctx, () => ({ url: s.url, target: 'GetUser', bodies, concurrency: CONCURRENCY }), [
          getUsers(cognitoLocal.url, cognitoLocal.getUserBodies),
          async () => rateOf(await ctx.load.runOk({ ...floorJob, durationMs: d })),
          getUsers(on.url, onBodies, QUOTA_SOURCES),
          getUsers(s.url, bodies, QUOTA_SOURCES),
        ]);
        const [local, floor, quotasOn, quotasOff] = r.baselines as [number[], number[], number[], number[]];
        const [p50, p95] = latencyCells(r.load);
        return {
          name: 'getuser',
          markdown: [
            `### GetUser`,
            '',
            `${SESSIONS} access tokens used in turn, ${CONCURRENCY} requests in flight, per-client quotas off. Each GetUser verifies the RS256 token ` +
              `and reads pool, user, session, attributes and client. Baseline: cognito-local ${cognitoLocal.version} (npm, installed into ` +
              `.tmp/baselines, never a dependency; its logs silent; it decodes the token without verifying it and reads a JSON file store) ` +
              `with ${SESSIONS} users, driven by the same load client. Beside it: the HTTP round trip of an error answer (unknown operation; ` +
              `no database, no crypto). Load average ${loadBefore} → ${loadAverage()}.`,
            '',
            table(
              ['measure', 'median /s', 'repetitions /s', 'p50 ms', 'p95 ms'],
              [
                ['GetUser over HTTP', fmtRate(median(r.load.rates)), repsCell(r.load.rates), p50, p95],
                [`cognito-local ${cognitoLocal.version} GetUser (baseline)`, fmtRate(median(local)), repsCell(local), '', ''],
                ['HTTP floor (UnknownOperationException answer)', fmtRate(median(floor)), repsCell(floor), '', ''],
                [`GetUser, default quotas on, ${QUOTA_CLIENTS} client IPs`, fmtRate(median(quotasOn)), repsCell(quotasOn), '', ''],
                [`GetUser, quotas off, ${QUOTA_CLIENTS} client IPs`, fmtRate(median(quotasOff)), repsCell(quotasOff), '', ''],
              ],
            ),
            '',
            `GetUser / cognito-local GetUser: ${ratioText(ratios(r.load.rates, local), 2)}. ` +
              `GetUser / HTTP floor: ${ratioText(ratios(r.load.rates, floor))} (no goal set).`,
            '',
            `Quotas on / off: ${ratioText(ratios(quotasOn, quotasOff), 0.9)}.`,
            '',
            QUOTA_NOTE,
          ].join('\n'),
        };
      } finally {
        await cognitoLocal.close();
      }
    }),
  );
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
    const r = await interleaved(ctx, (rep) => ({ url: s.url, target: 'SignUp', template: template(s.clientId, rep), concurrency: CONCURRENCY }), [
      async () => (await argon2HashRate(BENCH_PASSWORD, CONCURRENCY, d)).perSecond,
      async (rep) => rateOf(await ctx.load.runOk({ url: diag.url, target: 'SignUp', template: template(diag.clientId, rep), concurrency: CONCURRENCY, durationMs: d })),
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
          `${CONCURRENCY} requests in flight; baseline: argon2id hash with the same parameters and concurrency. ` +
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
