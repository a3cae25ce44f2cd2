import path from 'node:path';
import { loadConfig, redactUrl } from '../config/index.js';
import { startServer } from '../server.js';

export async function serveCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  // Settings come from the environment only: a flag would otherwise be ignored in silence
  // (`todoku serve --port 9000` listening on 8990).
  if (args.length > 0) {
    process.stderr.write(
      `todoku serve: unexpected argument "${args[0]}": serve takes no flags; its settings are TODOKU_* environment variables (e.g. TODOKU_PORT=9000 todoku serve; README "Configuration")\n`,
    );
    return 2;
  }
  const config = loadConfig(env);
  const server = await startServer(config);
  const { secrets, demo } = server;
  const lines = [
    '',
    `todoku is listening on ${server.url}  (public URL ${server.publicUrl})`,
    `  database      ${config.databaseUrl ? redactUrl(config.databaseUrl) : config.sqliteFile + ' (SQLite)'}`,
    `  mail mode     ${config.mailMode}${config.mailMode === 'capture' ? ' (nothing leaves this machine)' : ''}`,
  ];
  if (demo) {
    lines.push(
      `  demo pool     ${demo.poolId}`,
      `  demo client   ${demo.clientId}`,
      `  issuer        ${server.publicUrl}/${demo.poolId}`,
      `  JWKS          ${server.publicUrl}/${demo.poolId}/.well-known/jwks.json`,
    );
  }
  lines.push(`  admin key id  ${secrets.adminAccessKeyId}`);
  if (secrets.adminCreatedNow) {
    lines.push(
      `  admin secret  ${secrets.adminSecretAccessKey}`,
      `                (shown once; kept in ${path.join(config.dataDir, 'secrets.json')})`,
    );
  }
  // -G --data-urlencode, not ?to=<address>: an address such as hanako+test@example.jp pasted
  // into a URL has its + read as a space by form decoders (the server reads it as a plus now,
  // but a proxy or another tool on the way may not).
  lines.push(
    `  captured mail curl -u ${secrets.adminAccessKeyId}:<secret> -G '${server.publicUrl}/_todoku/mail' --data-urlencode 'to=<address>'`,
  );
  // Settings that start but print broken records (a HELO name that is no FQDN): said last, where they are seen.
  for (const warning of config.warnings) lines.push(`  warning       ${warning}`);
  lines.push('');
  process.stdout.write(lines.join('\n') + '\n');

  const stop = async (signal: string) => {
    process.stdout.write(`\n${signal}: stopping…\n`);
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  return new Promise<number>(() => undefined);
}
