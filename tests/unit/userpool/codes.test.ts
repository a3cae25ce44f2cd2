// hashCode: VERIFY:<attribute> codes are bound to the address they were mailed to, exactly
// as stored; SIGN_UP and FORGOT_PASSWORD codes hash as they always did, so stored ones verify.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashCode } from '../../../src/userpool/codes.js';

const KEY = Buffer.alloc(32, 7);
const SUB = '00000000-0000-4000-8000-000000000001';

describe('hashCode', () => {
  it('hashes SIGN_UP and FORGOT_PASSWORD codes as before binding existed', () => {
    for (const purpose of ['SIGN_UP', 'FORGOT_PASSWORD'] as const) {
      const before = createHmac('sha256', KEY).update(`${SUB}\n${purpose}\n123456`).digest('base64url');
      expect(hashCode(KEY, SUB, purpose, '123456')).toBe(before);
    }
  });

  it('binds a VERIFY code to the exact address', () => {
    const a = hashCode(KEY, SUB, 'VERIFY:email', '123456', 'hanako@example.jp');
    expect(hashCode(KEY, SUB, 'VERIFY:email', '123456', 'hanako@example.jp')).toBe(a);
    expect(hashCode(KEY, SUB, 'VERIFY:email', '123456', 'hanako@docomo.ne.jp')).not.toBe(a);
    // RFC 5321 §2.4: the local part's case is the receiving host's to interpret.
    expect(hashCode(KEY, SUB, 'VERIFY:email', '123456', 'Hanako@example.jp')).not.toBe(a);
    expect(hashCode(KEY, SUB, 'VERIFY:email', '654321', 'hanako@example.jp')).not.toBe(a);
  });

  it('refuses a VERIFY code without its address, and an address for other codes', () => {
    expect(() => hashCode(KEY, SUB, 'VERIFY:email', '123456')).toThrow(/need/);
    expect(() => hashCode(KEY, SUB, 'SIGN_UP', '123456', 'hanako@example.jp')).toThrow(/take no/);
  });
});
