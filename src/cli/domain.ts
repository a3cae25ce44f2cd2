// `todoku domain add|verify|list|remove|records`: sending identities from the shell. Opens
// the database the server uses (TODOKU_DATA_DIR / TODOKU_DATABASE_URL) and the same secrets.
import path from 'node:path';
import { loadConfig } from '../config/index.js';
import { systemClock } from '../core/clock.js';
import { cryptoRandom } from '../core/random.js';
import { createResolver } from '../dns/resolver.js';
import { openStore } from '../storage/open.js';
import { loadSecrets } from '../config/secrets.js';
import { DomainError, DomainService, domainSettings, type AddDomainInput, type DomainView } from '../domains/service.js';
import { formatRecords, RECORD_FORMATS, type RecordFormat, type RecordPlan } from '../domains/records.js';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

export const DOMAIN_USAGE = `usage:
  todoku domain add <domain> [--mail-from <sub.domain> | --no-mail-from] [--selector <s>]
                    [--dkim rsa2048|rsa2048+ed25519] [--behavior-on-mx-failure UseDefaultValue|RejectMessage]
                    [--format table|zone|route53|json]
  todoku domain verify <domain> [--format …]   check DNS now; exit 0 when verified
  todoku domain records <domain> [--format …]  print the records to publish
  todoku domain list
  todoku domain remove <domain>
`;

class UsageError extends Error {}

interface Parsed {
  positional: string[];
  flags: Map<string, string | true>;
}

const VALUE_FLAGS = new Set(['mail-from', 'selector', 'dkim', 'format', 'behavior-on-mx-failure']);
const BOOLEAN_FLAGS = new Set(['no-mail-from']);

function parseArgs(argv: string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (BOOLEAN_FLAGS.has(name)) flags.set(name, true);
    else if (VALUE_FLAGS.has(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    } else throw new UsageError(`unknown option --${name}`);
  }
  return { positional, flags };
}

function formatOf(p: Parsed): RecordFormat {
  const f = (p.flags.get('format') ?? 'table') as RecordFormat;
  if (!RECORD_FORMATS.includes(f)) throw new UsageError(`--format must be one of ${RECORD_FORMATS.join(', ')}`);
  return f;
}

function statusLines(v: DomainView): string {
  const line = (label: string, s: { status: string; reason: string | null }) => `  ${label.padEnd(10)} ${s.status}${s.reason ? ` — ${s.reason}` : ''}\n`;
  return (
    `${v.domain}: ${v.verified ? 'verified' : 'not verified yet'}\n` +
    line('DKIM', v.dkim) +
    (v.mailFromDomain ? line('MAIL FROM', { status: v.mailFrom.status, reason: v.mailFrom.reason ?? v.mailFromDomain }) : '') +
    line('SPF', v.spf) +
    (v.nextCheckAt ? `  next automatic check ${v.nextCheckAt}\n` : '')
  );
}

export async function domainCommand(argv: string[], env: NodeJS.ProcessEnv, io: CliIo = processIo): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parseArgs(argv);
  } catch (err) {
    io.err(`todoku domain: ${(err as Error).message}\n\n${DOMAIN_USAGE}`);
    return 2;
  }
  const [sub, domain] = parsed.positional;
  if (sub === undefined || sub === 'help' || sub === '--help') {
    io.out(DOMAIN_USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (!['add', 'verify', 'records', 'list', 'remove'].includes(sub)) {
    io.err(`todoku domain: unknown subcommand "${sub}"\n\n${DOMAIN_USAGE}`);
    return 2;
  }
  if (sub !== 'list' && domain === undefined) {
    io.err(`todoku domain ${sub}: which domain?\n\n${DOMAIN_USAGE}`);
    return 2;
  }

  const config = loadConfig(env);
  const secrets = loadSecrets(config);
  if (secrets.adminCreatedNow) {
    io.err(`todoku: created admin credentials in ${path.join(config.dataDir, 'secrets.json')} (key id ${secrets.adminAccessKeyId}); todoku serve uses them.\n`);
  }
  const store = await openStore({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile });
  try {
    const service = new DomainService({
      store,
      clock: systemClock,
      random: cryptoRandom,
      keyEncryptionKey: secrets.keyEncryptionKey,
      resolve: createResolver({ servers: config.dnsServers }),
      ...domainSettings(config),
    });
    const format = formatOf(parsed);
    const printRecords = (v: DomainView) => {
      const plan: RecordPlan = { records: v.records ?? [], warnings: v.warnings ?? [] };
      io.out(format === 'json' ? JSON.stringify(v, null, 2) + '\n' : formatRecords(plan, format));
    };
    switch (sub) {
      case 'add': {
        const input: AddDomainInput = {
          domain,
          ...(parsed.flags.has('no-mail-from') ? { mailFromDomain: null } : parsed.flags.has('mail-from') ? { mailFromDomain: parsed.flags.get('mail-from') } : {}),
          ...(parsed.flags.has('dkim') ? { dkim: parsed.flags.get('dkim') } : {}),
          ...(parsed.flags.has('selector') ? { selector: parsed.flags.get('selector') } : {}),
          ...(parsed.flags.has('behavior-on-mx-failure') ? { behaviorOnMxFailure: parsed.flags.get('behavior-on-mx-failure') } : {}),
        };
        const v = await service.add(input);
        if (format !== 'json' && format !== 'route53') io.out(`Added ${v.domain}. Publish these records, then run: todoku domain verify ${v.domain}\n\n`);
        printRecords(v);
        return 0;
      }
      case 'verify': {
        const v = await service.verify(domain);
        if (format === 'json') printRecords(v);
        else {
          io.out(statusLines(v));
          if (!v.verified || v.spf.status !== 'SUCCESS' || (v.mailFromDomain && v.mailFrom.status !== 'SUCCESS')) {
            io.out('\nRecords to publish:\n');
            printRecords(v);
          }
        }
        return v.verified ? 0 : 1;
      }
      case 'records': {
        const { plan, existing } = await service.records(domain);
        io.out(formatRecords(plan, format, existing));
        return 0;
      }
      case 'list': {
        const all = await service.list();
        if (format === 'json') io.out(JSON.stringify(all, null, 2) + '\n');
        else if (all.length === 0) io.out('No sending identities. Add one: todoku domain add <domain>\n');
        else for (const v of all) io.out(statusLines(v));
        return 0;
      }
      default: {
        await service.remove(domain);
        io.out(`Removed ${domain}. Its DNS records can be deleted.\n`);
        return 0;
      }
    }
  } catch (err) {
    if (err instanceof DomainError) {
      io.err(`todoku domain ${sub}: ${err.message}\n`);
      return 2;
    }
    if (err instanceof UsageError) {
      io.err(`todoku domain: ${err.message}\n\n${DOMAIN_USAGE}`);
      return 2;
    }
    throw err;
  } finally {
    await store.close();
  }
}
