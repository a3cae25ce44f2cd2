// Per-client-IP request limits per Cognito quota category (the categories are declared with
// the actions, userpool/actions/types.ts). Counted in memory per process and written to the
// database in batches, so the limits are shared by every process on one database and hold
// across a restart (README: "per-IP request limits live in the database") without a database
// write on every request.
//
// How a hit is decided. Per key (category + client IP) and 1-second window, a process knows
// `known`, the shared count the database returned on its last write of that key, plus its own
// hits not yet written (`inFlight` being written, `unflushed` waiting). Their sum is a lower
// bound of the true count, so:
// - past the limit by that lower bound: refused, with no database round trip;
// - otherwise admitted locally while the process holds fewer than `localAllowance` hits of that
//   key not yet handed to a write (10 % of the limit, rounded down), whether or not a write of
//   the key is in flight; they are written by the next flush,
//   ≤ FLUSH_INTERVAL_MS later: one statement per key, every key in one transaction;
// - otherwise (the allowance spent) the hit is written at once together with the waiting
//   ones, and decided on the count the database returns, as every hit was before.
// A limit below 10 has no allowance: every admitted hit is counted in the database first,
// exactly as across processes (tests/e2e/cognito/shared-state.test.ts counts to 4 that way).
//
// What it may over-admit. One process alone is exact: nobody else writes its keys, so its
// lower bound is the count. Processes sharing a database each decide on a count that misses
// the other processes' unwritten hits and whatever they wrote since its last read; each process
// admits at most `localAllowance` hits on such a stale count, plus the ones of the write in
// flight, before it reads again, so a client spreading requests over P processes gets through
// at most about limit × (1 + 0.2 × P) requests
// in a window (measured in tests/contract/rate-limit.test.ts). That is acceptable: Cognito's own
// quotas are approximate too (a token bucket per account, with bursts, "soft" limits an AWS
// account can have raised), and these limits exist to blunt floods, not to meter.
import type { RateLimits } from '../config/index.js';
import type { LimitsPort } from '../userpool/ports.js';
import type { QuotaCategory } from '../userpool/actions/types.js';
import { TooManyRequestsException } from '../userpool/errors.js';

const WINDOW_MS = 1000;
/** Unwritten hits are written at most this long after they were counted. */
export const FLUSH_INTERVAL_MS = 100;
/** Share of a key's limit one process may admit on its own between two reads of the shared count. */
const LOCAL_ALLOWANCE_SHARE = 0.1;
/**
 * How long counter rows are kept. The table also holds the per-user code counters of
 * userpool/codes.ts, whose windows are up to an hour long; pruning sooner would reset them.
 */
const RETAIN_MS = 3600_000;
/** Pruning runs with a flush, at most this often: never on a request's path. */
const PRUNE_EVERY_MS = 60_000;

function perSecond(limits: RateLimits, category: QuotaCategory): number {
  switch (category) {
    case 'UserAuthentication':
      return limits.userAuthenticationPerSecond;
    case 'UserCreation':
      return limits.userCreationPerSecond;
    case 'AccountRecovery':
      return limits.accountRecoveryPerSecond;
    case 'UserAccount':
      return limits.userAccountPerSecond;
    case 'UserResource':
    case 'UserResourceRead':
    case 'UserList':
      return limits.userResourcePerSecond;
    case 'UserPoolRead':
    case 'UserPoolClientRead':
      return limits.userPoolReadPerSecond;
    case 'UserPoolResource':
    case 'UserPoolClientResource':
      return limits.userPoolResourcePerSecond;
  }
}

/** One key's counts in one window, as this process knows them. */
interface Counter {
  key: string;
  windowStartMs: number;
  /** The shared count the database returned on the last write of this key and window. */
  known: number;
  /** Hits being written now. */
  inFlight: number;
  /** Hits counted here (admitted or refused) and not yet written. */
  unflushed: number;
  /** How many of `unflushed` were refused (they arrived after the admitted ones). */
  refused: number;
  /** Hits waiting to be written in the next batch and decided on its answer. */
  waiters: { resolve(position: number): void; reject(err: unknown): void }[];
  /** The write in flight; it settles with the error it met, if any. */
  writing: Promise<unknown> | undefined;
}

/** The slice of the store the limiter writes through: its counters, and one transaction per flush. */
export interface LimitsStore {
  limits: LimitsPort;
  transaction<T>(fn: (tx: { limits: LimitsPort }) => Promise<T>): Promise<T>;
}

export interface RateLimiterOptions {
  /** Where a background flush or prune that failed is reported (the requests it counted have been answered). */
  onError?: (err: unknown) => void;
  flushIntervalMs?: number;
}

export class RateLimiter {
  /** The current window's counter of each key. */
  private readonly counters = new Map<string, Counter>();
  /** Counters of past windows with hits still to write. */
  private retired: Counter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private lastPruneMs = 0;
  private latestNowMs = 0;
  private closed = false;
  private readonly flushIntervalMs: number;

  constructor(
    private readonly store: LimitsStore,
    private readonly limits: RateLimits,
    private readonly options: RateLimiterOptions = {},
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? FLUSH_INTERVAL_MS;
  }

  /** Counts this request; throws TooManyRequestsException past the category's limit. */
  async check(category: QuotaCategory, sourceIp: string, nowMs: number): Promise<void> {
    const limit = perSecond(this.limits, category);
    if (limit <= 0) return;
    if (nowMs > this.latestNowMs) this.latestNowMs = nowMs;
    if (this.latestNowMs - this.lastPruneMs > PRUNE_EVERY_MS) this.schedule();
    const c = this.counter(`${category}:${sourceIp}`, nowMs - (nowMs % WINDOW_MS));
    const lowerBound = c.known + c.inFlight + c.unflushed + c.waiters.length + 1;
    if (lowerBound > limit) {
      // Refused hits count too (as in the database before), but need no round trip.
      c.unflushed++;
      c.refused++;
      this.schedule();
      throw tooMany(limit, category);
    }
    // A write of this key in flight does not stop local admission: its hits are in `inFlight`,
    // part of the lower bound above, and the allowance counts only hits not yet handed to a
    // write. (Sending every hit that arrived during a flush to the database instead made each
    // of them wait for the flush and then for a write of its own: with 32 clients, GetUser ran
    // at half the rate of the same server without quotas.)
    if (c.unflushed < Math.floor(limit * LOCAL_ALLOWANCE_SHARE) && !this.closed) {
      c.unflushed++;
      this.schedule();
      return;
    }
    // Decided by the database: this hit joins the key's next write (hits arriving while one is
    // in flight share the following one), and its place in the returned count decides.
    const position = await new Promise<number>((resolve, reject) => {
      c.waiters.push({ resolve, reject });
      if (!c.writing) this.startWrite(c);
    });
    if (position > limit) throw tooMany(limit, category);
  }

  /** Writes every waiting hit now (one statement per key), and prunes old windows now and then. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    // One flush at a time; a flush asked for during one runs after it.
    const run = (this.flushing ?? Promise.resolve()).then(() => this.flushOnce());
    const settled = run.catch((err: unknown) => this.options.onError?.(err));
    this.flushing = settled;
    void settled.finally(() => {
      if (this.flushing === settled) this.flushing = undefined;
    });
    return run;
  }

  /** Writes what is waiting and stops the timer: call before the store closes. */
  async close(): Promise<void> {
    this.closed = true;
    // A key whose write was in flight during a flush kept its waiting hits: go again after it.
    for (let round = 0; round < 5; round++) {
      await this.flush();
      const counters = [...this.counters.values(), ...this.retired];
      const writing = counters.filter((c) => c.writing).map((c) => c.writing);
      if (writing.length === 0 && !counters.some((c) => c.unflushed > 0)) return;
      await Promise.all(writing);
    }
  }

  private counter(key: string, windowStartMs: number): Counter {
    let c = this.counters.get(key);
    if (c && c.windowStartMs === windowStartMs) return c;
    if (c && windowStartMs < c.windowStartMs) {
      // A request whose clock reading is older than one already counted (concurrent requests,
      // or a test's clock moved back): count it into the newer window rather than reopen one.
      return c;
    }
    if (c && (c.unflushed > 0 || c.writing)) this.retired.push(c);
    c = { key, windowStartMs, known: 0, inFlight: 0, unflushed: 0, refused: 0, waiters: [], writing: undefined };
    this.counters.set(key, c);
    return c;
  }

  /** Writes the counter's waiting hits and waiters in one statement; the next batch follows if more came meanwhile. */
  private startWrite(c: Counter): void {
    const waiters = c.waiters;
    c.waiters = [];
    const local = c.unflushed;
    const refused = c.refused;
    const hits = local + waiters.length;
    c.unflushed = 0;
    c.refused = 0;
    c.inFlight += hits;
    const settle = (): void => {
      c.inFlight -= hits;
      c.writing = undefined;
      if (c.waiters.length > 0) this.startWrite(c);
    };
    c.writing = this.store.limits.hit(c.key, c.windowStartMs, hits).then(
      (count) => {
        // Counts only grow within a window; a slower write may return an older one.
        if (count > c.known) c.known = count;
        settle();
        // The places of this write, in arrival order: admitted hits counted here, the waiters,
        // then the refused hits (refused on a lower bound: they came after the waiters).
        const firstWaiter = count - refused - waiters.length + 1;
        waiters.forEach((w, i) => w.resolve(firstWaiter + i));
        return undefined;
      },
      (err: unknown) => {
        // Not lost: the next flush writes the counted hits again; the waiters' requests fail.
        c.unflushed += local;
        c.refused += refused;
        settle();
        for (const w of waiters) w.reject(err);
        return err;
      },
    );
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch(() => undefined);
    }, this.flushIntervalMs);
    // Waiting hits must not keep a process alive; close() writes them.
    this.timer.unref();
  }

  private async flushOnce(): Promise<void> {
    const due = this.retired;
    this.retired = [];
    const currentWindow = this.latestNowMs - (this.latestNowMs % WINDOW_MS);
    for (const [key, c] of this.counters) {
      if (c.unflushed > 0) due.push(c);
      else if (c.windowStartMs < currentWindow && !c.writing) this.counters.delete(key);
    }
    // Hits counted while their key was being written wait for that write (a flush asked for
    // must write everything counted before it); a key still busy after a few rounds keeps its
    // waiting hits for the next flush.
    for (let round = 0; round < 5; round++) {
      const writing = due.filter((c) => c.writing).map((c) => c.writing);
      if (writing.length === 0) break;
      await Promise.all(writing);
    }
    const batch = due.filter((c) => c.unflushed > 0 && !c.writing);
    if (batch.length < due.length) {
      for (const c of due) if (c.writing && this.counters.get(c.key) !== c) this.retired.push(c);
      this.schedule();
    }
    if (batch.length > 0) await this.writeBatch(batch);
    if (this.latestNowMs - this.lastPruneMs > PRUNE_EVERY_MS) {
      this.lastPruneMs = this.latestNowMs;
      await this.store.limits.prune(currentWindow - RETAIN_MS);
    }
  }

  /**
   * Writes the waiting hits of many keys in one transaction: one statement per key, one
   * commit per flush (a commit costs more than a statement: a WAL append, and on PostgreSQL a
   * flush to disk), however many clients were counted.
   */
  private async writeBatch(batch: Counter[]): Promise<void> {
    const taken = batch.map((c) => {
      const t = { c, hits: c.unflushed, refused: c.refused, count: 0 };
      c.unflushed = 0;
      c.refused = 0;
      c.inFlight += t.hits;
      return t;
    });
    const done = this.store
      .transaction(async (tx) => {
        for (const t of taken) t.count = await tx.limits.hit(t.c.key, t.c.windowStartMs, t.hits);
      })
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    for (const t of taken) t.c.writing = done;
    const err = await done;
    for (const { c, hits, refused, count } of taken) {
      c.inFlight -= hits;
      c.writing = undefined;
      if (err === undefined) {
        if (count > c.known) c.known = count;
      } else {
        // Not lost: written by the next flush.
        c.unflushed += hits;
        c.refused += refused;
        if (this.counters.get(c.key) !== c) this.retired.push(c);
      }
      // Hits that waited for this write to be decided go in their own.
      if (c.waiters.length > 0) this.startWrite(c);
    }
    if (err !== undefined) {
      this.schedule();
      throw err;
    }
  }
}

function tooMany(limit: number, category: QuotaCategory): Error {
  return new TooManyRequestsException(`Too many requests: more than ${limit} ${category} requests per second from this client.`);
}
