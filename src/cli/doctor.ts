// `todoku doctor <domain> [--from <address>] [--mail-from <domain>] [--ip <ip>]… [--helo <name>]
//   [--dkim-selector <s>]… [--dns <ip[:port]>]… [--via <include-domain>]… [--json]`
// Exit status: 0 every receiver accepts, 1 some will not, 2 the check could not be completed.
// For a todoku sending identity, given none of --ip/--via/--mail-from/--dkim-selector, the input
// is the identity's own (domains/doctor-input.ts), read from the database `todoku serve` uses.
import fs from 'node:fs';
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { systemClock, type Clock } from '../core/clock.js';
import { createResolver, type DnsResolve } from '../dns/resolver.js';
import { exitCodeFor, runDoctor, type DoctorInput } from '../doctor/index.js';
import { renderReport, useColor } from '../doctor/render.js';
import { domainOfAddress } from '../doctor/alignment.js';
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
  exit status: 0 every receiver accepts, 1 some receiver will not, 2 the check could not be completed
`;

export interface DoctorCommandIo {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown };
  clock?: Clock;
  /** Tests pass a resolver; otherwise one is built from --dns, TODOKU_DNS_SERVERS or the system. */
  resolve?: DnsResolve;
}

const DOMAIN_RE = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}\.?$/i;
const SERVER_RE = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\])(:\d{1,5})?$/;

export async function doctorCommand(
  argv: string[],
  env: Record<string, string | undefined>,
  io: DoctorCommandIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`todoku doctor: ${message}\n${DOCTOR_USAGE}`);
    return 2;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        from: { type: 'string' },
        'mail-from': { type: 'string' },
        ip: { type: 'string', multiple: true },
        helo: { type: 'string' },
        'dkim-selector': { type: 'string', multiple: true },
        dns: { type: 'string', multiple: true },
        via: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return fail((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(DOCTOR_USAGE);
    return 0;
  }
  if (positionals.length !== 1) return fail('name exactly one domain');
  const domain = positionals[0]!;
  if (!DOMAIN_RE.test(domain)) return fail(`"${domain}" is not a domain name`);
  if (values.from !== undefined && (!values.from.includes('@') || !DOMAIN_RE.test(domainOfAddress(values.from)))) {
    return fail(`--from "${values.from}" is not an address`);
  }
  if (values['mail-from'] !== undefined && !DOMAIN_RE.test(values['mail-from'])) return fail(`--mail-from "${values['mail-from']}" is not a domain`);
  if (values.helo !== undefined && !DOMAIN_RE.test(values.helo)) return fail(`--helo "${values.helo}" is not a host name`);
  for (const ip of values.ip ?? []) if (!isIP(ip)) return fail(`--ip "${ip}" is not an IP address`);
  for (const v of values.via ?? []) if (!DOMAIN_RE.test(v)) return fail(`--via "${v}" is not a domain`);
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

  const from = values.from ?? identity?.fromAddress ?? `no-reply@${domain}`;
  const heloName = values.helo ?? identity?.heloName ?? settings.heloName;
  const input: DoctorInput = {
    domain: values.from ? domainOfAddress(from) : (identity?.domain ?? domain),
    fromAddress: from,
    sendingIps,
    ...(values['mail-from'] ? { mailFromDomain: values['mail-from'] } : identity?.mailFromDomain ? { mailFromDomain: identity.mailFromDomain } : {}),
    ...(heloName ? { heloName } : {}),
    ...(values.via ? { via: values.via } : {}),
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
