// TODOKU_MAIL_RETENTION_HOURS (issue 13 #2): a week by default, whole hours, refused by name.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';

const base = { TODOKU_DATA_DIR: '/tmp/todoku-config-test' };

describe('TODOKU_MAIL_RETENTION_HOURS', () => {
  it('defaults to 168 hours and takes whole hours', () => {
    expect(loadConfig(base).mailRetentionMs).toBe(168 * 3_600_000);
    expect(loadConfig({ ...base, TODOKU_MAIL_RETENTION_HOURS: '24' }).mailRetentionMs).toBe(24 * 3_600_000);
  });

  it.each(['0', '-1', '1.5', 'week', '9000'])('refuses %s, naming the variable', (value) => {
    expect(() => loadConfig({ ...base, TODOKU_MAIL_RETENTION_HOURS: value })).toThrow(/^TODOKU_MAIL_RETENTION_HOURS: /);
  });
});
