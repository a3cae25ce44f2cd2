// Parent side of the load generator: forks bench/lib/load-client.ts once and hands it jobs.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LoadJob {
  url: string;
  /** Cognito operation, e.g. InitiateAuth. */
  target: string;
  /** Request bodies, used in turn. */
  bodies?: string[];
  /** Or one body with `__N__` replaced by the request's sequence number (unique SignUp names). */
  template?: string;
  concurrency: number;
  /**
   * Client addresses (127.0.0.0/8) the requests come from, in turn: per-client-IP quotas see
   * that many clients. Default: the system's choice (127.0.0.1), one client.
   */
  sourceAddresses?: string[];
  /** HTTP status counted as success (default 200). */
  okStatus?: number;
  durationMs?: number;
  count?: number;
}

export interface LoadResult {
  completed: number;
  errors: number;
  firstError: string | undefined;
  elapsedMs: number;
  latenciesMs: number[];
}

export class LoadGenerator {
  private readonly child: ChildProcess;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();

  constructor() {
    const script = fileURLToPath(new URL('./load-client.ts', import.meta.url));
    this.child = fork(script, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (msg: { id: number; result?: LoadResult; error?: string }) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.result) p.resolve(msg.result);
      else p.reject(new Error(msg.error ?? 'load generator failed'));
    });
    this.child.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`load generator exited with ${code}`));
      this.pending.clear();
    });
  }

  run(job: LoadJob): Promise<LoadResult> {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, job });
    });
  }

  /** Runs a job and throws when any request failed: a benchmark of errors measures nothing. */
  async runOk(job: LoadJob): Promise<LoadResult> {
    const r = await this.run(job);
    if (r.errors > 0) throw new Error(`${job.target}: ${r.errors} of ${r.errors + r.completed} requests failed; first: ${r.firstError}`);
    return r;
  }

  close(): void {
    this.child.disconnect();
  }
}

export function rateOf(r: LoadResult): number {
  return r.completed / (r.elapsedMs / 1000);
}
