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
  nowMs(): number {
    return Date.now() + this.offsetMs;
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  /** Makes it `ms` now; time flows on from there. */
  set(ms: number): void {
    this.offsetMs = ms - Date.now();
  }
}
