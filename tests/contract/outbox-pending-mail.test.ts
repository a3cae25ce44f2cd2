// Deleting a user pool, or a user, deletes its mail not yet handed to a worker (issue 13 #2):
// queued codes and temporary passwords of users that no longer exist are not kept, nor sent.
// Mail of other pools and users, mail in flight, and the record of mail already sent, stay.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../helpers/db.js';
import { aPool, aUser, sub } from './ports/fixtures.js';
import type { OutboxMessage } from '../../src/mail/queue/ports.js';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function message(n: number, poolId: string, nowMs: number): OutboxMessage {
  const id = uuid(n);
  return {
    id, poolId, kind: 'FORGOT_PASSWORD', envelopeFrom: 'bounce@example.jp', recipient: `user${n}@example.jp`, fromHeader: 'no-reply@example.jp',
    subject: 'code', textBody: 'Your code is 482913', htmlBody: null, raw: 'raw 482913', messageId: `<${id}@example.jp>`, status: 'queued',
    attempts: 0, nextAttemptAtMs: nowMs, leaseOwner: null, leaseUntilMs: null, lastReply: null, createdAtMs: nowMs, updatedAtMs: nowMs,
  };
}

describe('DeleteUserPool and the outbox', () => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore();
  });
  afterEach(async () => {
    await t.close();
  });

  it("deletes the pool's queued mail, and only that", async () => {
    const now = 1_800_000_000_000;
    const gone = aPool('ap-northeast-1_Gone00001');
    const kept = aPool('ap-northeast-1_Kept00001');
    for (const p of [gone, kept]) await t.store.pools.createPool(p);
    await t.store.outbox.enqueue(message(1, gone.id, now));
    await t.store.outbox.enqueue({ ...message(2, gone.id, now), nextAttemptAtMs: now + 300_000 }); // a deferred retry
    await t.store.outbox.enqueue({ ...message(3, gone.id, now), status: 'sent' });
    await t.store.outbox.enqueue(message(4, kept.id, now));

    await t.store.pools.deletePool(gone.id);

    const left = await t.store.outbox.listMessages(undefined, 10);
    expect(left.map((m) => m.id).sort()).toEqual([uuid(3), uuid(4)]);
    expect(await t.store.outbox.claimDueMessages('w', now + 300_000, 10_000, 10)).toMatchObject([{ id: uuid(4) }]);
  });

  it("DeleteUser deletes the user's queued mail, whatever address it is to, in the user's transaction", async () => {
    const now = 1_800_000_000_000;
    const pool = aPool('ap-northeast-1_User00001');
    await t.store.pools.createPool(pool);
    const [gone, kept] = [aUser(sub(1), pool.id, 'gone'), aUser(sub(2), pool.id, 'kept')];
    for (const u of [gone, kept]) await t.store.users.createUser(u, { email: `${u.username}@example.jp` });
    await t.store.outbox.enqueue({ ...message(1, pool.id, now), userSub: gone.sub });
    // A code to a new address the user has not verified: no address match would find it.
    await t.store.outbox.enqueue({ ...message(2, pool.id, now), userSub: gone.sub, recipient: 'new-unverified@example.jp', nextAttemptAtMs: now + 300_000 });
    await t.store.outbox.enqueue({ ...message(3, pool.id, now), userSub: gone.sub, status: 'sent' });
    await t.store.outbox.enqueue({ ...message(4, pool.id, now), userSub: gone.sub, status: 'sending', leaseOwner: 'w', leaseUntilMs: now + 10_000 });
    await t.store.outbox.enqueue({ ...message(5, pool.id, now), userSub: kept.sub });
    await t.store.outbox.enqueue({ ...message(6, pool.id, now), userSub: null });

    await t.store.transaction((tx) => tx.users.deleteUser(gone.sub));

    const left = await t.store.outbox.listMessages(undefined, 10);
    expect(left.map((m) => m.id).sort()).toEqual([uuid(3), uuid(4), uuid(5), uuid(6)]);
    expect((await t.store.outbox.findMessage(uuid(5)))!.userSub).toBe(kept.sub);
  });
});
