// The limits each figure is compared with, measured in the server's process while the
// server is idle: argon2id with todoku's parameters, RSA-2048 RS256 signatures.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { hash, verify } from '@node-rs/argon2';
import { ARGON2_OPTIONS } from '../../src/userpool/passwords.js';

export interface Rate {
  count: number;
  elapsedMs: number;
  perSecond: number;
  latenciesMs: number[];
}

/** Runs `op` from `concurrency` loops until `durationMs` has passed; bounded by time. */
export async function rateOfAsync(op: () => Promise<unknown>, concurrency: number, durationMs: number): Promise<Rate> {
  const latenciesMs: number[] = [];
  const start = performance.now();
  const deadline = start + durationMs;
  let lastDone = start;
  async function loop(): Promise<void> {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      await op();
      lastDone = performance.now();
      latenciesMs.push(lastDone - t0);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsedMs = lastDone - start;
  return { count: latenciesMs.length, elapsedMs, perSecond: latenciesMs.length / (elapsedMs / 1000), latenciesMs };
}

/** Runs a synchronous `op` back to back on this thread until `durationMs` has passed. */
export function rateOfSync(op: () => unknown, durationMs: number): Rate {
  const latenciesMs: number[] = [];
  const start = performance.now();
  const deadline = start + durationMs;
  let now = start;
  while (now < deadline) {
    const t0 = now;
    op();
    now = performance.now();
    latenciesMs.push(now - t0);
  }
  const elapsedMs = now - start;
  return { count: latenciesMs.length, elapsedMs, perSecond: latenciesMs.length / (elapsedMs / 1000), latenciesMs };
}

/** argon2id verifications per second with todoku's parameters (what a sign-in does). */
export function argon2VerifyRate(storedHash: string, password: string, concurrency: number, durationMs: number): Promise<Rate> {
  return rateOfAsync(() => verify(storedHash, password), concurrency, durationMs);
}

/** argon2id hashes per second with todoku's parameters (what a SignUp does). */
export function argon2HashRate(password: string, concurrency: number, durationMs: number): Promise<Rate> {
  return rateOfAsync(() => hash(password, ARGON2_OPTIONS), concurrency, durationMs);
}

export function rsaKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

/** A JWT signing input the size of todoku's ID tokens (header.payload, ~900 bytes). */
export function jwtSigningInput(): Buffer {
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const header = { kid: 'bench-kid-0000000000000000000000', alg: 'RS256' };
  const payload = {
    sub: '9b2f6e5c-3a1d-4e7b-8c9d-0f1e2d3c4b5a',
    email_verified: true,
    iss: 'http://127.0.0.1:8990/ap-northeast-1_AbCdEfGhI',
    'cognito:username': '9b2f6e5c-3a1d-4e7b-8c9d-0f1e2d3c4b5a',
    origin_jti: '1c2d3e4f-5a6b-7c8d-9e0f-a1b2c3d4e5f6',
    aud: '1234567890abcdefghijklmnop',
    event_id: 'a1b2c3d4-e5f6-4a5b-8c9d-0e1f2a3b4c5d',
    token_use: 'id',
    auth_time: 1764115200,
    exp: 1764118800,
    iat: 1764115200,
    jti: 'f6e5d4c3-b2a1-4f0e-9d8c-7b6a5f4e3d2c',
    email: 'user123456@bench.example.jp',
  };
  return Buffer.from(`${b64(header)}.${b64(payload)}`);
}

/** RS256 signatures per second on this thread: node:crypto's synchronous sign, as tokens/issuer.ts calls it. */
export function rsaSignRateSync(key: KeyObject, input: Buffer, durationMs: number): Rate {
  return rateOfSync(() => sign('sha256', input, key), durationMs);
}

/** RS256 signatures per second with node:crypto's callback form (libuv thread pool), `concurrency` at a time. */
export function rsaSignRatePool(key: KeyObject, input: Buffer, concurrency: number, durationMs: number): Promise<Rate> {
  const once = () =>
    new Promise<Buffer>((resolve, reject) => sign('sha256', input, key, (err, sig) => (err ? reject(err) : resolve(sig))));
  return rateOfAsync(once, concurrency, durationMs);
}
