// How sign-in latency changes with the pool's size: 1,000 users vs 1,000,000 (goal: flat
// within 20 %). Two servers in this process, each with its own SQLite database — one pool
// of 1,000 users, one of 1,000,000 — measured in alternating repetitions so that the
// shared machine's ups and downs fall on both.
import { performance } from 'node:perf_hooks';
import { argon2Hasher } from '../src/userpool/passwords.js';
import { BENCH_PASSWORD, benchEmail, insertUsers, signIn, signInBody, startBenchServer, type BenchServer } from './lib/server.js';
import { argon2VerifyRate } from './lib/baselines.js';
import { fmtMs, fmtRate, fmtRatio, median, percentile, table } from './lib/stats.js';
import { loadAverage, type BenchContext, type Section } from './lib/context.js';

const SMALL = 1000;
const GETUSER_SESSIONS = 50;

interface Pool {
  s: BenchServer;
  users: number;
  getUserBodies: string[];
  signinP50: number[];
  signinP95: number[];
  argonP50: number[];
  argonP95: number[];
  getuserP50: number[];
  getuserP95: number[];
}

function randomIndexes(size: number, count: number): number[] {
  return Array.from({ length: count }, () => Math.floor(Math.random() * size));
}

async function prepare(ctx: BenchContext, s: BenchServer, users: number): Promise<Pool> {
  // Access tokens of random users for the GetUser figure, and a few warm-up sign-ins (not measured).
  const tokens = [];
  for (const i of randomIndexes(users, GETUSER_SESSIONS)) tokens.push(await signIn(s.url, s.clientId, benchEmail(i)));
  const warmup = randomIndexes(users, 20).map((i) => signInBody(s.clientId, benchEmail(i)));
  await ctx.load.runOk({ url: s.url, target: 'InitiateAuth', bodies: warmup, concurrency: 1, count: warmup.length });
  return {
    s,
    users,
    getUserBodies: tokens.map((t) => JSON.stringify({ AccessToken: t.AccessToken })),
    signinP50: [],
    signinP95: [],
    argonP50: [],
    argonP95: [],
    getuserP50: [],
    getuserP95: [],
  };
}

async function measure(ctx: BenchContext, p: Pool, hash: string): Promise<void> {
  const n = ctx.options.scaleSignIns;
  // Sequential: one sign-in at a time, each of a user drawn at random from the whole pool.
  const bodies = randomIndexes(p.users, n).map((i) => signInBody(p.s.clientId, benchEmail(i)));
  const signins = await ctx.load.runOk({ url: p.s.url, target: 'InitiateAuth', bodies, concurrency: 1, count: n });
  p.signinP50.push(median(signins.latenciesMs));
  p.signinP95.push(percentile(signins.latenciesMs, 95));
  const argon = await argon2VerifyRate(hash, BENCH_PASSWORD, 1, 3000);
  p.argonP50.push(median(argon.latenciesMs));
  p.argonP95.push(percentile(argon.latenciesMs, 95));
  const getusers = await ctx.load.runOk({ url: p.s.url, target: 'GetUser', bodies: p.getUserBodies, concurrency: 1, count: n * 2 });
  p.getuserP50.push(median(getusers.latenciesMs));
  p.getuserP95.push(percentile(getusers.latenciesMs, 95));
  ctx.progress(`${p.users} users: sign-in p50 ${fmtMs(p.signinP50.at(-1)!)} ms, p95 ${fmtMs(p.signinP95.at(-1)!)} ms; argon2 p95 ${fmtMs(p.argonP95.at(-1)!)} ms`);
}

export async function scaleBench(ctx: BenchContext): Promise<Section> {
  const large = ctx.options.largeUsers;
  const loadBefore = loadAverage();
  const smallServer = await startBenchServer();
  const largeServer = await startBenchServer().catch(async (err: unknown) => {
    await smallServer.close();
    throw err;
  });
  try {
    const hash = await argon2Hasher.hash(BENCH_PASSWORD);
    await insertUsers(smallServer.server.store.db, smallServer.poolId, 0, SMALL, hash);
    ctx.progress(`inserting ${large} users`);
    const db = largeServer.server.store.db;
    const t0 = performance.now();
    await insertUsers(db, largeServer.poolId, 0, large, hash);
    const insertSeconds = (performance.now() - t0) / 1000;
    const count = Number((await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    ctx.progress(`inserted ${count} users in ${insertSeconds.toFixed(1)} s`);

    const small = await prepare(ctx, smallServer, SMALL);
    const big = await prepare(ctx, largeServer, count);
    for (let rep = 0; rep < ctx.options.reps; rep++) {
      const order = rep % 2 === 0 ? [small, big] : [big, small];
      for (const p of order) await measure(ctx, p, hash);
    }

    const row = (p: Pool) => [
      p.users.toLocaleString('en-US'),
      fmtMs(median(p.signinP50)),
      fmtMs(median(p.signinP95)),
      `${fmtMs(median(p.argonP50))} / ${fmtMs(median(p.argonP95))}`,
      fmtMs(median(p.getuserP50)),
      fmtMs(median(p.getuserP95)),
      p.signinP95.map(fmtMs).join(', '),
    ];
    const r50 = median(big.signinP50) / median(small.signinP50);
    const r95 = median(big.signinP95) / median(small.signinP95);
    const flat = (r: number) => Math.abs(r - 1) <= 0.2;
    return {
      name: 'scale',
      markdown: [
        `### Sign-in latency with ${SMALL.toLocaleString('en-US')} vs ${count.toLocaleString('en-US')} users`,
        '',
        `Two servers in one process, each on its own SQLite database: one pool of ${SMALL.toLocaleString('en-US')} users, one of ${count.toLocaleString('en-US')}. ` +
          `Users bulk-inserted with Kysely (${count.toLocaleString('en-US')} users and ${(2 * count).toLocaleString('en-US')} attribute rows in ${insertSeconds.toFixed(1)} s, ` +
          `${fmtRate(count / insertSeconds)} users/s, batches of 1,000 rows, 50,000 users per transaction; one reused argon2id hash; SQLite page cache raised to 256 MiB ` +
          `for the load only and put back to the server's setting, WAL checkpointed, before measuring). ` +
          `Per repetition and pool (pools alternate): ${ctx.options.scaleSignIns} sequential sign-ins (USER_PASSWORD_AUTH) of users drawn at random from the whole pool; ` +
          `3 s of sequential argon2id verifies in the server process (the fixed cost inside each sign-in, and a gauge of CPU contention); ` +
          `${ctx.options.scaleSignIns * 2} sequential GetUser calls (database-bound, no argon2) with ${GETUSER_SESSIONS} random users' tokens. ` +
          `Medians over ${ctx.options.reps} repetitions. Load average ${loadBefore} → ${loadAverage()}.`,
        '',
        table(
          ['users in pool', 'sign-in p50 ms', 'sign-in p95 ms', 'argon2 verify p50 / p95 ms', 'GetUser p50 ms', 'GetUser p95 ms', 'sign-in p95 per repetition'],
          [row(small), row(big)],
        ),
        '',
        `Large / small: sign-in p50 **${fmtRatio(r50)}**, p95 **${fmtRatio(r95)}**; GetUser p50 ${fmtRatio(median(big.getuserP50) / median(small.getuserP50))}, ` +
          `p95 ${fmtRatio(median(big.getuserP95) / median(small.getuserP95))}. ` +
          `Goal flat within 20 %: ${flat(r50) && flat(r95) ? 'met' : `**not met** (p50 ${flat(r50) ? 'within' : 'outside'}, p95 ${flat(r95) ? 'within' : 'outside'})`}.`,
      ].join('\n'),
    };
  } finally {
    await largeServer.close();
    await smallServer.close();
  }
}
