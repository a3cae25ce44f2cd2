// How sign-in latency changes with the pool's size: the same pool measured at 1,000 users
// and again after bulk-inserting up to 1,000,000 (goal: flat within 20 %).
import { performance } from 'node:perf_hooks';
import { argon2Hasher } from '../src/userpool/passwords.js';
import { BENCH_PASSWORD, benchEmail, insertUsers, signIn, signInBody, startBenchServer, type BenchServer } from './lib/server.js';
import { argon2VerifyRate } from './lib/baselines.js';
import { fmtMs, fmtRate, fmtRatio, median, percentile, table } from './lib/stats.js';
import { loadAverage, type BenchContext, type Section } from './lib/context.js';

const SMALL = 1000;
const GETUSER_SESSIONS = 50;

interface SizeFigures {
  users: number;
  signinP50: number[];
  signinP95: number[];
  argonP50: number[];
  getuserP50: number[];
  getuserP95: number[];
  load: string;
}

function randomIndexes(size: number, count: number): number[] {
  return Array.from({ length: count }, () => Math.floor(Math.random() * size));
}

async function measure(ctx: BenchContext, s: BenchServer, hash: string, users: number): Promise<SizeFigures> {
  const n = ctx.options.scaleSignIns;
  const f: SizeFigures = { users, signinP50: [], signinP95: [], argonP50: [], getuserP50: [], getuserP95: [], load: loadAverage() };
  // Access tokens of random users for the GetUser figure (setup, not measured).
  const tokens = [];
  for (const i of randomIndexes(users, GETUSER_SESSIONS)) tokens.push(await signIn(s.url, s.clientId, benchEmail(i)));
  const getUserBodies = tokens.map((t) => JSON.stringify({ AccessToken: t.AccessToken }));
  await ctx.load.runOk({ url: s.url, target: 'InitiateAuth', bodies: randomIndexes(users, 20).map((i) => signInBody(s.clientId, benchEmail(i))), concurrency: 1, count: 20 });
  for (let rep = 0; rep < ctx.options.reps; rep++) {
    // Sequential: one sign-in at a time, each of a user drawn at random from the whole pool.
    const bodies = randomIndexes(users, n).map((i) => signInBody(s.clientId, benchEmail(i)));
    const signins = await ctx.load.runOk({ url: s.url, target: 'InitiateAuth', bodies, concurrency: 1, count: n });
    f.signinP50.push(median(signins.latenciesMs));
    f.signinP95.push(percentile(signins.latenciesMs, 95));
    const argon = await argon2VerifyRate(hash, BENCH_PASSWORD, 1, Math.min(ctx.options.durationMs, 3000));
    f.argonP50.push(median(argon.latenciesMs));
    const getusers = await ctx.load.runOk({ url: s.url, target: 'GetUser', bodies: getUserBodies, concurrency: 1, count: n * 2 });
    f.getuserP50.push(median(getusers.latenciesMs));
    f.getuserP95.push(percentile(getusers.latenciesMs, 95));
    ctx.progress(`${users} users, rep ${rep + 1}: sign-in p50 ${fmtMs(f.signinP50.at(-1)!)} ms, p95 ${fmtMs(f.signinP95.at(-1)!)} ms`);
  }
  return f;
}

export async function scaleBench(ctx: BenchContext): Promise<Section> {
  const large = ctx.options.largeUsers;
  const s = await startBenchServer();
  try {
    const hash = await argon2Hasher.hash(BENCH_PASSWORD);
    const db = s.server.deps.store.db;
    await insertUsers(db, s.poolId, 0, SMALL, hash);
    const small = await measure(ctx, s, hash, SMALL);

    ctx.progress(`inserting ${large - SMALL} more users`);
    const t0 = performance.now();
    await insertUsers(db, s.poolId, SMALL, large - SMALL, hash);
    const insertSeconds = (performance.now() - t0) / 1000;
    ctx.progress(`inserted in ${insertSeconds.toFixed(1)} s`);
    const count = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const big = await measure(ctx, s, hash, Number(count.n));

    const row = (f: SizeFigures) => [
      f.users.toLocaleString('en-US'),
      fmtMs(median(f.signinP50)),
      fmtMs(median(f.signinP95)),
      fmtMs(median(f.argonP50)),
      fmtMs(median(f.getuserP50)),
      fmtMs(median(f.getuserP95)),
      f.load,
    ];
    const r50 = median(big.signinP50) / median(small.signinP50);
    const r95 = median(big.signinP95) / median(small.signinP95);
    const g50 = median(big.getuserP50) / median(small.getuserP50);
    const flat = (r: number) => Math.abs(r - 1) <= 0.2;
    return {
      name: 'scale',
      markdown: [
        `### Sign-in latency with ${SMALL.toLocaleString('en-US')} vs ${Number(count.n).toLocaleString('en-US')} users`,
        '',
        `One pool on SQLite. Users bulk-inserted with Kysely (${(large - SMALL).toLocaleString('en-US')} users and ${(2 * (large - SMALL)).toLocaleString('en-US')} attribute rows ` +
          `in ${insertSeconds.toFixed(1)} s, ${fmtRate((large - SMALL) / insertSeconds)} users/s; one reused argon2id hash; SQLite page cache raised to 256 MiB during the load only and put back to the server's setting, WAL checkpointed, before measuring). ` +
          `Per repetition: ${ctx.options.scaleSignIns} sequential sign-ins (USER_PASSWORD_AUTH) of users drawn at random from the whole pool, ` +
          `then sequential argon2id verifies in the server process (the fixed cost inside each sign-in), then ${ctx.options.scaleSignIns * 2} sequential GetUser ` +
          `calls (the database-bound path, no argon2) over ${GETUSER_SESSIONS} random users' tokens. Medians over ${ctx.options.reps} repetitions.`,
        '',
        table(['users in pool', 'sign-in p50 ms', 'sign-in p95 ms', 'argon2 verify p50 ms', 'GetUser p50 ms', 'GetUser p95 ms', 'load average (1/5/15 min)'], [row(small), row(big)]),
        '',
        `Large / small: sign-in p50 **${fmtRatio(r50)}**, p95 **${fmtRatio(r95)}**; GetUser p50 ${fmtRatio(g50)}. ` +
          `Goal flat within 20 %: ${flat(r50) && flat(r95) ? 'met' : `**not met** (p50 ${flat(r50) ? 'within' : 'outside'}, p95 ${flat(r95) ? 'within' : 'outside'})`}.`,
      ].join('\n'),
    };
  } finally {
    await s.close();
  }
}
