// DomainsPort's contract (domains/ports.ts): sending identities and their DKIM keys.
import { describe, expect, it } from 'vitest';
import { aDkimKey, aSendingDomain, freshStorePerTest, rolledBack, T0, type OpenStore } from './fixtures.js';
import type { VerificationPatch } from '../../../src/domains/ports.js';

const patch: VerificationPatch = {
  dkimStatus: 'SUCCESS',
  dkimReason: null,
  mailFromStatus: 'FAILED',
  mailFromReason: 'no MX at bounce.example.jp',
  spfStatus: 'TEMPORARY_FAILURE',
  spfReason: 'SERVFAIL 応答',
  verificationStartedAtMs: T0 + 1,
  lastCheckedAtMs: T0 + 2,
  nextCheckAtMs: null,
};

export function domainsContract(open: OpenStore): void {
  describe('DomainsPort', () => {
    const t = freshStorePerTest(open);
    const domains = () => t().store.domains;

    it('returns a created identity and its keys as given; nothing for an unknown domain', async () => {
      const identity = aSendingDomain('example.jp', { mailFromDomain: null, dkimMode: 'rsa2048+ed25519', behaviorOnMxFailure: 'RejectMessage', lastCheckedAtMs: T0 - 1 });
      const keys = [aDkimKey('k-rsa', 'example.jp'), aDkimKey('k-ed', 'example.jp', { algorithm: 'ed25519', activatedAtMs: null, createdAtMs: T0 + 1 })];
      expect(await domains().createDomain(identity, keys)).toBe(true);
      expect(await domains().findDomain('example.jp')).toEqual(identity);
      expect(await domains().listDkimKeys('example.jp')).toEqual(keys);
      expect(await domains().findDomain('example.com')).toBeUndefined();
      expect(await domains().findDomain('EXAMPLE.JP')).toBeUndefined();
      expect(await domains().listDkimKeys('example.com')).toEqual([]);
    });

    it('refuses an existing domain: false, and neither the identity nor its keys are touched', async () => {
      await domains().createDomain(aSendingDomain('example.jp', { dkimStatus: 'SUCCESS' }), [aDkimKey('k1', 'example.jp')]);
      expect(await domains().createDomain(aSendingDomain('example.jp'), [aDkimKey('k2', 'example.jp')])).toBe(false);
      expect((await domains().findDomain('example.jp'))?.dkimStatus).toBe('SUCCESS');
      expect((await domains().listDkimKeys('example.jp')).map((k) => k.id)).toEqual(['k1']);
    });

    it('counts one winner among two connections creating the same domain at once', async () => {
      const other = await t().openAnother();
      const results = await Promise.all([
        domains().createDomain(aSendingDomain('race.example.jp'), [aDkimKey('a', 'race.example.jp')]),
        other.domains.createDomain(aSendingDomain('race.example.jp'), [aDkimKey('b', 'race.example.jp')]),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await domains().listDkimKeys('race.example.jp')).map((k) => k.id)).toEqual([results[0] ? 'a' : 'b']);
    });

    it('lists identities in code-point order of domain', async () => {
      for (const d of ['b.example.jp', 'a.example.jp', 'xn--eckwd4c7c.jp', 'A.example.jp', '例え.jp']) await domains().createDomain(aSendingDomain(d), []);
      expect((await domains().listDomains()).map((d) => d.domain)).toEqual(['A.example.jp', 'a.example.jp', 'b.example.jp', 'xn--eckwd4c7c.jp', '例え.jp']);
    });

    it('lists identities due for a re-check: due by now, earliest first, never those without a schedule', async () => {
      const due = [
        aSendingDomain('later.example.jp', { nextCheckAtMs: T0 }),
        aSendingDomain('earlier.example.jp', { nextCheckAtMs: T0 - 10 }),
        aSendingDomain('future.example.jp', { nextCheckAtMs: T0 + 1 }),
        aSendingDomain('never.example.jp', { nextCheckAtMs: null }),
      ];
      for (const d of due) await domains().createDomain(d, []);
      expect((await domains().listDomainsDueForCheck(T0, 10)).map((d) => d.domain)).toEqual(['earlier.example.jp', 'later.example.jp']);
      expect((await domains().listDomainsDueForCheck(T0, 1)).map((d) => d.domain)).toEqual(['earlier.example.jp']);
      expect(await domains().listDomainsDueForCheck(T0 - 11, 10)).toEqual([]);
    });

    it('records a verification: statuses, reasons and schedule, and updatedAt; an unknown domain is a no-op', async () => {
      const identity = aSendingDomain('example.jp');
      await domains().createDomain(identity, []);
      await domains().recordVerification('example.jp', patch, T0 + 3);
      expect(await domains().findDomain('example.jp')).toEqual({ ...identity, ...patch, updatedAtMs: T0 + 3 });
      expect(await domains().listDomainsDueForCheck(T0 + 1_000_000, 10)).toEqual([]);
      await domains().recordVerification('absent.example.jp', patch, T0 + 3);
      expect(await domains().findDomain('absent.example.jp')).toBeUndefined();
    });

    it("deletes an identity with its keys, and nothing of another domain's", async () => {
      await domains().createDomain(aSendingDomain('gone.example.jp'), [aDkimKey('g1', 'gone.example.jp')]);
      await domains().createDomain(aSendingDomain('kept.example.jp'), [aDkimKey('k1', 'kept.example.jp')]);
      await domains().deleteDomain('gone.example.jp');
      await domains().deleteDomain('absent.example.jp');
      expect(await domains().findDomain('gone.example.jp')).toBeUndefined();
      expect(await domains().listDkimKeys('gone.example.jp')).toEqual([]);
      expect((await domains().listDkimKeys('kept.example.jp')).map((k) => k.id)).toEqual(['k1']);
      // The name is free again, without the old keys.
      expect(await domains().createDomain(aSendingDomain('gone.example.jp'), [])).toBe(true);
      expect(await domains().listDkimKeys('gone.example.jp')).toEqual([]);
    });

    it('lists keys oldest first (same time: by id), retired ones included', async () => {
      await domains().createDomain(aSendingDomain('example.jp'), [aDkimKey('k-b', 'example.jp', { createdAtMs: T0 + 5 })]);
      await domains().insertDkimKey(aDkimKey('k-c', 'example.jp', { createdAtMs: T0, retiredAtMs: T0 + 1 }));
      await domains().insertDkimKey(aDkimKey('k-a', 'example.jp', { createdAtMs: T0 + 5 }));
      await domains().insertDkimKey(aDkimKey('k-B', 'example.jp', { createdAtMs: T0 + 5 }));
      expect((await domains().listDkimKeys('example.jp')).map((k) => k.id)).toEqual(['k-c', 'k-B', 'k-a', 'k-b']);
    });

    it('refuses a key with a taken id, and a key of a domain that does not exist', async () => {
      await domains().createDomain(aSendingDomain('example.jp'), [aDkimKey('k1', 'example.jp')]);
      await expect(domains().insertDkimKey(aDkimKey('k1', 'example.jp', { selector: 'other' }))).rejects.toThrow();
      await expect(domains().insertDkimKey(aDkimKey('k2', 'absent.example.jp'))).rejects.toThrow();
      expect(await domains().listDkimKeys('absent.example.jp')).toEqual([]);
    });

    it('activates and retires a key by id; unknown ids are a no-op', async () => {
      await domains().createDomain(aSendingDomain('example.jp'), [aDkimKey('old', 'example.jp'), aDkimKey('new', 'example.jp', { activatedAtMs: null, createdAtMs: T0 + 1 })]);
      await domains().activateDkimKey('new', T0 + 10);
      await domains().retireDkimKey('old', T0 + 11);
      await domains().activateDkimKey('absent', T0 + 12);
      await domains().retireDkimKey('absent', T0 + 12);
      expect((await domains().listDkimKeys('example.jp')).map((k) => [k.id, k.activatedAtMs, k.retiredAtMs])).toEqual([
        ['old', T0, T0 + 11],
        ['new', T0 + 10, null],
      ]);
    });

    it('rolls back domain writes made in a transaction that throws', async () => {
      const kept = aSendingDomain('kept.example.jp');
      const key = aDkimKey('k1', 'kept.example.jp');
      await domains().createDomain(kept, [key]);
      await rolledBack(t(), async (tx) => {
        await tx.domains.createDomain(aSendingDomain('new.example.jp'), [aDkimKey('n1', 'new.example.jp')]);
        await tx.domains.recordVerification('kept.example.jp', patch, T0 + 1);
        await tx.domains.insertDkimKey(aDkimKey('k2', 'kept.example.jp'));
        await tx.domains.retireDkimKey('k1', T0 + 1);
        await tx.domains.deleteDomain('kept.example.jp');
      });
      expect(await domains().findDomain('new.example.jp')).toBeUndefined();
      expect(await domains().listDkimKeys('new.example.jp')).toEqual([]);
      expect(await domains().findDomain('kept.example.jp')).toEqual(kept);
      expect(await domains().listDkimKeys('kept.example.jp')).toEqual([key]);
    });
  });
}
