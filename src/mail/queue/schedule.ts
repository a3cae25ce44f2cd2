// Retry schedule, pure. Postfix's shape (CARRIERS.md): first retry after 300 s, doubling,
// at most 4000 s between tries, give up after 5 days.
export const FIRST_RETRY_MS = 300_000;
export const MAX_RETRY_INTERVAL_MS = 4_000_000;
export const GIVE_UP_AFTER_MS = 5 * 24 * 3600_000;

/** When to try again after `attempts` failed tries, or undefined to give up. */
export function nextAttemptAt(attempts: number, firstQueuedAtMs: number, nowMs: number): number | undefined {
  const delay = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_INTERVAL_MS);
  const at = nowMs + delay;
  return at - firstQueuedAtMs > GIVE_UP_AFTER_MS ? undefined : at;
}
