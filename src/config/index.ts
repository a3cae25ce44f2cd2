// The only module that reads the environment. Everything else receives a Config.
import { redactUrl } from '../core/redact.js';
import path from 'node:path';
import os from 'node:os';
import { domainNameProblem, isFullyQualified, sendingIpProblem, trustedProxyProblem } from './network.js';
import { DEFAULT_CODE_LIMITS, DEFAULT_LOCKOUT_POLICY, type CodeLimits, type LockoutPolicy } from './limits.js';

export type MailMode = 'capture' | 'relay' | 'direct';

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  /** undefined → SQLite, in `sqliteFile`. */
  databaseUrl: string | undefined;
  /** The SQLite database: `todoku.db` in dataDir (derived here only, so every opener agrees). */
  sqliteFile: string;
  region: string;
  adminAccessKeyId: string | undefined;
  adminSecretAccessKey: string | undefined;
  mailMode: MailMode;
  smtpRelay: string | undefined;
  smtpPort: number;
  smtpLocalAddress: string | undefined;
  heloName: string;
  /** Addresses/CIDRs of the reverse proxies whose X-Forwarded-For names the client (empty: none). */
  trustedProxies: string[];
  /** Problems that do not stop start-up but leave broken records (the serve banner shows them). */
  warnings: string[];
  dnsServers: string[] | undefined;
  sendingIps: string[];
  /** Secret used to encrypt private keys at rest; undefined → generated file in dataDir. */
  secret: string | undefined;
  /** Largest accepted request body. */
  bodyLimitBytes: number;
  /** Per-client-IP request limits per Cognito quota category, requests per second. */
  rateLimits: RateLimits;
  /** Wrong-guess and send limits of one-time codes, and the sign-in lockout. */
  attemptLimits: AttemptLimits;
  /**
   * How long a message's subject and bodies are kept once it is sent, captured or failed
   * (TODOKU_MAIL_RETENTION_HOURS); then they are purged, the row and its attempts stay.
   */
  mailRetentionMs: number;
  /** Create the demo pool and client on first start. */
  demo: boolean;
  logLevel: string;
}

export interface RateLimits {
  userAuthenticationPerSecond: number;
  userCreationPerSecond: number;
  accountRecoveryPerSecond: number;
  userAccountPerSecond: number;
  userResourcePerSecond: number;
  userPoolReadPerSecond: number;
  userPoolResourcePerSecond: number;
}

export interface AttemptLimits {
  code: CodeLimits;
  signIn: LockoutPolicy;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function listVar(env: Env, name: string): string[] | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function urlVar(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a URL: "${redactUrl(raw)}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => p + '//').join(' or ')}`);
  }
  return raw;
}

/**
 * Hide a password in a URL before it is shown anywhere. The password runs to the LAST `@`:
 * URL parsers accept an unencoded `@` in it, and hiding too much is harmless.
 */

/** TODOKU_DNS_SERVERS: `ip[:port]` or `[ipv6]:port`, comma-separated; undefined → the system's servers. */
function dnsServersVar(env: Env): string[] | undefined {
  const servers = listVar(env, 'TODOKU_DNS_SERVERS');
  for (const server of servers ?? []) {
    if (!/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\])(:\d{1,5})?$/.test(server)) {
      throw new ConfigError('TODOKU_DNS_SERVERS', `"${server}" is not ip[:port]`);
    }
  }
  return servers;
}

/** TODOKU_SENDING_IPS, each entry checked (config/network.ts): a bad one would print a broken SPF term. */
function sendingIpsVar(env: Env): string[] {
  const entries = listVar(env, 'TODOKU_SENDING_IPS') ?? [];
  for (const entry of entries) {
    const problem = sendingIpProblem(entry);
    if (problem) throw new ConfigError('TODOKU_SENDING_IPS', problem);
  }
  return entries;
}

/** TODOKU_HELO_NAME when set: a domain name, or a ConfigError. */
function heloNameVar(env: Env): string | undefined {
  const name = env.TODOKU_HELO_NAME || undefined;
  const problem = name === undefined ? undefined : domainNameProblem(name);
  if (problem) throw new ConfigError('TODOKU_HELO_NAME', problem);
  return name;
}

const REGION_RE = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** Freezes an object and everything it holds: configuration is read once and never changed. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/**
 * Reads the environment once. The result is deeply frozen: a value the process works out
 * later (the port TODOKU_PORT=0 picked) belongs to the running server, not to the config.
 */
export function loadConfig(env: Env = process.env): Config {
  const port = intVar(env, 'TODOKU_PORT', 8990, 0, 65535);
  const host = env.TODOKU_HOST || '127.0.0.1';
  const publicUrl = (urlVar(env, 'TODOKU_PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const dataDir = path.resolve(env.TODOKU_DATA_DIR || './data');
  const databaseUrl = urlVar(env, 'TODOKU_DATABASE_URL', ['postgres:', 'postgresql:']);
  const region = env.TODOKU_REGION || 'ap-northeast-1';
  if (!REGION_RE.test(region)) throw new ConfigError('TODOKU_REGION', `must look like an AWS region (ap-northeast-1), got "${region}"`);

  const adminAccessKeyId = env.TODOKU_ADMIN_ACCESS_KEY_ID || undefined;
  const adminSecretAccessKey = env.TODOKU_ADMIN_SECRET_ACCESS_KEY || undefined;
  if ((adminAccessKeyId === undefined) !== (adminSecretAccessKey === undefined)) {
    throw new ConfigError(
      adminAccessKeyId === undefined ? 'TODOKU_ADMIN_ACCESS_KEY_ID' : 'TODOKU_ADMIN_SECRET_ACCESS_KEY',
      'set both TODOKU_ADMIN_ACCESS_KEY_ID and TODOKU_ADMIN_SECRET_ACCESS_KEY, or neither',
    );
  }
  if (adminAccessKeyId !== undefined && !/^[A-Z0-9]{16,128}$/.test(adminAccessKeyId)) {
    throw new ConfigError('TODOKU_ADMIN_ACCESS_KEY_ID', 'must be 16-128 upper-case letters and digits, like an AWS access key id');
  }
  if (adminSecretAccessKey !== undefined && adminSecretAccessKey.length < 16) {
    throw new ConfigError('TODOKU_ADMIN_SECRET_ACCESS_KEY', 'must be at least 16 characters');
  }

  const modeRaw = env.TODOKU_MAIL_MODE || 'capture';
  if (modeRaw !== 'capture' && modeRaw !== 'relay' && modeRaw !== 'direct') {
    throw new ConfigError('TODOKU_MAIL_MODE', `must be capture, relay or direct, got "${modeRaw}"`);
  }
  const smtpRelay = urlVar(env, 'TODOKU_SMTP_RELAY', ['smtp:', 'smtps:']);
  if (modeRaw === 'relay' && smtpRelay === undefined) {
    throw new ConfigError('TODOKU_SMTP_RELAY', 'is required when TODOKU_MAIL_MODE=relay (smtp://user:pass@host:587)');
  }

  const dnsServers = dnsServersVar(env);

  const trustedProxies = listVar(env, 'TODOKU_TRUSTED_PROXIES') ?? [];
  for (const entry of trustedProxies) {
    const problem = trustedProxyProblem(entry);
    if (problem) throw new ConfigError('TODOKU_TRUSTED_PROXIES', problem);
  }
  const sendingIps = sendingIpsVar(env);
  // The HELO name is the MX target of every MAIL FROM domain (domains/records.ts) and what
  // receivers check against the PTR: a bare host name like `vm` resolves nowhere else.
  const warnings: string[] = [];
  const explicitHelo = heloNameVar(env);
  const heloName = explicitHelo ?? os.hostname();
  if (!isFullyQualified(heloName)) {
    warnings.push(
      explicitHelo === undefined
        ? `TODOKU_HELO_NAME is not set and the host name "${heloName}" is not a fully qualified domain name: EHLO and the MAIL FROM MX record will name "${heloName}". Set TODOKU_HELO_NAME=mail.example.jp (the name the sending IP's PTR points to).`
        : `TODOKU_HELO_NAME "${heloName}" is not a fully qualified domain name: EHLO and the MAIL FROM MX record will name it. Use the name the sending IP's PTR points to (mail.example.jp).`,
    );
  }

  const rate = (name: string, fallback: number) => intVar(env, `TODOKU_RATE_${name}`, fallback, 0, 1_000_000);

  return deepFreeze({
    port,
    host,
    publicUrl,
    dataDir,
    databaseUrl,
    sqliteFile: path.join(dataDir, 'todoku.db'),
    region,
    adminAccessKeyId,
    adminSecretAccessKey,
    mailMode: modeRaw,
    smtpRelay,
    smtpPort: intVar(env, 'TODOKU_SMTP_PORT', 25, 1, 65535),
    smtpLocalAddress: env.TODOKU_SMTP_LOCAL_ADDRESS || undefined,
    heloName,
    trustedProxies,
    warnings,
    dnsServers,
    sendingIps,
    secret: env.TODOKU_SECRET || undefined,
    bodyLimitBytes: intVar(env, 'TODOKU_BODY_LIMIT_BYTES', 256 * 1024, 1024, 64 * 1024 * 1024),
    // Defaults follow Cognito's default quotas per category (requests per second), applied per
    // client IP; 0 turns a category's limit off.
    rateLimits: {
      userAuthenticationPerSecond: rate('USER_AUTHENTICATION', 120),
      userCreationPerSecond: rate('USER_CREATION', 50),
      accountRecoveryPerSecond: rate('ACCOUNT_RECOVERY', 30),
      userAccountPerSecond: rate('USER_ACCOUNT', 120),
      userResourcePerSecond: rate('USER_RESOURCE', 120),
      userPoolReadPerSecond: rate('USER_POOL_READ', 120),
      userPoolResourcePerSecond: rate('USER_POOL_RESOURCE', 50),
    },
    // Defaults are Cognito's (config/limits.ts).
    attemptLimits: {
      code: {
        maxAttempts: intVar(env, 'TODOKU_CODE_MAX_ATTEMPTS', DEFAULT_CODE_LIMITS.maxAttempts, 1, 1000),
        maxGuessesPerUser: intVar(env, 'TODOKU_CODE_MAX_GUESSES_PER_USER', DEFAULT_CODE_LIMITS.maxGuessesPerUser, 1, 1_000_000),
        maxSendsPerHour: intVar(env, 'TODOKU_CODE_MAX_SENDS_PER_HOUR', DEFAULT_CODE_LIMITS.maxSendsPerHour, 1, 1_000_000),
      },
      signIn: {
        failuresBeforeLockout: intVar(env, 'TODOKU_SIGNIN_FAILURES_BEFORE_LOCKOUT', DEFAULT_LOCKOUT_POLICY.failuresBeforeLockout, 1, 1000),
        maxLockoutMs:
          intVar(env, 'TODOKU_SIGNIN_MAX_LOCKOUT_SECONDS', DEFAULT_LOCKOUT_POLICY.maxLockoutMs / 1000, 1, 7 * 86_400) * 1000,
      },
    },
    // A week: long enough to read a captured mail or look into a complaint about one in the
    // next working days, and by its end no code or temporary password a mail carries is live
    // any more under the defaults (codes 24 h, TemporaryPasswordValidityDays 7).
    mailRetentionMs: intVar(env, 'TODOKU_MAIL_RETENTION_HOURS', 168, 1, 24 * 366) * 3_600_000,
    demo: (env.TODOKU_DEMO ?? 'true') !== 'false',
    logLevel: env.TODOKU_LOG_LEVEL || 'info',
  });
}

/** The settings `todoku doctor` takes its defaults from. */
export interface DoctorSettings {
  /** TODOKU_SENDING_IPS entries as written (addresses, ranges, include: terms). */
  sendingIps: string[];
  /** TODOKU_DNS_SERVERS; undefined → the system's servers. */
  dnsServers: string[] | undefined;
  /** TODOKU_HELO_NAME; unset → no HELO check (not os.hostname(): the doctor rarely runs on the sender). */
  heloName: string | undefined;
  /** NO_COLOR (no-color.org): set and non-empty → no colour, even on a terminal. */
  noColor: boolean;
}

/**
 * Only the doctor's settings, read on their own: the doctor also runs where the server's
 * configuration is incomplete (a laptop, CI without TODOKU_SMTP_RELAY…) and must not refuse to
 * run because of a setting it does not use. loadConfig validates TODOKU_DNS_SERVERS,
 * TODOKU_SENDING_IPS and TODOKU_HELO_NAME the same way.
 */
export function loadDoctorSettings(env: Env = process.env): DoctorSettings {
  return deepFreeze({
    sendingIps: sendingIpsVar(env),
    dnsServers: dnsServersVar(env),
    heloName: heloNameVar(env),
    noColor: (env.NO_COLOR ?? '') !== '',
  });
}

export { redactUrl };

/** The process environment, for the command line's entry point: the one place it is read. */
export function processEnvironment(): NodeJS.ProcessEnv {
  return process.env;
}
