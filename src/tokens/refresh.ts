// Refresh tokens: opaque random values, stored only as their SHA-256 in the sessions
// table (the sessions themselves are userpool's: userpool/sessions.ts).
import { sha256Hex } from '../core/compare.js';
import type { Random } from '../core/random.js';

/** 384 bits: far past guessing, and a 64-character base64url string. */
export const REFRESH_TOKEN_BYTES = 48;

export function refreshTokenHash(token: string): string {
  return sha256Hex(token);
}

/** A fresh refresh token: the only copy in the clear (handed to the caller once) and the hash kept. */
export function newRefreshToken(random: Random): { token: string; hash: string } {
  const token = random.bytes(REFRESH_TOKEN_BYTES).toString('base64url');
  return { token, hash: refreshTokenHash(token) };
}
