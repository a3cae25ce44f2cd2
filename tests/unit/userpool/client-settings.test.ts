// CreateUserPoolClient/UpdateUserPoolClient input rules and the readings other
// operations take from a client (token lifetimes, auth flows).
import { describe, expect, it } from 'vitest';
import { allowedAuthFlows, parseClientSettings, tokenLifetimes } from '../../../src/userpool/client-settings.js';
import { parseNewPool } from '../../../src/userpool/pool-settings.js';
import type { ClientSettings, UserPool } from '../../../src/userpool/model.js';

const { settings: poolSettings } = parseNewPool({ PoolName: 'p', Schema: [{ Name: 'plan', AttributeDataType: 'String' }] });
const pool: UserPool = { id: 'ap-northeast-1_abc', name: 'p', settings: poolSettings, createdAtMs: 0, updatedAtMs: 0 };

function parse(input: Record<string, unknown>, hasSecret = false) {
  return parseClientSettings({ ClientName: 'app', ...input }, pool, { hasSecret });
}

function refused(input: Record<string, unknown>, hasSecret = false): string {
  try {
    parse(input, hasSecret);
  } catch (err) {
    expect((err as Error).name).toBe('InvalidParameterException');
    return (err as Error).message;
  }
  throw new Error('accepted: ' + JSON.stringify(input));
}

describe('parseClientSettings', () => {
  it("fills the API's defaults", () => {
    const { name, settings } = parse({});
    expect(name).toBe('app');
    expect(settings).toEqual({
      RefreshTokenValidity: 30,
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'],
      PreventUserExistenceErrors: 'LEGACY',
      EnableTokenRevocation: true,
      EnablePropagateAdditionalUserContextData: false,
      AuthSessionValidity: 3,
      AllowedOAuthFlowsUserPoolClient: false,
    });
    expect(tokenLifetimes(settings)).toEqual({ accessSeconds: 3600, idSeconds: 3600, refreshSeconds: 30 * 86400 });
  });

  it('checks ClientName', () => {
    expect(refused({ ClientName: undefined })).toContain("'ClientName'");
    expect(refused({ ClientName: 'bad/name' })).toContain('regular expression');
  });

  it('checks ExplicitAuthFlows and refuses legacy values mixed with ALLOW_ ones', () => {
    expect(refused({ ExplicitAuthFlows: ['ALLOW_MAGIC'] })).toContain("'ExplicitAuthFlows.1.member'");
    expect(refused({ ExplicitAuthFlows: ['USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH'] })).toContain('legacy');
    expect(parse({ ExplicitAuthFlows: ['ADMIN_NO_SRP_AUTH', 'USER_PASSWORD_AUTH'] }).settings.ExplicitAuthFlows).toEqual(['ADMIN_NO_SRP_AUTH', 'USER_PASSWORD_AUTH']);
  });

  it('reads legacy flows with their old meaning', () => {
    expect([...allowedAuthFlows({ ExplicitAuthFlows: ['USER_PASSWORD_AUTH'] })].sort()).toEqual(
      ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH'],
    );
    expect([...allowedAuthFlows({ ExplicitAuthFlows: ['CUSTOM_AUTH_FLOW_ONLY'] })].sort()).toEqual(['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    expect(allowedAuthFlows({ ExplicitAuthFlows: ['ALLOW_USER_AUTH'] })).toEqual(new Set(['ALLOW_USER_AUTH']));
    expect(allowedAuthFlows({})).toEqual(new Set(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH']));
  });

  it('checks token validity against AWS ranges in the given units', () => {
    // Without units: access/ID in hours, refresh in days.
    expect(tokenLifetimes(parse({ AccessTokenValidity: 2, IdTokenValidity: 24, RefreshTokenValidity: 10 }).settings)).toEqual({
      accessSeconds: 7200,
      idSeconds: 86400,
      refreshSeconds: 864000,
    });
    const units = { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' };
    expect(tokenLifetimes(parse({ AccessTokenValidity: 5, IdTokenValidity: 5, RefreshTokenValidity: 60, TokenValidityUnits: units }).settings)).toEqual({
      accessSeconds: 300,
      idSeconds: 300,
      refreshSeconds: 3600,
    });
    expect(refused({ AccessTokenValidity: 4, TokenValidityUnits: units })).toContain('Invalid range for token validity: AccessTokenValidity');
    expect(refused({ IdTokenValidity: 25 })).toContain('IdTokenValidity');
    expect(refused({ RefreshTokenValidity: 59, TokenValidityUnits: units })).toContain('RefreshTokenValidity');
    expect(refused({ RefreshTokenValidity: 3651 })).toContain('RefreshTokenValidity');
    expect(refused({ AccessTokenValidity: 0 })).toContain("'AccessTokenValidity'");
    expect(refused({ TokenValidityUnits: { AccessToken: 'weeks' } })).toContain('[seconds, minutes, hours, days]');
    expect(refused({ AccessTokenValidity: 2, TokenValidityUnits: { RefreshToken: 'hours' }, RefreshTokenValidity: 1 })).toContain('outlive');
  });

  it('takes RefreshTokenValidity 0 or nothing as 30 days, in the unit asked for', () => {
    expect(parse({ RefreshTokenValidity: 0 }).settings.RefreshTokenValidity).toBe(30);
    const hours = parse({ TokenValidityUnits: { RefreshToken: 'hours' } }).settings;
    expect(hours.RefreshTokenValidity).toBe(720);
    expect(tokenLifetimes(hours).refreshSeconds).toBe(30 * 86400);
  });

  it('checks read and write attributes against the pool schema', () => {
    expect(parse({ ReadAttributes: ['email', 'email_verified', 'custom:plan'], WriteAttributes: ['email', 'custom:plan'] }).settings).toMatchObject({
      ReadAttributes: ['email', 'email_verified', 'custom:plan'],
      WriteAttributes: ['email', 'custom:plan'],
    });
    expect(refused({ ReadAttributes: ['custom:nope'] })).toContain('Invalid read attributes specified while creating a client');
    expect(refused({ WriteAttributes: ['email_verified'] })).toContain('Invalid write attributes');
  });

  it('checks callback URLs, the default redirect and OAuth settings', () => {
    expect(refused({ CallbackURLs: ['http://example.jp/cb'] })).toBe('http://example.jp/cb cannot use the HTTP protocol.');
    expect(refused({ CallbackURLs: ['https://example.jp/cb#frag'] })).toContain('fragment');
    expect(refused({ CallbackURLs: ['not a url'] })).toContain('CallbackURLs');
    expect(refused({ CallbackURLs: ['https://example.jp/a'], DefaultRedirectURI: 'https://example.jp/b' })).toContain('DefaultRedirectURI');
    expect(refused({ AllowedOAuthFlows: ['client_credentials'] })).toContain('client secret');
    expect(refused({ AllowedOAuthFlows: ['client_credentials', 'code'] }, true)).toContain('along with code');
    expect(refused({ AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'] })).toContain('CallbackURLs');
    expect(refused({ AllowedOAuthScopes: ['admin:everything'] })).toContain('admin:everything');
    expect(refused({ SupportedIdentityProviders: ['Google'] })).toBe(`The provider Google does not exist for User Pool ${pool.id}`);
    const oauth = parse({
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'],
      CallbackURLs: ['http://localhost:3000/cb', 'myapp://cb'],
      LogoutURLs: ['https://example.jp/bye'],
      DefaultRedirectURI: 'myapp://cb',
      SupportedIdentityProviders: ['COGNITO'],
    }).settings;
    expect(oauth).toMatchObject({ AllowedOAuthFlows: ['code'], CallbackURLs: ['http://localhost:3000/cb', 'myapp://cb'], DefaultRedirectURI: 'myapp://cb' });
  });

  it('keeps the name on update when none is given', () => {
    expect(parseClientSettings({}, pool, { hasSecret: false, currentName: 'old' }).name).toBe('old');
    expect(() => parseClientSettings({ ReadAttributes: ['nope'] }, pool, { hasSecret: false, currentName: 'old' })).toThrow(
      'Invalid read attributes specified while updating a client: nope',
    );
  });
});

describe('stored token validity', () => {
  it('names the unit of every value it keeps, so a reader cannot take hours for minutes', () => {
    const lifetimes = (s: ClientSettings) => {
      const l = tokenLifetimes(s);
      return [l.accessSeconds, l.idSeconds, l.refreshSeconds];
    };
    const s = parse({ AccessTokenValidity: 2, IdTokenValidity: 3, RefreshTokenValidity: 10 }).settings;
    expect(s.TokenValidityUnits).toEqual({ AccessToken: 'hours', IdToken: 'hours', RefreshToken: 'days' });
    expect(lifetimes(s)).toEqual([7200, 10800, 864000]);
    const defaults = parse({}).settings;
    expect(defaults.TokenValidityUnits).toBeUndefined();
    expect(lifetimes(defaults)).toEqual([3600, 3600, 30 * 86400]);
    // Without units AWS reads access/ID validity as hours and refresh validity as days.
    expect(lifetimes({ AccessTokenValidity: 2, IdTokenValidity: 3, RefreshTokenValidity: 10 })).toEqual([7200, 10800, 864000]);
  });
});
