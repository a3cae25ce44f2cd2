// seal/unseal: AES-256-GCM with the full 16-byte tag. Node accepts tags as short as 4 bytes
// unless told the length, which would let a forged Session be guessed with ~2^32 tries.
import { describe, expect, it } from 'vitest';
import { deriveKey, seal, unseal } from '../../../src/core/seal.js';

const key = deriveKey(Buffer.alloc(32, 1), 'test');

describe('seal', () => {
  it('round-trips', () => {
    expect(unseal(key, seal(key, 'hello'))).toBe('hello');
  });

  it('refuses a truncated authentication tag', () => {
    const [v, iv, tag, body] = seal(key, '{"exp":1}').split('.') as [string, string, string, string];
    const short = Buffer.from(tag, 'base64url').subarray(0, 4).toString('base64url');
    expect(() => unseal(key, [v, iv, short, body].join('.'))).toThrow();
  });

  it('refuses a changed body', () => {
    const [v, iv, tag, body] = seal(key, '{"exp":1}').split('.') as [string, string, string, string];
    const bytes = Buffer.from(body, 'base64url');
    bytes[0] = bytes[0]! ^ 1;
    expect(() => unseal(key, [v, iv, tag, bytes.toString('base64url')].join('.'))).toThrow();
  });
});
