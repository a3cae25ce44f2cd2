// What every benchmark receives: the load generator, the run's settings, a progress log.
import os from 'node:os';
import type { LoadGenerator } from './load.js';

export interface BenchOptions {
  /** Length of one measured repetition. */
  durationMs: number;
  /** Repetitions; figures are medians over them. */
  reps: number;
  warmupMs: number;
  /** Users in the large pool of the scale benchmark. */
  largeUsers: number;
  /** Sequential sign-ins per repetition in the scale benchmark. */
  scaleSignIns: number;
}

export interface BenchContext {
  load: LoadGenerator;
  options: BenchOptions;
  progress(message: string): void;
}

export interface Section {
  name: string;
  markdown: string;
}

export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
}
