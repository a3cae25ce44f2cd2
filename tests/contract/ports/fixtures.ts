// Records the contract suites write through the ports, and the per-test store they run on.
// Each suite is one exported function taking `open` (ory/kratos's persistence tests are the
// model): the test file per port calls it once, and vitest runs that file on SQLite and
// again on PostgreSQL (vitest.config.ts).
import { afterEach, beforeEach } from 'vitest';
import type { TestStore } from '../../helpers/db.js';
import type { Session, StoredCode, User, UserPool, UserPoolClient } from '../../../src/userpool/model.js';
import type { DkimKey, SendingDomain } from '../../../src/domains/model.js';
import type { StoredSigningKey } from '../../../src/tokens/ports.js';

export type OpenStore = () => Promise<TestStore>;

/** A fresh migrated store for every test; `store()` is the one of the running test. */
export function freshStorePerTest(open: OpenStore): () => TestStore {
  let current: TestStore | undefined;
  beforeEach(async () => {
    current = await open();
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return () => current!;
}

/** Thrown inside a transaction to make it roll back. */
export class Rollback extends Error {}

/** Runs `fn` in a transaction that then throws; resolves once the rollback is done. */
export async function rolledBack(t: TestStore, fn: (tx: Parameters<Parameters<TestStore['store']['transaction']>[0]>[0]) => Promise<unknown>): Promise<void> {
  let threw: unknown;
  try {
    await t.store.transaction(async (tx) => {
      await fn(tx);
      throw new Rollback('roll back');
    });
  } catch (err) {
    threw = err;
  }
  if (!(threw instanceof Rollback)) throw new Error(`the transaction did not end in the rollback it was given: ${String(threw)}`);
}

export const T0 = Date.UTC(2026, 0, 1);
const POLICY = { MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 7 };

/** A user's sub: a v4-shaped UUID whose last group is `n`, so subs sort as their numbers. */
export function sub(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

export function aPool(id: string, over: Partial<UserPool> = {}): UserPool {
  return { id, name: `pool ${id}`, settings: { Policies: { PasswordPolicy: POLICY } }, createdAtMs: T0, updatedAtMs: T0, ...over };
}

export function aClient(id: string, poolId: string, over: Partial<UserPoolClient> = {}): UserPoolClient {
  return { id, poolId, name: `client ${id}`, secret: null, settings: { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }, createdAtMs: T0, updatedAtMs: T0, ...over };
}

export function aUser(subId: string, poolId: string, username: string, over: Partial<User> = {}): User {
  return {
    sub: subId,
    poolId,
    username,
    usernameKey: username,
    emailKey: null,
    status: 'CONFIRMED',
    enabled: true,
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    failedSignIns: 0,
    lockedUntilMs: 0,
    createdAtMs: T0,
    updatedAtMs: T0,
    temporaryPasswordIssuedAtMs: null,
    pendingEmail: null,
    ...over,
  };
}

export function aCode(id: string, user: Pick<User, 'sub' | 'poolId'>, purpose: StoredCode['purpose'], over: Partial<StoredCode> = {}): StoredCode {
  return { id, poolId: user.poolId, userSub: user.sub, purpose, codeHash: `hash-${id}`, failedAttempts: 0, expiresAtMs: T0 + 3_600_000, createdAtMs: T0, ...over };
}

export function aSession(id: string, user: Pick<User, 'sub' | 'poolId'>, clientId: string, over: Partial<Session> = {}): Session {
  return {
    id,
    poolId: user.poolId,
    clientId,
    userSub: user.sub,
    refreshTokenHash: `refresh-${id}`,
    authTimeMs: T0,
    createdAtMs: T0,
    expiresAtMs: T0 + 30 * 86_400_000,
    revokedAtMs: null,
    ...over,
  };
}

export function aSendingDomain(domain: string, over: Partial<SendingDomain> = {}): SendingDomain {
  return {
    domain,
    mailFromDomain: `bounce.${domain}`,
    behaviorOnMxFailure: 'UseDefaultValue',
    dkimMode: 'rsa2048',
    dkimStatus: 'PENDING',
    dkimReason: null,
    mailFromStatus: 'PENDING',
    mailFromReason: null,
    spfStatus: 'PENDING',
    spfReason: null,
    verificationStartedAtMs: T0,
    lastCheckedAtMs: null,
    nextCheckAtMs: T0 + 60_000,
    createdAtMs: T0,
    updatedAtMs: T0,
    ...over,
  };
}

export function aDkimKey(id: string, domain: string, over: Partial<DkimKey> = {}): DkimKey {
  return {
    id,
    domain,
    selector: `todoku-${id}`,
    algorithm: 'rsa',
    publicKey: `MIIB-${id}`,
    privateKeyEncrypted: `sealed-${id}`,
    createdAtMs: T0,
    activatedAtMs: T0,
    retiredAtMs: null,
    ...over,
  };
}

export function aSigningKey(kid: string, over: Partial<StoredSigningKey> = {}): StoredSigningKey {
  return { kid, alg: 'RS256', publicJwk: JSON.stringify({ kty: 'RSA', kid }), privateKey: `sealed-${kid}`, createdAtMs: T0, activatedAtMs: T0, retiredAtMs: null, ...over };
}
