// Starts several real todoku processes at the same instant on one data dir / database, for
// tests of first-start races (two processes in one Node process cannot interleave
// synchronous work such as secrets.json or better-sqlite3 calls the way two processes do).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./first-start-child.ts', import.meta.url));
const ROOT = path.resolve(path.dirname(CHILD), '../..');

export interface FirstStartOptions {
  mode: 'secrets' | 'server';
  dataDir: string;
  databaseUrl?: string;
  pgSchema?: string;
}

/**
 * How long the children may take, compiling included; past it they are killed and the call
 * fails. Shorter than the tests' own timeout, so a test that runs out of time leaves no child
 * blocked on the barrier for ever (seen: children of timed-out runs still waiting an hour later).
 */
const CHILDREN_DEADLINE_MS = 100_000;

/** Runs `count` processes released together; resolves to each one's printed JSON. */
export async function startTogether<T>(count: number, options: FirstStartOptions): Promise<T[]> {
  fs.mkdirSync(options.dataDir, { recursive: true });
  // A FIFO as the barrier: read-write open does not wait for a reader, the children's
  // read-only opens then do not wait either, and closing it ends every child's blocked read
  // at once — no process spinning on a CPU the others need.
  const barrierDir = fs.mkdtempSync(path.join(os.tmpdir(), 'todoku-barrier-'));
  const barrier = path.join(barrierDir, 'go');
  execFileSync('mkfifo', [barrier]);
  const barrierFd = fs.openSync(barrier, 'r+');
  let ready = 0;
  let release!: () => void;
  const allReady = new Promise<void>((resolve) => (release = resolve));
  const children: ReturnType<typeof spawn>[] = [];
  const runs = Array.from({ length: count }, () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify({ ...options, barrier })], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      const before = out;
      out += d.toString();
      if (!before.includes('ready\n') && out.includes('ready\n') && ++ready === count) release();
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    return new Promise<T>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => {
        if (ready < count) {
          // One died before the barrier: the others would wait for it forever.
          for (const other of children) if (other !== child) other.kill();
          release();
        }
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (code !== 0 || !line) reject(new Error(`todoku process exited with ${code}: ${err.trim().split('\n').slice(0, 6).join('\n')}`));
        else resolve(JSON.parse(line) as T);
      });
    });
  });
  let timedOut = false;
  let barrierOpen = true;
  const deadline = setTimeout(() => {
    timedOut = true;
    for (const child of children) child.kill('SIGKILL');
    release();
  }, CHILDREN_DEADLINE_MS);
  try {
    await allReady;
    fs.closeSync(barrierFd);
    barrierOpen = false;
    return await Promise.all(runs);
  } catch (err) {
    throw timedOut ? new Error(`the ${count} todoku processes did not finish within ${CHILDREN_DEADLINE_MS} ms`, { cause: err }) : err;
  } finally {
    clearTimeout(deadline);
    if (barrierOpen) fs.closeSync(barrierFd);
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.allSettled(runs);
    fs.rmSync(barrierDir, { recursive: true, force: true });
  }
}
