// A separate todoku process for tests of first-start races (run with `node --import tsx`).
// Argument: JSON {mode, dataDir, databaseUrl?, pgSchema?, barrier}. Opens the barrier (a FIFO
// the parent holds open), prints "ready" and blocks reading it: the parent's close wakes every
// process at once. Then loads the secrets ('secrets') or starts a server ('server'), prints
// what it got as one JSON line, and exits.
import fs from 'node:fs';
import { loadConfig } from '../../src/config/index.js';
import { loadSecrets } from '../../src/config/secrets.js';
import { startServer } from '../../src/server.js';

interface Args {
  mode: 'secrets' | 'server';
  dataDir: string;
  databaseUrl?: string;
  pgSchema?: string;
  barrier: string;
}

const args = JSON.parse(process.argv[2]!) as Args;
const config = loadConfig({
  TODOKU_PORT: '0',
  TODOKU_HOST: '127.0.0.1',
  TODOKU_DATA_DIR: args.dataDir,
  TODOKU_LOG_LEVEL: 'silent',
  ...(args.databaseUrl ? { TODOKU_DATABASE_URL: args.databaseUrl } : {}),
});
const barrier = fs.openSync(args.barrier, 'r');
process.stdout.write('ready\n');
fs.readSync(barrier, Buffer.alloc(1)); // returns (end of file) when the parent closes its end
fs.closeSync(barrier);
if (args.mode === 'secrets') {
  const s = loadSecrets(config);
  process.stdout.write(JSON.stringify({ adminAccessKeyId: s.adminAccessKeyId, keyEncryptionKey: s.keyEncryptionKey.toString('hex') }) + '\n');
} else {
  const server = await startServer(config, { logger: false, ...(args.pgSchema ? { pgSchema: args.pgSchema } : {}) });
  const jwks = (await server.deps.tokens.jwks()) as { keys: { kid: string }[] };
  process.stdout.write(
    JSON.stringify({ demo: server.demo, adminAccessKeyId: server.secrets.adminAccessKeyId, kids: jwks.keys.map((k) => k.kid) }) + '\n',
  );
  await server.close();
}
