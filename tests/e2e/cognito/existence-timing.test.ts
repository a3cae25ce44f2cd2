// Issue 13 #7, timing: with PreventUserExistenceErrors=ENABLED, ForgotPassword and
// ResendConfirmationCode took 3.3 ms against 1.1 ms and 1.7 against 0.6 ms (median) for a
// real user against an unknown name. Compared here over distributions, not wall-clock
// thresholds: a few hundred tries through the real server and SDK, real and unknown names
// interleaved in a shuffled order (so load on the machine falls on both alike), and a
// Mann-Whitney rank-sum test with a strict threshold (|z| < 3.29, two-sided p 0.001), which a
// busy two-core machine passes when both paths take the same time and which the old 3× gap
// fails by far (z beyond 10).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForgotPasswordCommand, ResendConfirmationCodeCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { confirmedUser, signUp, startServer } from '../../helpers/self-service.js';

const TRIES_PER_SIDE = 120;
const Z_LIMIT = 3.29;

let srv: TestServer;
beforeAll(async () => {
  // Enough code mails per user for every try (the hourly cap would answer early otherwise).
  srv = await startServer({ TODOKU_CODE_MAX_SENDS_PER_HOUR: '1000000' });
});
afterAll(async () => {
  await srv?.close();
});

/** The normal approximation of the Mann-Whitney U statistic of `a` against `b` (ties ranked by their mean). */
function rankSumZ(a: number[], b: number[]): number {
  const all = [...a.map((v) => ({ v, side: 0 })), ...b.map((v) => ({ v, side: 1 }))].sort((x, y) => x.v - y.v);
  const ranks = new Array<number>(all.length);
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    for (let k = i; k <= j; k++) ranks[k] = (i + j) / 2 + 1;
    i = j + 1;
  }
  let rankSumA = 0;
  all.forEach((x, i) => {
    if (x.side === 0) rankSumA += ranks[i]!;
  });
  const n1 = a.length;
  const n2 = b.length;
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const sd = Math.sqrt((n1 * n2 * (n1 + n2 + 1)) / 12);
  return (u - mean) / sd;
}

/** A fixed shuffle (a small LCG): the same interleaving on every run. */
function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  let seed = 0x13_07;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Times each call (ms), real and unknown names interleaved; returns both samples. */
async function timeBoth(call: (name: string) => Promise<unknown>, realNames: string[], unknownNames: string[]) {
  // Warm both paths up (JIT, prepared statements, pools) before measuring.
  for (let i = 0; i < 5; i++) {
    await call(realNames[i % realNames.length]!);
    await call(unknownNames[i % unknownNames.length]!);
  }
  const plan = shuffled([...Array<'real'>(TRIES_PER_SIDE).fill('real'), ...Array<'unknown'>(TRIES_PER_SIDE).fill('unknown')]);
  const real: number[] = [];
  const unknown: number[] = [];
  for (const [i, side] of plan.entries()) {
    const names = side === 'real' ? realNames : unknownNames;
    const started = performance.now();
    await call(names[i % names.length]!);
    (side === 'real' ? real : unknown).push(performance.now() - started);
  }
  return { real, unknown };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('PreventUserExistenceErrors=ENABLED: the same time for a name with a user and one without', () => {
  it('ForgotPassword', { timeout: 180_000 }, async () => {
    const realNames = Array.from({ length: 6 }, (_, i) => `timing-reset-${i}@example.jp`);
    for (const name of realNames) await confirmedUser(srv, name);
    const unknownNames = Array.from({ length: 6 }, (_, i) => `timing-nobody-${i}@example.jp`);
    const forgot = (name: string) => srv.publicClient.send(new ForgotPasswordCommand({ ClientId: srv.demo.clientId, Username: name }));
    const { real, unknown } = await timeBoth(forgot, realNames, unknownNames);
    const z = rankSumZ(real, unknown);
    expect(Math.abs(z), `median real ${median(real).toFixed(2)} ms, unknown ${median(unknown).toFixed(2)} ms, z ${z.toFixed(2)}`).toBeLessThan(Z_LIMIT);
  });

  it('ResendConfirmationCode', { timeout: 180_000 }, async () => {
    const realNames = Array.from({ length: 6 }, (_, i) => `timing-resend-${i}@example.jp`);
    for (const name of realNames) await signUp(srv, name);
    const unknownNames = Array.from({ length: 6 }, (_, i) => `timing-resend-nobody-${i}@example.jp`);
    const resend = (name: string) => srv.publicClient.send(new ResendConfirmationCodeCommand({ ClientId: srv.demo.clientId, Username: name }));
    const { real, unknown } = await timeBoth(resend, realNames, unknownNames);
    const z = rankSumZ(real, unknown);
    expect(Math.abs(z), `median real ${median(real).toFixed(2)} ms, unknown ${median(unknown).toFixed(2)} ms, z ${z.toFixed(2)}`).toBeLessThan(Z_LIMIT);
  });
});

describe('rankSumZ', () => {
  it('finds a shift between two samples and none between a sample and itself', () => {
    const a = Array.from({ length: 100 }, (_, i) => 1 + (i % 10) / 10);
    expect(Math.abs(rankSumZ(a, a))).toBeLessThan(0.01);
    expect(rankSumZ(a.map((x) => x * 3), a)).toBeGreaterThan(Z_LIMIT);
  });
});
