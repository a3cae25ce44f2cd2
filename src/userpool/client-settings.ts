// An app client's settings as CreateUserPoolClient/UpdateUserPoolClient take them and
// DescribeUserPoolClient shows them, plus the readings other operations need (token
// lifetimes, allowed auth flows).
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html
import type { UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import type { ClientSettings, TimeUnit, UserPool, UserPoolClient } from './model.js';
import type { Wire } from './wire.js';
import type { TokenLifetimes } from '../tokens/service.js';
import { InvalidParameterException } from './errors.js';
import { readableAttributeNames } from './pool-schema.js';
import { epochSeconds } from './pool-settings.js';
import { Reader } from './settings-input.js';
import type { Input, StringRule } from './validate.js';

export const CLIENT_NAME_RULE: StringRule = { min: 1, max: 128, pattern: /^[\w\s+=,.@-]+$/, patternText: '[\\w\\s+=,.@-]+' };
export const CLIENT_SECRET_RULE: StringRule = { min: 24, max: 64, pattern: /^[\w+]+$/, patternText: '[\\w+]+' };
const REDIRECT_URL_RULE: StringRule = { min: 1, max: 1024, pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u, patternText: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+' };
const SCOPE_RULE: StringRule = { min: 1, max: 256, pattern: /^[\x21\x23-\x5B\x5D-\x7E]+$/, patternText: '[\\x21\\x23-\\x5B\\x5D-\\x7E]+' };

/** ExplicitAuthFlowsType: the values a client's ExplicitAuthFlows may hold (current ALLOW_* and legacy). */
export const EXPLICIT_AUTH_FLOWS = [
  'ADMIN_NO_SRP_AUTH',
  'CUSTOM_AUTH_FLOW_ONLY',
  'USER_PASSWORD_AUTH',
  'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  'ALLOW_CUSTOM_AUTH',
  'ALLOW_USER_PASSWORD_AUTH',
  'ALLOW_USER_SRP_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
  'ALLOW_USER_AUTH',
] as const;
const LEGACY_AUTH_FLOWS = ['ADMIN_NO_SRP_AUTH', 'CUSTOM_AUTH_FLOW_ONLY', 'USER_PASSWORD_AUTH'];
/** API_CreateUserPoolClient: without ExplicitAuthFlows a client supports these. */
export const DEFAULT_AUTH_FLOWS = ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'];

const TIME_UNITS: readonly TimeUnit[] = ['seconds', 'minutes', 'hours', 'days'];
const UNIT_SECONDS: Record<TimeUnit, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

/** OIDC and Cognito scopes; custom scopes need resource servers, which todoku does not have. */
const STANDARD_SCOPES = new Set(['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin']);

// API_TokenValidityUnitsType: access and ID tokens 5 minutes to 1 day, refresh tokens
// 60 minutes to 10 years; without a unit, access/ID count hours and refresh days.
const ACCESS_ID_RANGE_SECONDS = [5 * 60, 86400] as const;
const REFRESH_RANGE_SECONDS = [60 * 60, 10 * 365 * 86400] as const;
const DEFAULT_ACCESS_ID_SECONDS = 60 * 60;
const DEFAULT_REFRESH_DAYS = 30;

/** How long the client's tokens live, in seconds (defaults: 1 h, 1 h, 30 days). */
export function tokenLifetimes(settings: ClientSettings): TokenLifetimes {
  const units = settings.TokenValidityUnits ?? {};
  const seconds = (value: number | undefined, unit: TimeUnit | undefined, fallbackUnit: TimeUnit, fallback: number) =>
    value === undefined ? fallback : value * UNIT_SECONDS[unit ?? fallbackUnit];
  return {
    accessSeconds: seconds(settings.AccessTokenValidity, units.AccessToken, 'hours', DEFAULT_ACCESS_ID_SECONDS),
    idSeconds: seconds(settings.IdTokenValidity, units.IdToken, 'hours', DEFAULT_ACCESS_ID_SECONDS),
    refreshSeconds: seconds(settings.RefreshTokenValidity || undefined, units.RefreshToken, 'days', DEFAULT_REFRESH_DAYS * 86400),
  };
}

/**
 * The ALLOW_ flows a client permits. Legacy values keep their old meaning: SRP and refresh
 * always on, plus ADMIN_NO_SRP_AUTH → admin password auth, USER_PASSWORD_AUTH → password
 * auth, CUSTOM_AUTH_FLOW_ONLY → custom auth only.
 */
export function allowedAuthFlows(settings: ClientSettings): Set<string> {
  const flows = settings.ExplicitAuthFlows;
  if (!flows || flows.length === 0) return new Set(DEFAULT_AUTH_FLOWS);
  if (!flows.some((f) => LEGACY_AUTH_FLOWS.includes(f))) return new Set(flows);
  if (flows.includes('CUSTOM_AUTH_FLOW_ONLY')) return new Set(['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
  const out = new Set(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
  if (flows.includes('ADMIN_NO_SRP_AUTH')) out.add('ALLOW_ADMIN_USER_PASSWORD_AUTH');
  if (flows.includes('USER_PASSWORD_AUTH')) out.add('ALLOW_USER_PASSWORD_AUTH');
  return out;
}

/** Whether a client permits an ALLOW_ flow (legacy ExplicitAuthFlows values mapped as Cognito does). */
export function clientAllowsFlow(settings: ClientSettings, flow: string): boolean {
  return allowedAuthFlows(settings).has(flow);
}

function invalidRange(field: string, range: readonly [number, number]): never {
  throw new InvalidParameterException(
    `Invalid range for token validity: ${field} must be between ${range[0]} and ${range[1]} seconds with its TokenValidityUnits.`,
  );
}

function parseTokenValidity(r: Reader): Pick<ClientSettings, 'AccessTokenValidity' | 'IdTokenValidity' | 'RefreshTokenValidity' | 'TokenValidityUnits'> {
  const unitsReader = r.object('TokenValidityUnits');
  const units: NonNullable<ClientSettings['TokenValidityUnits']> = {};
  for (const key of ['AccessToken', 'IdToken', 'RefreshToken'] as const) {
    const unit = unitsReader?.enumOf(key, TIME_UNITS);
    if (unit) units[key] = unit;
  }
  const access = r.integer('AccessTokenValidity', 1, 86400);
  const id = r.integer('IdTokenValidity', 1, 86400);
  let refresh = r.integer('RefreshTokenValidity', 0, 315360000);
  if (refresh === undefined || refresh === 0) {
    // API_CreateUserPoolClient: 0 or nothing means the default of 30 days, counted in the
    // refresh unit the request chose.
    refresh = (DEFAULT_REFRESH_DAYS * 86400) / UNIT_SECONDS[units.RefreshToken ?? 'days'];
  }
  const out = { RefreshTokenValidity: refresh, ...(access !== undefined ? { AccessTokenValidity: access } : {}), ...(id !== undefined ? { IdTokenValidity: id } : {}) };
  const lifetimes = tokenLifetimes({ ...out, TokenValidityUnits: units });
  const inRange = (s: number, [min, max]: readonly [number, number]) => s >= min && s <= max;
  if (access !== undefined && !inRange(lifetimes.accessSeconds, ACCESS_ID_RANGE_SECONDS)) invalidRange('AccessTokenValidity', ACCESS_ID_RANGE_SECONDS);
  if (id !== undefined && !inRange(lifetimes.idSeconds, ACCESS_ID_RANGE_SECONDS)) invalidRange('IdTokenValidity', ACCESS_ID_RANGE_SECONDS);
  if (!inRange(lifetimes.refreshSeconds, REFRESH_RANGE_SECONDS)) invalidRange('RefreshTokenValidity', REFRESH_RANGE_SECONDS);
  if (lifetimes.accessSeconds > lifetimes.refreshSeconds || lifetimes.idSeconds > lifetimes.refreshSeconds) {
    throw new InvalidParameterException('Invalid range for token validity: access and ID tokens cannot outlive the refresh token.');
  }
  // A value given without its unit is stored with the unit the API reads it in (hours for
  // access and ID tokens), so no reader can take "2" for 2 minutes.
  if (access !== undefined) units.AccessToken ??= 'hours';
  if (id !== undefined) units.IdToken ??= 'hours';
  if (unitsReader || access !== undefined || id !== undefined) units.RefreshToken ??= 'days';
  return { ...out, ...(Object.keys(units).length > 0 ? { TokenValidityUnits: units } : {}) };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

/** API_CreateUserPoolClient CallbackURLs: absolute, no fragment, HTTPS unless loopback. */
function checkRedirectUrls(field: string, urls: string[] | undefined): void {
  for (const raw of urls ?? []) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new InvalidParameterException(`${field}: ${raw} is not an absolute URL.`);
    }
    if (url.hash !== '' || raw.includes('#')) throw new InvalidParameterException(`${field}: ${raw} must not contain a fragment.`);
    if (url.protocol === 'http:' && !isLoopback(url.hostname)) throw new InvalidParameterException(`${raw} cannot use the HTTP protocol.`);
  }
}

function checkAttributeList(pool: UserPool, list: string[] | undefined, kind: 'read' | 'write', verb: string): void {
  if (!list) return;
  const known = readableAttributeNames(pool.settings.Schema);
  for (const name of list) {
    const writeForbidden = kind === 'write' && (name === 'email_verified' || name === 'phone_number_verified');
    if (!known.has(name) || writeForbidden) {
      throw new InvalidParameterException(`Invalid ${kind} attributes specified while ${verb} a client: ${name}`);
    }
  }
}

export interface ParsedClient {
  name: string;
  settings: ClientSettings;
}

/**
 * Create/UpdateUserPoolClient input → the client's name and settings. As in Cognito, an
 * update replaces every setting: one the request leaves out takes its default value.
 */
export function parseClientSettings(input: Input, pool: UserPool, opts: { hasSecret: boolean; currentName?: string }): ParsedClient {
  const r = new Reader(input);
  const updating = opts.currentName !== undefined;
  const name = updating ? (r.string('ClientName', CLIENT_NAME_RULE) ?? opts.currentName!) : r.requiredString('ClientName', CLIENT_NAME_RULE);
  const verb = updating ? 'updating' : 'creating';

  const flows = r.enumList('ExplicitAuthFlows', EXPLICIT_AUTH_FLOWS);
  if (flows && flows.some((f) => LEGACY_AUTH_FLOWS.includes(f)) && flows.some((f) => f.startsWith('ALLOW_'))) {
    throw new InvalidParameterException(
      'ExplicitAuthFlows: the legacy values ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY and USER_PASSWORD_AUTH cannot be combined with ALLOW_ values.',
    );
  }
  const read = r.stringList('ReadAttributes', { min: 1, max: 2048 });
  const write = r.stringList('WriteAttributes', { min: 1, max: 2048 });
  checkAttributeList(pool, read, 'read', verb);
  checkAttributeList(pool, write, 'write', verb);

  const providers = r.stringList('SupportedIdentityProviders', { min: 1, max: 32 });
  for (const p of providers ?? []) {
    if (p !== 'COGNITO') throw new InvalidParameterException(`The provider ${p} does not exist for User Pool ${pool.id}`);
  }
  const callbacks = r.stringList('CallbackURLs', REDIRECT_URL_RULE, 100);
  const logouts = r.stringList('LogoutURLs', REDIRECT_URL_RULE, 100);
  checkRedirectUrls('CallbackURLs', callbacks);
  checkRedirectUrls('LogoutURLs', logouts);
  const defaultRedirect = r.string('DefaultRedirectURI', REDIRECT_URL_RULE);
  if (defaultRedirect !== undefined && !(callbacks ?? []).includes(defaultRedirect)) {
    throw new InvalidParameterException('DefaultRedirectURI must be one of the CallbackURLs.');
  }

  const oauthFlows = r.enumList('AllowedOAuthFlows', ['code', 'implicit', 'client_credentials'] as const, 3);
  const scopes = r.stringList('AllowedOAuthScopes', SCOPE_RULE, 50);
  for (const s of scopes ?? []) {
    if (!STANDARD_SCOPES.has(s)) throw new InvalidParameterException(`AllowedOAuthScopes: ${s} is not a valid scope; todoku knows ${[...STANDARD_SCOPES].join(', ')}.`);
  }
  const oauthClient = r.boolean('AllowedOAuthFlowsUserPoolClient') ?? false;
  if (oauthFlows?.includes('client_credentials')) {
    if (oauthFlows.length > 1) throw new InvalidParameterException('client_credentials flow can not be selected along with code flow or implicit flow.');
    if (!opts.hasSecret) throw new InvalidParameterException('client_credentials flow can not be selected if client does not have a client secret.');
  }
  if (oauthClient) {
    if (!oauthFlows?.length) throw new InvalidParameterException('AllowedOAuthFlows is required when AllowedOAuthFlowsUserPoolClient is true.');
    if (!scopes?.length) throw new InvalidParameterException('AllowedOAuthScopes is required when AllowedOAuthFlowsUserPoolClient is true.');
    if (oauthFlows.some((f) => f !== 'client_credentials') && !callbacks?.length) {
      throw new InvalidParameterException('CallbackURLs is required for the code and implicit OAuth flows.');
    }
  }

  const rotation = r.object('RefreshTokenRotation');
  const settings: ClientSettings = {
    ...parseTokenValidity(r),
    ExplicitAuthFlows: flows ?? [...DEFAULT_AUTH_FLOWS],
    // API_CreateUserPoolClient: "Defaults to LEGACY when you don't provide a value."
    PreventUserExistenceErrors: r.enumOf('PreventUserExistenceErrors', ['LEGACY', 'ENABLED'] as const) ?? 'LEGACY',
    // "If you don't include this parameter, token revocation is automatically activated."
    EnableTokenRevocation: r.boolean('EnableTokenRevocation') ?? true,
    EnablePropagateAdditionalUserContextData: r.boolean('EnablePropagateAdditionalUserContextData') ?? false,
    AuthSessionValidity: r.integer('AuthSessionValidity', 3, 15) ?? 3,
    AllowedOAuthFlowsUserPoolClient: oauthClient,
  };
  if (read) settings.ReadAttributes = read;
  if (write) settings.WriteAttributes = write;
  if (providers) settings.SupportedIdentityProviders = providers;
  if (callbacks) settings.CallbackURLs = callbacks;
  if (logouts) settings.LogoutURLs = logouts;
  if (defaultRedirect !== undefined) settings.DefaultRedirectURI = defaultRedirect;
  if (oauthFlows) settings.AllowedOAuthFlows = oauthFlows;
  if (scopes) settings.AllowedOAuthScopes = scopes;
  if (rotation) {
    const feature = rotation.enumOf('Feature', ['ENABLED', 'DISABLED'] as const) ?? rotation.requiredString('Feature');
    const grace = rotation.integer('RetryGracePeriodSeconds', 0, 60);
    settings.RefreshTokenRotation = { Feature: feature, ...(grace !== undefined ? { RetryGracePeriodSeconds: grace } : {}) };
  }
  return { name, settings };
}

/** UserPoolClientType as todoku answers it: the SDK's shape on the wire, plus the settings as stored. */
export type ClientDescription = Wire<UserPoolClientType> & Record<string, unknown> & { ClientId: string };

/** The client as Create/Describe/UpdateUserPoolClient return it (UserPoolClientType). */
export function describeClient(client: UserPoolClient): ClientDescription {
  return {
    UserPoolId: client.poolId,
    ClientName: client.name,
    ClientId: client.id,
    ...(client.secret !== null ? { ClientSecret: client.secret } : {}),
    LastModifiedDate: epochSeconds(client.updatedAtMs),
    CreationDate: epochSeconds(client.createdAtMs),
    ...client.settings,
  };
}
