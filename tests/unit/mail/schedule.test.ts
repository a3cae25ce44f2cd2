import { describe, expect, it } from 'vitest';
import { FIRST_RETRY_MS, GIVE_UP_AFTER_MS, MAX_RETRY_INTERVAL_MS, nextAttemptAt } from '../../../src/mail/queue/schedule.js';

describe('retry schedule (Postfix shape: 300 s doubling to 4000 s, 5 days)', () => {
  const t0 = 1_800_000_000_000;
  it('waits 300 s after the first failure and doubles after each', () => {
    expect(nextAttemptAt(1, t0, t0)).toBe(t0 + FIRST_RETRY_MS);
    expect(nextAttemptAt(2, t0, t0)).toBe(t0 + 2 * FIRST_RETRY_MS);
    expect(nextAttemptAt(3, t0, t0)).toBe(t0 + 4 * FIRST_RETRY_MS);
  });
  it('never waits longer than 4000 s between tries', () => {
    expect(nextAttemptAt(10, t0, t0)).toBe(t0 + MAX_RETRY_INTERVAL_MS);
  });
  it('gives up once the next try would fall past 5 days after queueing', () => {
    expect(nextAttemptAt(40, t0, t0 + GIVE_UP_AFTER_MS - MAX_RETRY_INTERVAL_MS)).toBe(t0 + GIVE_UP_AFTER_MS);
    expect(nextAttemptAt(40, t0, t0 + GIVE_UP_AFTER_MS - MAX_RETRY_INTERVAL_MS + 1)).toBeUndefined();
  });
});
