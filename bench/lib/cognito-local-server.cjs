// Starts cognito-local (installed by bench/lib/cognito-local.ts into .tmp/baselines, never a
// dependency of todoku) with its logs silent, as todoku's bench server runs: its own start
// script logs every request through pino-pretty, which would measure the terminal.
// argv: <install prefix>. Env: HOST, PORT (0 = any free port), cwd = its data dir (.cognito/).
// Prints {"port": N} on stdout once listening.
'use strict';
const path = require('node:path');
const prefix = process.argv[2];
const modules = path.join(prefix, 'node_modules');
const pino = require(path.join(modules, 'pino'));
const { createDefaultServer } = require(path.join(modules, 'cognito-local', 'lib', 'server'));

createDefaultServer(pino({ level: 'silent' }))
  .then((server) => server.start())
  .then((server) => {
    process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
  })
  .catch((err) => {
    process.stderr.write(`cognito-local failed to start: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  });
