// Shared set-up for the operator pool and app-client tests.
import { expect } from 'vitest';
import { startTestServer } from './server.js';

/** These tests make more pool calls per second than Cognito's quotas allow: lift the pool limits. */
export function startServer(): ReturnType<typeof startTestServer> {
  return startTestServer({ env: { TODOKU_RATE_USER_POOL_RESOURCE: '0', TODOKU_RATE_USER_POOL_READ: '0', TODOKU_RATE_USER_CREATION: '0' } });
}

/** Awaits a call that must fail; returns the SDK error after checking its AWS name. */
export async function expectError(promise: Promise<unknown>, name: string): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (err) {
    expect((err as Error).name, (err as Error).message).toBe(name);
    return err as Error;
  }
  throw new Error(`expected ${name}, but the call succeeded`);
}
