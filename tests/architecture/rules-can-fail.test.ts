// The architecture checks of dependencies.test.ts can fail: run with the same rules over fixture
// trees laid out like src/ (tests/architecture/fixtures/), they report each deliberate bad import,
// cycle and ambient read — and nothing for the imports DESIGN.md allows (the fixtures hold those
// too: config types in mail/domains, ports and kysely in storage, flows in http, anything in server.ts).
import { describe, expect, it } from 'vitest';
import { ambientReads, cruiseTree, FIXTURE_CYCLES, FIXTURE_LAYERS, folderCycles, ruleNames, unresolvedLines, violationLines } from './rules.js';

describe('the architecture checks fail on deliberate bad imports', () => {
  it('reports each forbidden arrow of .dependency-cruiser.cjs, and only those', async () => {
    const result = await cruiseTree(FIXTURE_LAYERS);
    expect(unresolvedLines(result)).toEqual([]);
    expect(violationLines(result)).toEqual([
      'config-imports-only-core: src/config/index.ts → src/userpool/defaults.ts',
      'core-does-no-io: src/core/clock.ts → fs',
      'core-imports-only-itself: src/core/leaf.ts → src/config/index.ts',
      'core-uses-no-io-packages: src/core/db.ts → better-sqlite3',
      'dns-imports-only-core: src/dns/resolver.ts → src/userpool/defaults.ts',
      // The domains port, not domains' code: a port is still another folder's.
      'doctor-imports-only-core-dns: src/doctor/identity.ts → src/domains/ports.ts',
      'domains-imports-config-types-only: src/domains/keys.ts → src/config/index.ts',
      'domains-imports-only-core-config-dns-doctor-mail-userpool-ports-ts: src/domains/keys.ts → src/storage/outbox.ts',
      'http-imports-no-storage: src/http/app.ts → src/storage/outbox.ts',
      // compose.ts also imports config's type: allowed; its value import is not.
      'mail-imports-config-types-only: src/mail/compose.ts → src/config/index.ts',
      'mail-imports-only-core-config-dns-ports-ts: src/mail/outgoing.ts → src/userpool/model.ts',
      'nothing-imports-cli: src/http/app.ts → src/cli/main.ts',
      'nothing-imports-cli: src/server.ts → src/cli/main.ts',
      'only-composition-roots-import-server: src/http/app.ts → src/server.ts',
      'ports-hub-imports-only-ports-and-models: src/ports.ts → src/userpool/defaults.ts',
      'storage-imports-only-ports-and-models: src/storage/outbox.ts → src/domains/service.ts',
      'storage-uses-only-its-drivers: src/storage/yaml.ts → js-yaml',
      // `import type` counts (tsPreCompilationDeps).
      'tokens-imports-config-types-only: src/tokens/lifetime.ts → src/config/index.ts',
      'tokens-imports-only-core-config-ports-ts: src/tokens/issuer.ts → src/userpool/model.ts',
      'userpool-imports-config-types-only: src/userpool/limits.ts → src/config/index.ts',
      'userpool-imports-only-core-config-tokens-ports-ts: src/userpool/sign-up.ts → src/mail/compose.ts',
    ]);
  });

  it('reports every rule of .dependency-cruiser.cjs at least once across the fixtures', async () => {
    const reported = new Set(
      [...violationLines(await cruiseTree(FIXTURE_LAYERS)), ...violationLines(await cruiseTree(FIXTURE_CYCLES))].map((l) => l.split(':')[0]),
    );
    const names = await ruleNames();
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((name) => !reported.has(name))).toEqual([]);
  });

  it('reports a cycle between files, and cycles between folders that no file cycle shows', async () => {
    const result = await cruiseTree(FIXTURE_CYCLES);
    expect(unresolvedLines(result)).toEqual([]);
    expect(violationLines(result)).toEqual(['no-circular: src/c/p.ts → src/c/q.ts  (cycle: src/c/p.ts → src/c/q.ts → src/c/p.ts)']);
    // a/ and b/ import each other through different files; x → y → z → x through three folders.
    // userpool/ imports src/ports.ts, which lists userpool's ports: the hub is no folder, no cycle.
    expect(folderCycles(result.modules)).toEqual([
      ['folder cycle a → b → a (folders tied together: a, b)', '    a → b: src/a/one.ts → src/b/three.ts', '    b → a: src/b/two.ts → src/a/four.ts'].join('\n'),
      [
        'folder cycle x → y → z → x (folders tied together: x, y, z)',
        '    x → y: src/x/x.ts → src/y/y.ts',
        '    y → z: src/y/y.ts → src/z/z.ts',
        '    z → x: src/z/z.ts → src/x/leaf.ts',
      ].join('\n'),
    ]);
  });

  it('reports reads of the environment outside config/ and of the clock and randomness outside core/, not in comments or strings', () => {
    // config/index.ts reads process.env and core/clock.ts calls Date.now() and Math.random(): allowed.
    expect(ambientReads(FIXTURE_LAYERS)).toEqual([
      'src/cli/main.ts:2: process.env',
      'src/userpool/sign-up.ts:8: new Date()',
      'src/userpool/sign-up.ts:9: Date()',
      'src/userpool/sign-up.ts:9: Date.now()',
      'src/userpool/sign-up.ts:10: Math.random()',
      'src/userpool/sign-up.ts:11: process.env',
    ]);
  });
});
