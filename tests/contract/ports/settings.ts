// SettingsPort's contract (tokens/ports.ts): values written once and shared by every process.
import { describe, expect, it } from 'vitest';
import { freshStorePerTest, rolledBack, type OpenStore } from './fixtures.js';

export function settingsContract(open: OpenStore): void {
  describe('SettingsPort', () => {
    const t = freshStorePerTest(open);
    const settings = () => t().store.settings;

    it('reads nothing for a name never written', async () => {
      expect(await settings().getSetting('admin.accessKeyId')).toBeUndefined();
    });

    it('writes a value once: a later write returns and keeps the first value', async () => {
      expect(await settings().putSettingIfAbsent('demo.pool', 'ap-northeast-1_First0000')).toBe('ap-northeast-1_First0000');
      expect(await settings().putSettingIfAbsent('demo.pool', 'ap-northeast-1_Second000')).toBe('ap-northeast-1_First0000');
      expect(await settings().getSetting('demo.pool')).toBe('ap-northeast-1_First0000');
    });

    it('keeps names apart by case, and values exactly (empty, Unicode, JSON)', async () => {
      await settings().putSettingIfAbsent('Name', '');
      await settings().putSettingIfAbsent('name', '{"値":"🍣","n":1}');
      expect(await settings().getSetting('Name')).toBe('');
      expect(await settings().getSetting('name')).toBe('{"値":"🍣","n":1}');
      expect(await settings().getSetting('NAME')).toBeUndefined();
    });

    it('gives two connections writing at once the same value', async () => {
      const other = await t().openAnother();
      const [a, b] = await Promise.all([settings().putSettingIfAbsent('race', 'a'), other.settings.putSettingIfAbsent('race', 'b')]);
      expect(a).toBe(b);
      expect(await settings().getSetting('race')).toBe(a);
    });

    it('rolls back a value written in a transaction that throws', async () => {
      await rolledBack(t(), async (tx) => {
        expect(await tx.settings.putSettingIfAbsent('gone', 'v')).toBe('v');
        expect(await tx.settings.getSetting('gone')).toBe('v');
      });
      expect(await settings().getSetting('gone')).toBeUndefined();
      expect(await settings().putSettingIfAbsent('gone', 'w')).toBe('w');
    });
  });
}
