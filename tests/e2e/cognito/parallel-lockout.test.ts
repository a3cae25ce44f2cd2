// Issue 13 #1: parallel guesses must not get around the lockout. Forty InitiateAuth calls
// in flight at once for one confirmed user, thirty-nine wrong and the right one 31st: no
// more passwords are checked against the user's hash than the lockout allows, and the right
// password, arriving during the lockout, is refused. Real server, real SDK, SQLite and
// PostgreSQL; the password hasher is the real argon2 behind a recording gate (not our
// database): it counts the checks, and holds every check until all forty requests have
// made theirs, so the requests overlap deterministically — as they do on a busy server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { argon2Hasher, type PasswordHasher } from '../../../src/userpool/passwords.js';
import { DEFAULT_LOCKOUT_POLICY } from '../../../src/config/limits.js';
import { PASSWORD, confirmedUser, storedUser } from '../../helpers/sign-in.js';

/** argon2, with every verify recorded (by the hash it was checked against) and held while the gate is shut. */
class GatedHasher implements PasswordHasher {
  readonly checkedHashes: string[] = [];
  private gate: Promise<void> = Promise.resolve();
  private open: () => void = () => {};

  hash(password: string): Promise<string> {
    return argon2Hasher.hash(password);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    this.checkedHashes.push(hash);
    await this.gate;
    return argon2Hasher.verify(hash, password);
  }

  shut(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open();
  }

  async waitForChecks(n: number): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (this.checkedHashes.length < n) {
      if (Date.now() > deadline) throw new Error(`only ${this.checkedHashes.length} of ${n} password checks arrived`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

const hasher = new GatedHasher();
let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({
    env: { TODOKU_RATE_USER_CREATION: '0', TODOKU_RATE_USER_AUTHENTICATION: '0', TODOKU_RATE_ACCOUNT_RECOVERY: '0' },
    overrides: { passwords: hasher },
  });
});
afterAll(async () => {
  await srv?.close();
});

function initiate(username: string, password: string) {
  return srv.publicClient.send(
    new InitiateAuthCommand({ ClientId: srv.demo.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }),
  );
}

/** The answer in a word, settled at once (no rejection waits unhandled while others run). */
function outcome(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'tokens',
    (e: { name: string; message: string }) => `${e.name}: ${e.message}`,
  );
}

describe('InitiateAuth with forty guesses in flight at once', () => {
  it('checks no more passwords than the lockout allows and refuses the right one during the lockout', async () => {
    const email = 'parallel-brute@example.jp';
    const sub = await confirmedUser(srv, email);
    const userHash = (await srv.store.users.findUserBySub(srv.demo.poolId, sub))!.passwordHash!;
    // Time stands still: the lockout the fifth failure starts lasts while all forty are in flight.
    srv.clock.freeze();
    hasher.checkedHashes.length = 0;
    hasher.shut();

    // Thirty wrong guesses at once; each request reaches its (held) password check …
    const first = Array.from({ length: 30 }, (_, i) => outcome(initiate(email, `Wr0ng-${i}!`)));
    await hasher.waitForChecks(30);
    // … then the right one, 31st, and nine more wrong ones, while none has been answered.
    const right = outcome(initiate(email, PASSWORD));
    const rest = Array.from({ length: 9 }, (_, i) => outcome(initiate(email, `Wr0ng-${30 + i}!`)));
    await hasher.waitForChecks(40);
    hasher.release();

    const wrongOutcomes = await Promise.all([...first, ...rest]);
    const rightOutcome = await right;
    const checksOfUserHash = hasher.checkedHashes.filter((h) => h === userHash).length;

    expect(checksOfUserHash).toBeLessThanOrEqual(DEFAULT_LOCKOUT_POLICY.failuresBeforeLockout);
    expect(rightOutcome).toBe('NotAuthorizedException: Password attempts exceeded');
    const incorrect = wrongOutcomes.filter((o) => o === 'NotAuthorizedException: Incorrect username or password.').length;
    const exceeded = wrongOutcomes.filter((o) => o === 'NotAuthorizedException: Password attempts exceeded').length;
    expect(incorrect).toBe(checksOfUserHash);
    expect(incorrect + exceeded).toBe(39);
    expect((await storedUser(srv, sub)).failedSignIns).toBe(DEFAULT_LOCKOUT_POLICY.failuresBeforeLockout);

    // Once the lockout has passed, the right password signs in and clears the counters.
    srv.clock.advance(1000);
    expect(await outcome(initiate(email, PASSWORD))).toBe('tokens');
    expect((await storedUser(srv, sub)).failedSignIns).toBe(0);
  });
});
