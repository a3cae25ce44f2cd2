/** Time is passed in so tests set it instead of sleeping. */
export interface Clock {
  /** Milliseconds since the epoch (UTC). */
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private ms: number = Date.UTC(2026, 0, 1)) {}
  nowMs(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
}

/** Real time plus an offset tests move forward: time flows (rate windows, ordering), and codes can be made to expire. */
export class OffsetClock implements Clock {
  private offsetMs = 0;
  private frozenAtMs: number | undefined;
  nowMs(): number {
    return this.frozenAtMs ?? Date.now() + this.offsetMs;
  }
  advance(ms: number): void {
    if (this.frozenAtMs !== undefined) this.frozenAtMs += ms;
    else this.offsetMs += ms;
  }
  /** Makes it `ms` now; time flows on from there (or stays, while frozen). */
  set(ms: number): void {
    if (this.frozenAtMs !== undefined) this.frozenAtMs = ms;
    else this.offsetMs = ms - Date.now();
  }
  /** Stops time where it is, for tests that compare stored times exactly. */
  freeze(): void {
    this.frozenAtMs = this.nowMs();
  }
  /** Lets time flow again from where it stood. */
  unfreeze(): void {
    if (this.frozenAtMs === undefined) return;
    this.offsetMs = this.frozenAtMs - Date.now();
    this.frozenAtMs = undefined;
  }
}
