// `todoku doctor <domain> [--from <address>] [--mail-from <domain>] [--ip <ip>]… [--helo <name>]
//   [--dkim-selector <s>]… [--dns <ip[:port]>]… [--via <include-domain>]… [--json]`
// Exit status: 0 every receiver accepts, 1 some will not, 2 the check could not be completed.
// For a todoku sending identity, given none of --ip/--via/--mail-from/--dkim-selector, the input
// is the identity's own (domains/doctor-input.ts), read from the database `todoku serve` uses.
import fs from 'node:fs';
import { isIP } from 'node:net';
import { systemClock, type Clock } from '../core/clock.js';
import { createResolver, type DnsResolve } from '../dns/resolver.js';
import { exitCodeFor, runDoctor, type DoctorInput } from '../doctor/index.js';
import { renderReport, useColor } from '../doctor/render.js';
import { asciiHostName } from '../dns/names.js';
import { doctorInputForIdentity, doctorSendingIps } from '../domains/doctor-input.js';
import { ConfigError, loadConfig, loadDoctorSettings, type DoctorSettings } from '../config/index.js';
import { loadSecrets } from '../config/secrets.js';
import { openStore } from '../storage/open.js';
import { domainSettings } from '../domains/service.js';

export const DOCTOR_USAGE = `usage: todoku doctor <domain> [--from <address>] [--mail-from <domain>] [--ip <ip>]...
                     [--helo <name>] [--dkim-selector <selector>]... [--dns <ip[:port]>]...
                     [--via <spf-include-domain>]... [--json]

  --via amazonses.com   check with addresses that SPF include authorises (e.g. still on Cognito + SES)
  a todoku sending identity needs no flags: its MAIL FROM, DKIM keys and TODOKU_SENDING_IPS are used
  (any of --ip, --via, --mail-from, --dkim-selector: the flags alone)
  names may be typed in Unicode or punycode (例え.jp, xn--r8jz45g.jp); --from must be at <domain>
  exit status: 0 every receiver accepts, 1 some receiver will not, 2 the check could not be completed
`;

export interface DoctorCommandIo {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown };
  clock?: Clock;
  /** Tests pass a resolver; otherwise one is built from --dns, TODOKU_DNS_SERVERS or the system. */
  resolve?: DnsResolve;
}

const SERVER_RE = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\])(:\d{1,5})?$/;

const FLAGS = {
  from: 'string',
  'mail-from': 'string',
  ip: 'list',
  helo: 'string',
  'dkim-selector': 'list',
  dns: 'list',
  via: 'list',
  json: 'switch',
  help: 'switch',
} as const;
type Flag = keyof typeof FLAGS;
interface Flags {
  from?: string;
  'mail-from'?: string;
  ip?: string[];
  helo?: string;
  'dkim-selector'?: string[];
  dns?: string[];
  via?: string[];
  json?: boolean;
  help?: boolean;
}

/**
 * The command line, read by hand so that every mistake is told in our words and names the flag
 * (node:util parseArgs answers "Option '--ip <value>' argument missing" and the like; issue 13
 * #18). A value is the next argument unless that looks like a flag; `--flag=value` works too.
 */
export function parseDoctorArgs(argv: string[]): { flags: Flags; positionals: string[] } | { error: string } {
  const flags: Record<string, unknown> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h') {
      flags.help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq >= 0 ? eq : undefined) : '';
    if (!Object.hasOwn(FLAGS, name)) return { error: `unknown flag ${eq >= 0 && arg.startsWith('--') ? arg.slice(0, eq) : arg}` };
    const kind = FLAGS[name as Flag];
    if (kind === 'switch') {
      if (eq >= 0) return { error: `--${name} takes no value` };
      flags[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-')) value = argv[++i];
    if (value === undefined || value === '') return { error: `--${name} needs a value` };
    if (kind === 'list') flags[name] = [...((flags[name] as string[] | undefined) ?? []), value];
    else if (flags[name] !== undefined) return { error: `--${name} is given twice` };
    else flags[name] = value;
  }
  return { flags: flags as Flags, positionals };
}

export async function doctorCommand(
  argv: string[],
  env: Record<string, string | undefined>,
  io: DoctorCommandIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`todoku doctor: ${message}\n${DOCTOR_USAGE}`);
    return 2;
  };
  /** A mistake on the command line: one line, in our words. */
  const refuse = (message: string) => {
    io.stderr.write(`todoku doctor: ${message} (see todoku doctor --help)\n`);
    return 2;
  };
  const parsed = parseDoctorArgs(argv);
  if ('error' in parsed) return refuse(parsed.error);
  const { flags: values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(DOCTOR_USAGE);
    return 0;
  }
  if (positionals.length !== 1) return fail('name exactly one domain');
  // Every name is taken in Unicode or punycode and goes on as its A-label (dns/names.ts): the
  // form the DNS answers for and `todoku domain add` stores (issue 13 #16).
  const domain = asciiHostName(positionals[0]!);
  if (domain === undefined) return fail(`"${positionals[0]}" is not a domain name`);
  let from: string | undefined;
  if (values.from !== undefined) {
    // The domain part only: a legacy or quoted local part ("taro..yamada"@, taro.@) stays as typed.
    const at = values.from.lastIndexOf('@');
    const fromDomain = at > 0 ? asciiHostName(values.from.slice(at + 1)) : undefined;
    if (fromDomain === undefined) return fail(`--from "${values.from}" is not an address`);
    // The positional names the header-From domain checked; a --from elsewhere contradicts it.
    // Refused rather than followed in silence (issue 13 #18): the report would be about a
    // domain nobody named.
    if (fromDomain !== domain) {
      io.stderr.write(
        `todoku doctor: --from "${values.from}" is not at ${positionals[0]}: the domain named is the header-From domain checked.\n` +
          `To check ${fromDomain}: todoku doctor ${fromDomain} --from ${values.from}\n`,
      );
      return 2;
    }
    from = `${values.from.slice(0, at)}@${fromDomain}`;
  }
  const mailFrom = values['mail-from'] === undefined ? undefined : asciiHostName(values['mail-from']);
  if (values['mail-from'] !== undefined && mailFrom === undefined) return fail(`--mail-from "${values['mail-from']}" is not a domain`);
  const helo = values.helo === undefined ? undefined : asciiHostName(values.helo);
  if (values.helo !== undefined && helo === undefined) return fail(`--helo "${values.helo}" is not a host name`);
  for (const ip of values.ip ?? []) if (!isIP(ip)) return fail(`--ip "${ip}" is not an IP address`);
  const via: string[] = [];
  for (const v of values.via ?? []) {
    const ascii = asciiHostName(v);
    if (ascii === undefined) return fail(`--via "${v}" is not a domain`);
    via.push(ascii);
  }
  for (const s of values.dns ?? []) if (!SERVER_RE.test(s)) return fail(`--dns "${s}" is not ip[:port]`);

  // Defaults come from the configuration (src/config), the only reader of the environment.
  let settings: DoctorSettings;
  try {
    settings = loadDoctorSettings(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr.write(`todoku doctor: configuration error: ${err.message}\n`);
    return 2;
  }

  const fromFlags = values.ip !== undefined || values.via !== undefined || values['mail-from'] !== undefined || values['dkim-selector'] !== undefined;
  const identity = fromFlags ? undefined : await identityInput(domain, env, io);

  // TODOKU_SENDING_IPS applies when no --ip/--via is given (IPs or include: terms).
  const envIps = doctorSendingIps(settings.sendingIps);
  const sendingIps = values.ip ?? (values.via ? [] : (identity?.sendingIps ?? envIps));
  if (sendingIps.length === 0 && !values.via) return fail('name the sending IPs with --ip, or the sending service with --via (or set TODOKU_SENDING_IPS)');

  const servers = values.dns ?? settings.dnsServers;
  const resolve = io.resolve ?? createResolver({ servers });

  const fromAddress = from ?? identity?.fromAddress ?? `no-reply@${domain}`;
  const heloName = helo ?? identity?.heloName ?? settings.heloName;
  const input: DoctorInput = {
    domain: identity?.domain ?? domain,
    fromAddress,
    sendingIps,
    ...(mailFrom ? { mailFromDomain: mailFrom } : identity?.mailFromDomain ? { mailFromDomain: identity.mailFromDomain } : {}),
    ...(heloName ? { heloName } : {}),
    ...(values.via ? { via } : {}),
    ...(values['dkim-selector'] ? { dkim: values['dkim-selector'].map((selector) => ({ selector, domain })) } : identity?.dkim ? { dkim: identity.dkim } : {}),
  };

  const report = await runDoctor(input, { resolve, clock: io.clock ?? systemClock });
  if (values.json) io.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else io.stdout.write(renderReport(report, { color: useColor(settings.noColor, io.stdout.isTTY === true) }));
  return exitCodeFor(report);
}

/**
 * The identity's input when `domain` is a todoku sending identity in the database of
 * TODOKU_DATA_DIR / TODOKU_DATABASE_URL. A machine with no todoku database gets undefined
 * without one being created; a database that cannot be read is reported and skipped, so the
 * doctor still works from the flags.
 */
async function identityInput(domain: string, env: Record<string, string | undefined>, io: DoctorCommandIo): Promise<DoctorInput | undefined> {
  let store;
  try {
    const config = loadConfig(env);
    const sqliteFile = config.sqliteFile;
    if (!config.databaseUrl && !fs.existsSync(sqliteFile)) return undefined;
    const secrets = loadSecrets(config);
    store = await openStore({ databaseUrl: config.databaseUrl, sqliteFile });
    return await doctorInputForIdentity(store, domain, {
      keyEncryptionKey: secrets.keyEncryptionKey,
      sendingIps: domainSettings(config).sendingIps,
      heloName: config.heloName,
    });
  } catch (err) {
    io.stderr.write(`todoku doctor: could not read todoku's sending identities (${(err as Error).message}); using the flags alone\n`);
    return undefined;
  } finally {
    await store?.close();
  }
}
