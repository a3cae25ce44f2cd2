import type { Random } from './random.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const CLIENT_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `ap-northeast-1_AbC123xyZ`: region, underscore, nine alphanumerics, as Cognito. */
export function newUserPoolId(random: Random, region: string): string {
  return `${region}_${random.pick(ALNUM, 9)}`;
}

/** App client ids are 26 lower-case alphanumerics in Cognito. */
export function newClientId(random: Random): string {
  return random.pick(CLIENT_ID_ALPHABET, 26);
}

/** App client secrets are 51 characters of base32-ish lower-case alphanumerics in Cognito. */
export function newClientSecret(random: Random): string {
  return random.pick(CLIENT_ID_ALPHABET, 51);
}

export const USER_POOL_ID_RE = /^[\w-]+_[0-9a-zA-Z]+$/;
