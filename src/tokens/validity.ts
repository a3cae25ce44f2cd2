import type { ClientSettings, TimeUnit } from '../userpool/model.js';

const UNIT_SECONDS: Record<TimeUnit, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

/** Cognito's defaults: access and ID tokens 60 minutes, refresh tokens 30 days. */
export function accessTokenSeconds(s: ClientSettings): number {
  return (s.AccessTokenValidity ?? 60) * UNIT_SECONDS[s.TokenValidityUnits?.AccessToken ?? 'minutes'];
}
export function idTokenSeconds(s: ClientSettings): number {
  return (s.IdTokenValidity ?? 60) * UNIT_SECONDS[s.TokenValidityUnits?.IdToken ?? 'minutes'];
}
export function refreshTokenSeconds(s: ClientSettings): number {
  return (s.RefreshTokenValidity ?? 30) * UNIT_SECONDS[s.TokenValidityUnits?.RefreshToken ?? 'days'];
}
