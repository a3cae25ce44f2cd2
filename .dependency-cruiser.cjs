// The one-way architecture of DESIGN.md ("Architecture": http → flows → ports ← storage / mail / dns;
// core has no I/O; configuration is read once and passed; the doctor is pure over DNS answers),
// written as dependency-cruiser rules. tests/architecture/dependencies.test.ts runs them over src/
// inside `npm test`, and over tests/architecture/fixtures/ to show each rule can fail.
//
// Paths are relative to the cruise's baseDir, which holds `src/`: the repository root for the real
// tree, tests/architecture/fixtures for the fixture tree — so both are judged by these same rules.
//
// Type-only imports count (tsPreCompilationDeps): `import type` still ties one folder to another.
// Where a rule allows "config (types)" only, the rule below it forbids config imports that are not
// type-only: the folder may name Config's shape but must be handed the values.

/** Port and model modules: the shapes flows and storage agree on. */
const PORT_MODULES = '^src/(ports[.]ts$|[^/]+/ports[.]ts$|mail/queue/ports[.]ts$|[^/]+/model[.]ts$)';
/** Composition roots: the only places that build the whole object graph (cli/ is the other one). */
const SERVER_ROOTS = '^src/(server[.]ts$|bootstrap[^/]*|wiring[^/]*)';
const COMPOSITION_ROOTS = '^src/(cli/|server[.]ts$|bootstrap[^/]*|wiring[^/]*)';
/** Node built-ins that reach outside the process (files, network, DNS, processes). */
const IO_BUILTINS = '^(node:)?(fs|fs/promises|net|dns|dns/promises|http|https|http2|tls|dgram|child_process|cluster)$';
/** Drivers and network clients installed from npm. */
const IO_PACKAGES = '(^|/)node_modules/(better-sqlite3|pg|pg-[^/]+|kysely|nodemailer|smtp-server|fastify|mailauth|dns2)/';

/**
 * A folder may import itself, the folders in `allowed`, npm packages and Node built-ins: any other
 * module under src/ is a forbidden arrow.
 */
function only(folder, allowed, comment) {
  const keep = [folder, ...allowed].map((f) => (f.endsWith('.ts') ? `${f.replace('.', '[.]')}$` : `${f}/`));
  return {
    name: `${folder.replace(/\//g, '-')}-imports-only-${allowed.length ? allowed.join('-').replace(/[/.]/g, '-') : 'itself'}`,
    severity: 'error',
    comment,
    from: { path: `^src/${folder}/` },
    to: { path: '^src/', pathNot: `^src/(${keep.join('|')})` },
  };
}

/** `from` may import config for its types only. */
function configTypesOnly(folder) {
  return {
    name: `${folder}-imports-config-types-only`,
    severity: 'error',
    comment:
      `DESIGN.md: "config/ — the only place that reads the environment; one validated Config object" that is read once and passed. ` +
      `${folder}/ may name Config's type, but is handed the values; importing config's code would read or build configuration a second time.`,
    from: { path: `^src/${folder}/` },
    to: { path: '^src/config/', dependencyTypesNot: ['type-only'] },
  };
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'DESIGN.md: "Data flows one way". A cycle between files has no direction; the folder-level cycle check lives in tests/architecture/dependencies.test.ts.',
      from: {},
      to: { circular: true },
    },

    // core/: clock, random, ids, constant-time compare — no I/O.
    only('core', [], 'DESIGN.md: "core/ clock, random, ids, constant-time compare — no I/O". The core decides; it depends on nothing of ours.'),
    {
      name: 'core-does-no-io',
      severity: 'error',
      comment:
        'DESIGN.md: "The core decides; the edges do I/O" and core/ has "no I/O": no files, sockets, DNS, child processes or database drivers.',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core'], path: IO_BUILTINS },
    },
    {
      name: 'core-uses-no-io-packages',
      severity: 'error',
      comment: 'DESIGN.md: core/ has "no I/O" — no database drivers, SMTP, HTTP or DNS clients.',
      from: { path: '^src/core/' },
      to: { path: IO_PACKAGES },
    },

    only('config', ['core'], 'DESIGN.md: "config/ the only place that reads the environment; one validated Config object". Config is read first, so it can only build on core: defaults it needs live in config, not in the flows.'),
    only('dns', ['core'], 'DESIGN.md: "ports ← storage / mail / dns": dns is an edge that answers lookups; it knows no flow.'),
    only('doctor', ['core', 'dns'], 'DESIGN.md: the doctor checks "SPF/DKIM/DMARC/PRA/MX/PTR → findings" and is pure over DNS answers: no storage, no domains port, no private keys.'),

    only('tokens', ['core', 'config', 'ports.ts'], 'DESIGN.md: "tokens/ keyring, JWT issue/verify, JWKS" is a flow working through its ports (tokens/ports.ts, src/ports.ts); it does not call back into userpool — token lifetimes are passed in the token request.'),
    configTypesOnly('tokens'),

    only('mail', ['core', 'config', 'dns', 'ports.ts'], 'DESIGN.md: "ports ← storage / mail / dns": mail (compose, sign, queue, deliver) implements ports; it imports no flow (userpool, domains, tokens) and no storage.'),
    configTypesOnly('mail'),

    only('userpool', ['core', 'config', 'tokens', 'ports.ts'], 'DESIGN.md: "A Cognito action never touches SQL or sockets directly: it calls the ports it needs". userpool owns the ports it needs (a code-mail port, a pool-sender port); mail and domains implement them, so userpool imports neither, nor storage.'),
    configTypesOnly('userpool'),

    only('domains', ['core', 'config', 'dns', 'doctor', 'mail', 'userpool', 'ports.ts'], 'DESIGN.md: "domains/ sending identities: keys, records to publish, verification states" implements userpool\'s pool-sender port and uses the doctor and mail; it reaches storage only through ports.'),
    configTypesOnly('domains'),

    {
      name: 'storage-imports-only-ports-and-models',
      severity: 'error',
      comment:
        'DESIGN.md: "http → flows → ports ← storage": storage implements the ports the core owns and imports nothing of ours but port and model modules (and core).',
      from: { path: '^src/storage/' },
      to: { path: '^src/', pathNot: [PORT_MODULES, '^src/(storage|core)/'] },
    },
    {
      name: 'storage-uses-only-its-drivers',
      severity: 'error',
      comment:
        'DESIGN.md: "storage/ one schema + migrations; SQLite and PostgreSQL through one query layer": its npm dependencies are its drivers (kysely, better-sqlite3, pg).',
      from: { path: '^src/storage/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], pathNot: '(^|/)node_modules/(kysely|better-sqlite3|pg|@types/better-sqlite3|@types/pg)/' },
    },

    {
      name: 'http-imports-no-storage',
      severity: 'error',
      comment:
        'DESIGN.md: "http → flows → ports ← storage": the HTTP edge calls flows, which reach storage through ports; it never holds the database. (Its imports of cli/ and server.ts are the two rules below.)',
      from: { path: '^src/http/' },
      to: { path: '^src/storage/' },
    },

    {
      name: 'ports-hub-imports-only-ports-and-models',
      severity: 'error',
      comment:
        'DESIGN.md: "ports ← storage": src/ports.ts assembles the feature ports; importing anything else would let storage (which may import it) reach a flow.',
      from: { path: '^src/ports[.]ts$' },
      to: { path: '^src/', pathNot: '^src/([^/]+/ports[.]ts|mail/queue/ports[.]ts|[^/]+/model[.]ts)$' },
    },

    {
      name: 'nothing-imports-cli',
      severity: 'error',
      comment: 'DESIGN.md: cli/ ("todoku commands") is a composition root: it sits above every arrow, so an import of it is an arrow pointing up.',
      from: { pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'only-composition-roots-import-server',
      severity: 'error',
      comment:
        'DESIGN.md: server.ts (and bootstrap/wiring beside it) wires http, flows and storage together; only cli/ and the other roots start it — from below, importing it is an arrow pointing up.',
      from: { pathNot: COMPOSITION_ROOTS },
      to: { path: SERVER_ROOTS },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // `import type` counts: a type-only import still ties one folder to another.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Imports are written as `./x.js` (NodeNext); resolve them to the .ts sources.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
      extensionAlias: { '.js': ['.ts', '.js'] },
    },
  },
};
