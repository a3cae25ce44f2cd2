// The HTTP rate limiter (src/http/rate-limit.ts) over the real LimitsPort, on SQLite and
// PostgreSQL: two limiters on two connections to one database stand for two todoku processes.
// It counts in memory and writes in batches; these tests pin what that may cost in precision.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../helpers/db.js';
import { RateLimiter } from '../../src/http/rate-limit.js';
import type { RateLimits } from '../../src/config/index.js';
import type { Store } from '../../src/ports.js';

const IP = '192.0.2.7';
const KEY = `UserAuthentication:${IP}`;
/** Inside one 1-second window for every hit of a test. */
const NOW_MS = Date.UTC(2026, 0, 1, 0, 0, 0, 250);
const WINDOW_MS = Date.UTC(2026, 0, 1);

function limitsOf(perSecond: number): RateLimits {
  return {
    userAuthenticationPerSecond: perSecond,
    userCreationPerSecond: perSecond,
    accountRecoveryPerSecond: perSecond,
    userAccountPerSecond: perSecond,
    userResourcePerSecond: perSecond,
    userPoolReadPerSecond: perSecond,
    userPoolResourcePerSecond: perSecond,
  };
}

/** Admitted (true) or refused (false); anything else is a failure. */
async function attempt(limiter: RateLimiter, nowMs = NOW_MS): Promise<boolean> {
  try {
    await limiter.check('UserAuthentication', IP, nowMs);
    return true;
  } catch (err) {
    expect((err as Error).name).toBe('TooManyRequestsException');
    return false;
  }
}

/** The shared count of the test's key and window (adds nothing). */
const sharedCount = (store: Store) => store.limits.hit(KEY, WINDOW_MS, 0);

let t: TestStore;
const limiters: RateLimiter[] = [];
beforeEach(async () => {
  t = await openTestStore();
});
afterEach(async () => {
  for (const l of limiters.splice(0)) await l.close();
  await t.close();
});

function limiter(store: Store, perSecond: number): RateLimiter {
  const l = new RateLimiter(store, limitsOf(perSecond));
  limiters.push(l);
  return l;
}

describe('RateLimiter', () => {
  it('is exact below a limit of 10: every admitted hit is counted in the database first, whichever process gets it', async () => {
    const other = await t.openAnother();
    const [a, b] = [limiter(t.store, 4), limiter(other, 4)];
    const results: boolean[] = [];
    for (let i = 0; i < 6; i++) results.push(await attempt(i % 2 ? a : b));
    expect(results).toEqual([true, true, true, true, false, false]);
  });

  it('one process alone is exact with a large limit, and writes its hits in batches', async () => {
    const a = limiter(t.store, 120);
    const results: boolean[] = [];
    for (let i = 0; i < 200; i++) results.push(await attempt(a));
    expect(results.filter(Boolean).length).toBe(120);
    expect(results.slice(0, 120).every(Boolean)).toBe(true);
    // Fewer writes than hits: 12 of every 13 admitted hits waited for a batch.
    expect(await sharedCount(t.store)).toBeLessThan(200);
    await a.flush();
    // Refused hits are counted too, as they always were.
    expect(await sharedCount(t.store)).toBe(200);
  });

  it('two processes on one database over-admit at most 10 % of the limit each, and count every hit', async () => {
    const other = await t.openAnother();
    const [a, b] = [limiter(t.store, 120), limiter(other, 120)];
    const results = await Promise.all(Array.from({ length: 400 }, (_, i) => attempt(i % 2 ? a : b)));
    const admitted = results.filter(Boolean).length;
    expect(admitted).toBeGreaterThanOrEqual(120);
    expect(admitted).toBeLessThanOrEqual(120 + 2 * 12);
    await Promise.all([a.flush(), b.flush()]);
    expect(await sharedCount(t.store)).toBe(400);
  });

  it('writes waiting hits within the flush interval without being asked', async () => {
    const a = limiter(t.store, 120);
    for (let i = 0; i < 5; i++) expect(await attempt(a)).toBe(true);
    expect(await sharedCount(t.store)).toBe(0);
    await new Promise((r) => setTimeout(r, 400));
    expect(await sharedCount(t.store)).toBe(5);
  });

  it('holds across a restart: close() writes what waits, and the next process starts from the shared count', async () => {
    const first = limiter(t.store, 120);
    for (let i = 0; i < 130; i++) await attempt(first);
    await first.close();
    expect(await sharedCount(t.store)).toBe(130);
    const other = await t.openAnother();
    const second = limiter(other, 120);
    const results: boolean[] = [];
    for (let i = 0; i < 20; i++) results.push(await attempt(second));
    // Not knowing the count yet, it may admit its local allowance (10 %), then it reads it.
    expect(results.filter(Boolean).length).toBeLessThanOrEqual(12);
    expect(results.slice(-5)).toEqual([false, false, false, false, false]);
  });

  it('a new window starts a new count; the old window is still written', async () => {
    const a = limiter(t.store, 120);
    for (let i = 0; i < 125; i++) await attempt(a);
    expect(await attempt(a, NOW_MS + 1000)).toBe(true);
    await a.flush();
    expect(await sharedCount(t.store)).toBe(125);
    expect(await t.store.limits.hit(KEY, WINDOW_MS + 1000, 0)).toBe(1);
  });
});
