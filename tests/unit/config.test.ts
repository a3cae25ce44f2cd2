// loadConfig: defaults, and a bad value of any variable stops start-up with a ConfigError
// naming that variable.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactUrl } from '../../src/config/index.js';
import {
  FAILURES_BEFORE_LOCKOUT,
  MAX_CODE_ATTEMPTS,
  MAX_CODE_SENDS_PER_HOUR,
  MAX_LOCKOUT_MS,
  MAX_USER_CODE_GUESSES,
} from '../../src/config/limits.js';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('attempt limits', () => {
  it("default to Cognito's values, the exported constants", () => {
    expect(loadConfig({}).attemptLimits).toEqual({
      code: { maxAttempts: MAX_CODE_ATTEMPTS, maxGuessesPerUser: MAX_USER_CODE_GUESSES, maxSendsPerHour: MAX_CODE_SENDS_PER_HOUR },
      signIn: { failuresBeforeLockout: FAILURES_BEFORE_LOCKOUT, maxLockoutMs: MAX_LOCKOUT_MS },
    });
    expect(loadConfig({}).attemptLimits).toEqual({
      code: { maxAttempts: 5, maxGuessesPerUser: 20, maxSendsPerHour: 10 },
      signIn: { failuresBeforeLockout: 5, maxLockoutMs: 15 * 60_000 },
    });
  });

  it('are read from their variables; the lockout cap is given in seconds', () => {
    const limits = loadConfig({
      TODOKU_CODE_MAX_ATTEMPTS: '3',
      TODOKU_CODE_MAX_GUESSES_PER_USER: '40',
      TODOKU_CODE_MAX_SENDS_PER_HOUR: '7',
      TODOKU_SIGNIN_FAILURES_BEFORE_LOCKOUT: '10',
      TODOKU_SIGNIN_MAX_LOCKOUT_SECONDS: '3600',
    }).attemptLimits;
    expect(limits).toEqual({
      code: { maxAttempts: 3, maxGuessesPerUser: 40, maxSendsPerHour: 7 },
      signIn: { failuresBeforeLockout: 10, maxLockoutMs: 3_600_000 },
    });
  });

  it('an empty variable means the default', () => {
    expect(loadConfig({ TODOKU_CODE_MAX_ATTEMPTS: '' }).attemptLimits.code.maxAttempts).toBe(MAX_CODE_ATTEMPTS);
  });

  const variables = [
    'TODOKU_CODE_MAX_ATTEMPTS',
    'TODOKU_CODE_MAX_GUESSES_PER_USER',
    'TODOKU_CODE_MAX_SENDS_PER_HOUR',
    'TODOKU_SIGNIN_FAILURES_BEFORE_LOCKOUT',
    'TODOKU_SIGNIN_MAX_LOCKOUT_SECONDS',
  ];
  for (const name of variables) {
    it(`${name}: not a whole number, zero or out of range → ConfigError naming it`, () => {
      for (const bad of ['abc', '-1', '2.5', '0', '99999999999']) {
        const err = configError({ [name]: bad });
        expect(err.variable).toBe(name);
        expect(err.message.startsWith(`${name}: `)).toBe(true);
      }
    });
  }
});

describe('existing variables', () => {
  it('TODOKU_PORT must be a whole number in 0..65535', () => {
    expect(configError({ TODOKU_PORT: 'abc' }).message).toBe('TODOKU_PORT: must be a whole number, got "abc"');
    expect(configError({ TODOKU_PORT: '65536' }).variable).toBe('TODOKU_PORT');
    expect(loadConfig({ TODOKU_PORT: '0' }).port).toBe(0);
    expect(loadConfig({}).port).toBe(8990);
  });

  it('TODOKU_MAIL_MODE must be capture, relay or direct', () => {
    const err = configError({ TODOKU_MAIL_MODE: 'smtp' });
    expect(err.variable).toBe('TODOKU_MAIL_MODE');
    expect(err.message).toContain('"smtp"');
    expect(loadConfig({}).mailMode).toBe('capture');
  });

  it('relay mode needs TODOKU_SMTP_RELAY, an smtp:// or smtps:// URL', () => {
    expect(configError({ TODOKU_MAIL_MODE: 'relay' }).variable).toBe('TODOKU_SMTP_RELAY');
    expect(configError({ TODOKU_MAIL_MODE: 'relay', TODOKU_SMTP_RELAY: 'http://relay.example.jp' }).variable).toBe('TODOKU_SMTP_RELAY');
    const config = loadConfig({ TODOKU_MAIL_MODE: 'relay', TODOKU_SMTP_RELAY: 'smtp://u:p@relay.example.jp:587' });
    expect([config.mailMode, config.smtpRelay]).toEqual(['relay', 'smtp://u:p@relay.example.jp:587']);
  });

  it('TODOKU_DNS_SERVERS must be ip[:port] entries', () => {
    const err = configError({ TODOKU_DNS_SERVERS: '1.1.1.1,dns.example.jp' });
    expect(err.variable).toBe('TODOKU_DNS_SERVERS');
    expect(err.message).toContain('"dns.example.jp"');
    expect(loadConfig({ TODOKU_DNS_SERVERS: ' 127.0.0.1:5353 , [::1]:53 ' }).dnsServers).toEqual(['127.0.0.1:5353', '[::1]:53']);
    expect(loadConfig({}).dnsServers).toBeUndefined();
  });

  it('a bad URL is reported without its password', () => {
    const err = configError({ TODOKU_DATABASE_URL: 'mysql://user:hunter2@db.example.jp/todoku' });
    expect(err.variable).toBe('TODOKU_DATABASE_URL');
    expect(err.message).not.toContain('hunter2');
    const unparsable = configError({ TODOKU_SMTP_RELAY: 'smtp://user:hunter2@' });
    expect(unparsable.message).not.toContain('hunter2');
  });
});

describe('read once', () => {
  it('is frozen all the way down: nothing changes it after it is read', () => {
    const config = loadConfig({ TODOKU_PORT: '0' });
    expect(() => {
      (config as { publicUrl: string }).publicUrl = 'http://127.0.0.1:1234';
    }).toThrow(TypeError);
    expect(() => {
      (config.rateLimits as { userAuthenticationPerSecond: number }).userAuthenticationPerSecond = 0;
    }).toThrow(TypeError);
    expect(() => {
      (config.attemptLimits.code as { maxAttempts: number }).maxAttempts = 99;
    }).toThrow(TypeError);
    expect(() => config.sendingIps.push('192.0.2.1')).toThrow(TypeError);
    expect(config.publicUrl).toBe('http://localhost:0');
  });

  it('derives the SQLite file from TODOKU_DATA_DIR, the one place that names it', () => {
    expect(loadConfig({ TODOKU_DATA_DIR: '/var/lib/todoku' }).sqliteFile).toBe('/var/lib/todoku/todoku.db');
  });
});

describe('redactUrl', () => {
  it('hides the password and keeps everything else', () => {
    expect(redactUrl('postgres://todoku:s3cret@db.example.jp:5432/todoku')).toBe('postgres://todoku:****@db.example.jp:5432/todoku');
    expect(redactUrl('smtps://apikey:a:b/c@smtp.example.jp:465')).toBe('smtps://apikey:****@smtp.example.jp:465');
  });

  it('hides a password holding an unencoded @ (URL parsers accept it)', () => {
    expect(redactUrl('smtp://user:p@ss@relay.example.jp:587')).toBe('smtp://user:****@relay.example.jp:587');
  });

  it('leaves a URL without a password alone', () => {
    expect(redactUrl('postgres://todoku@db.example.jp/todoku')).toBe('postgres://todoku@db.example.jp/todoku');
    expect(redactUrl('smtp://relay.example.jp:587')).toBe('smtp://relay.example.jp:587');
  });
});
