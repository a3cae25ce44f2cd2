// The load generator, run as a child process (bench/lib/load.ts forks it) so that the
// client does not share the server's event loop. It speaks the raw Cognito JSON protocol
// over node:http with keep-alive: the AWS SDK's own cost would be measured otherwise.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LoadJob, LoadResult } from './load.js';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

function post(agent: http.Agent, url: URL, target: string, body: string, localAddress: string | undefined): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        // The agent keeps one pool of sockets per local address.
        ...(localAddress ? { localAddress } : {}),
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': TARGET_PREFIX + target,
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function run(job: LoadJob): Promise<LoadResult> {
  const url = new URL(job.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  const latenciesMs: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const bodyFor = (n: number): string => {
    if (job.bodies) return job.bodies[n % job.bodies.length]!;
    return job.template!.split('__N__').join(String(n));
  };
  const start = performance.now();
  const deadline = job.durationMs !== undefined ? start + job.durationMs : Infinity;
  const limit = job.count ?? Infinity;
  let lastDone = start;

  async function worker(): Promise<void> {
    // Bounded: stops at the deadline or after `count` requests, whichever the job sets.
    while (performance.now() < deadline && next < limit) {
      const n = next++;
      const t0 = performance.now();
      try {
        const res = await post(agent, url, job.target, bodyFor(n), job.sourceAddresses?.[n % job.sourceAddresses.length]);
        const t1 = performance.now();
        if (res.status === (job.okStatus ?? 200)) {
          latenciesMs.push(t1 - t0);
        } else {
          errors++;
          firstError ??= `HTTP ${res.status}: ${res.text.slice(0, 300)}`;
        }
        lastDone = t1;
      } catch (err) {
        errors++;
        firstError ??= String(err);
        lastDone = performance.now();
      }
    }
  }

  await Promise.all(Array.from({ length: job.concurrency }, worker));
  agent.destroy();
  return { completed: latenciesMs.length, errors, firstError, elapsedMs: lastDone - start, latenciesMs };
}

process.on('message', (msg: { id: number; job: LoadJob }) => {
  run(msg.job).then(
    (result) => process.send!({ id: msg.id, result }),
    (err: unknown) => process.send!({ id: msg.id, error: String(err) }),
  );
});
