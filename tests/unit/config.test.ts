// loadConfig: defaults, and a bad value of any variable stops start-up with a ConfigError
// naming that variable.
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadDoctorSettings, redactUrl } from '../../src/config/index.js';
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

describe('TODOKU_TRUSTED_PROXIES (issue 13 #10)', () => {
  it('is a list of IPv4/IPv6 addresses and CIDR ranges; unset trusts nobody', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ TODOKU_TRUSTED_PROXIES: ' 10.0.0.0/8, 192.0.2.7 ,2001:db8::/32, ::1 ' }).trustedProxies).toEqual([
      '10.0.0.0/8',
      '192.0.2.7',
      '2001:db8::/32',
      '::1',
    ]);
  });

  it('a bad entry stops start-up, naming the variable and the entry', () => {
    for (const bad of ['proxy.example.jp', '10.0.0.0/33', '2001:db8::/129', '10.0.0.1:8080', '10.0.0.0/', '10.0.0.0/8x', '*']) {
      const err = configError({ TODOKU_TRUSTED_PROXIES: `127.0.0.1,${bad}` });
      expect(err.variable).toBe('TODOKU_TRUSTED_PROXIES');
      expect(err.message).toMatch(/^TODOKU_TRUSTED_PROXIES: /);
      expect(err.message).toContain(`"${bad}"`);
    }
  });
});

describe('TODOKU_SENDING_IPS (issue 13 #17)', () => {
  it('accepts addresses, CIDR ranges, ip4:/ip6: terms and include:<domain> (or a bare relay domain)', () => {
    const entries = ['203.0.113.5', '198.51.100.0/24', '2001:DB8::1', 'ip4:192.0.2.0/28', 'IP6:2001:db8::/48', 'include:_spf.relay.example.jp', 'relay.example.jp'];
    expect(loadConfig({ TODOKU_SENDING_IPS: entries.join(',') }).sendingIps).toEqual(entries);
  });

  it('refuses an entry that would be printed as a broken SPF term, naming the variable and the entry', () => {
    for (const bad of ['203.0.113.5:25', '203.0.113.0/33', 'ip4:2001:db8::1', 'ip6:203.0.113.5', 'ip4:relay.example.jp', 'include:', 'include:203.0.113.5', 'include:localhost', 'relay_host', 'smtp://relay.example.jp', 'a:mail.example.jp']) {
      const err = configError({ TODOKU_SENDING_IPS: `203.0.113.9,${bad}` });
      expect(err.variable).toBe('TODOKU_SENDING_IPS');
      expect(err.message).toMatch(/^TODOKU_SENDING_IPS: /);
      expect(err.message).toContain(`"${bad}"`);
    }
  });
});

describe('TODOKU_HELO_NAME (issue 13 #17)', () => {
  it('an explicit name must be a domain name', () => {
    for (const bad of ['mail server', 'mail_1.example.jp', '-mail.example.jp', '203.0.113.5', '[203.0.113.5]', 'a..example.jp', `${'a'.repeat(64)}.example.jp`]) {
      const err = configError({ TODOKU_HELO_NAME: bad });
      expect(err.variable).toBe('TODOKU_HELO_NAME');
      expect(err.message).toContain(`"${bad}"`);
    }
    expect(configError({ TODOKU_HELO_NAME: 'メール.例え.jp' }).message).toContain('xn--');
  });

  it('a fully qualified name is used as given, without a warning', () => {
    const config = loadConfig({ TODOKU_HELO_NAME: 'mail.example.jp' });
    expect(config.heloName).toBe('mail.example.jp');
    expect(config.warnings).toEqual([]);
  });

  it('a name that is not fully qualified (it becomes "MX 10 vm") is warned about, naming the variable', () => {
    const config = loadConfig({ TODOKU_HELO_NAME: 'vm' });
    expect(config.heloName).toBe('vm');
    expect(config.warnings).toHaveLength(1);
    expect(config.warnings[0]).toMatch(/TODOKU_HELO_NAME.*"vm".*not a fully qualified domain name/);
  });

  it('the default is the host name, warned about when it is not fully qualified', () => {
    const config = loadConfig({});
    expect(config.heloName).toBe(os.hostname());
    const bare = !os.hostname().includes('.');
    expect(config.warnings.some((w) => /TODOKU_HELO_NAME is not set/.test(w) && w.includes(`"${os.hostname()}"`))).toBe(bare);
  });
});

describe('the doctor’s settings are checked as the server’s (issue 13 #17)', () => {
  it('a malformed TODOKU_SENDING_IPS entry or TODOKU_HELO_NAME is a ConfigError naming it', () => {
    expect(() => loadDoctorSettings({ TODOKU_SENDING_IPS: '203.0.113.5:25' })).toThrow(/^TODOKU_SENDING_IPS: "203\.0\.113\.5:25"/);
    expect(() => loadDoctorSettings({ TODOKU_HELO_NAME: 'mail server' })).toThrow(/^TODOKU_HELO_NAME: "mail server"/);
    expect(loadDoctorSettings({ TODOKU_SENDING_IPS: '203.0.113.5,include:_spf.relay.example.jp', TODOKU_HELO_NAME: 'mail.example.jp' })).toMatchObject({
      sendingIps: ['203.0.113.5', 'include:_spf.relay.example.jp'],
      heloName: 'mail.example.jp',
    });
  });
});
