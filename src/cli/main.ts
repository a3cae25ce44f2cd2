#!/usr/bin/env node
// todoku's command line: `todoku serve`, `todoku domain …`, `todoku doctor …`.
import { ConfigError, processEnvironment } from '../config/index.js';
import { serveCommand } from './serve.js';
import { domainCommand } from './domain.js';
import { doctorCommand } from './doctor.js';

const USAGE = `usage: todoku <command>

  serve                  start the service (see README for TODOKU_* settings)
  domain add|verify|records|list|remove …
                         sending identities: DKIM keys, records to publish, DNS verification
  doctor <domain> …      which receivers (docomo, au, SoftBank, Gmail, …) will refuse mail, and the fix
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serveCommand(rest, processEnvironment());
    case 'domain':
      return domainCommand(rest, processEnvironment());
    case 'doctor':
      return doctorCommand(rest, processEnvironment());
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`todoku: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`todoku: configuration error: ${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`todoku: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
