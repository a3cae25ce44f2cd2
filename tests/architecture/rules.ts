// The architecture checks, run over a tree that holds `src/`: the real repository, or the fixture
// tree that proves each check can fail. Rules: .dependency-cruiser.cjs (DESIGN.md's arrows as
// forbidden imports), plus what dependency-cruiser's rules cannot say — no cycle between folders,
// and who may read the environment, the clock and randomness.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IModule } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import ts from 'typescript';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Trees laid out like src/ with deliberate bad (and good) imports: see fixtures/README.md. */
export const FIXTURE_LAYERS = fileURLToPath(new URL('./fixtures/layers', import.meta.url));
export const FIXTURE_CYCLES = fileURLToPath(new URL('./fixtures/cycles', import.meta.url));

/** The names of the rules in .dependency-cruiser.cjs. */
export async function ruleNames(): Promise<string[]> {
  const options = await extractDepcruiseOptions(join(REPO_ROOT, '.dependency-cruiser.cjs'));
  return (options.ruleSet?.forbidden ?? []).map((rule) => rule.name ?? '(unnamed rule)');
}

/** Runs .dependency-cruiser.cjs over `<baseDir>/src`; paths in the result are relative to baseDir. */
export async function cruiseTree(baseDir: string): Promise<ICruiseResult> {
  const options = await extractDepcruiseOptions(join(REPO_ROOT, '.dependency-cruiser.cjs'));
  const tsConfigFile = join(REPO_ROOT, 'tsconfig.json');
  const result = await cruise(
    ['src'],
    { ...options, baseDir, tsConfig: { fileName: tsConfigFile }, outputType: 'json' },
    undefined,
    { tsConfig: extractTSConfig(tsConfigFile) },
  );
  return typeof result.output === 'string' ? (JSON.parse(result.output) as ICruiseResult) : result.output;
}

/** One line per forbidden arrow: `rule: from → to` (a file cycle also shows its path). */
export function violationLines(result: ICruiseResult): string[] {
  return result.summary.violations
    .map((v) => {
      const cycle = v.cycle?.length ? `  (cycle: ${[v.from, ...v.cycle.map((c) => c.name)].join(' → ')})` : '';
      return `${v.rule.name}: ${v.from} → ${packageName(v.to)}${cycle}`;
    })
    .sort();
}

/** `…/node_modules/better-sqlite3/lib/index.js` → `better-sqlite3` (wherever node_modules is). */
function packageName(resolved: string): string {
  return /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(resolved)?.[1] ?? resolved;
}

/** Imports dependency-cruiser could not resolve: an arrow it cannot judge would pass unseen. */
export function unresolvedLines(result: ICruiseResult): string[] {
  return result.modules.flatMap((m) => m.dependencies.filter((d) => d.couldNotResolve).map((d) => `${m.source} → ${d.module}`)).sort();
}

// src/ports.ts only assembles the feature ports (its own rule allows it nothing else): it is the
// "ports" of "flows → ports ← storage", not a folder. Left in, every flow that imports it would
// seem to be in a cycle with every feature whose ports it lists.
const PORTS_HUB = 'src/ports.ts';

/** `src/userpool/actions/x.ts` → `userpool`; a file directly under src/ is its own node (`server.ts`). */
function folderOf(source: string): string | undefined {
  const m = /^src\/([^/]+)(\/|$)/.exec(source);
  return m ? m[1] : undefined;
}

/**
 * Collapses modules to their top folder under src/ and finds the strongly connected components
 * of that graph (Tarjan). Each component of more than one folder is a cycle between folders;
 * the answer names one cycle through it and, for each arrow in the component, the files behind it.
 */
export function folderCycles(modules: IModule[]): string[] {
  const edges = new Map<string, Map<string, string[]>>(); // from folder → to folder → file arrows
  for (const m of modules) {
    const from = folderOf(m.source);
    if (!from || m.source === PORTS_HUB) continue;
    for (const d of m.dependencies) {
      const to = folderOf(d.resolved);
      if (!to || to === from || d.resolved === PORTS_HUB) continue;
      const byTo = edges.get(from) ?? new Map<string, string[]>();
      edges.set(from, byTo);
      byTo.set(to, [...(byTo.get(to) ?? []), `${m.source} → ${d.resolved}`]);
    }
  }
  const nodes = [...new Set([...edges.keys(), ...[...edges.values()].flatMap((t) => [...t.keys()])])].sort();
  const next = (n: string) => [...(edges.get(n)?.keys() ?? [])].sort();

  // Tarjan's strongly connected components.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const n of nodes) if (!index.has(n)) visit(n);

  return components
    .sort((a, b) => a[0]!.localeCompare(b[0]!))
    .map((component) => {
      const inside = new Set(component);
      const arrows = component.flatMap((from) =>
        next(from)
          .filter((to) => inside.has(to))
          .map((to) => `    ${from} → ${to}: ${edges.get(from)!.get(to)!.join(', ')}`),
      );
      return [`folder cycle ${shortestCycle(component[0]!, inside, next).join(' → ')} (folders tied together: ${component.join(', ')})`, ...arrows].join('\n');
    });
}

/** The shortest path from `start` back to itself inside one component (breadth first). */
function shortestCycle(start: string, inside: Set<string>, next: (n: string) => string[]): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of next(v).filter((n) => inside.has(n))) {
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return [...path, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/**
 * DESIGN.md: "config/ the only place that reads the environment"; "everything with a side effect
 * (clock, randomness, …) is passed in", and core/ holds the clock and randomness. Finds, in the
 * syntax tree (so comments and strings do not count), each read of process.env outside
 * src/config/ and each Date.now(), Date(), new Date() without arguments or Math.random() outside
 * src/core/. Lines: `src/path.ts:line: what`, by file and line.
 */
export function ambientReads(baseDir: string): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(join(baseDir, 'src'))) {
    const path = relative(baseDir, file).split(sep).join('/');
    const inConfig = path.startsWith('src/config/');
    const inCore = path.startsWith('src/core/');
    const source = ts.createSourceFile(path, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const report = (node: ts.Node, what: string) =>
      found.push(`${path}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}: ${what}`);
    const isName = (node: ts.Node, name: string) => ts.isIdentifier(node) && node.text === name;
    const isMember = (node: ts.Node, object: string, member: string) =>
      (ts.isPropertyAccessExpression(node) && isName(node.expression, object) && node.name.text === member) ||
      (ts.isElementAccessExpression(node) &&
        isName(node.expression, object) &&
        ts.isStringLiteralLike(node.argumentExpression) &&
        node.argumentExpression.text === member);
    const visit = (node: ts.Node): void => {
      if (!inConfig) {
        if (isMember(node, 'process', 'env')) report(node, 'process.env');
        // `const { env } = process` and `import { env } from 'node:process'` read it too.
        if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer && isName(node.initializer, 'process')) {
          if (node.name.elements.some((e) => (e.propertyName ?? e.name).getText(source) === 'env')) report(node, 'process.env');
        }
        if (
          ts.isImportDeclaration(node) &&
          ts.isStringLiteral(node.moduleSpecifier) &&
          /^(node:)?process$/.test(node.moduleSpecifier.text) &&
          node.importClause?.namedBindings &&
          ts.isNamedImports(node.importClause.namedBindings) &&
          node.importClause.namedBindings.elements.some((e) => (e.propertyName ?? e.name).text === 'env')
        ) {
          report(node, 'process.env');
        }
      }
      if (!inCore) {
        if (ts.isCallExpression(node) && isMember(node.expression, 'Date', 'now')) report(node, 'Date.now()');
        if (ts.isCallExpression(node) && isName(node.expression, 'Date')) report(node, 'Date()');
        if (ts.isNewExpression(node) && isName(node.expression, 'Date') && (node.arguments?.length ?? 0) === 0) report(node, 'new Date()');
        if (ts.isCallExpression(node) && isMember(node.expression, 'Math', 'random')) report(node, 'Math.random()');
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}
