// DESIGN.md's one-way architecture, enforced on src/: every arrow .dependency-cruiser.cjs forbids,
// every cycle between files or folders, every read of the environment outside config/ and of the
// clock or randomness outside core/ fails `npm test`, listed in full.
// That each of these checks can fail is shown on a fixture tree in rules-can-fail.test.ts.
import type { ICruiseResult } from 'dependency-cruiser';
import { beforeAll, describe, expect, it } from 'vitest';
import { ambientReads, cruiseTree, folderCycles, REPO_ROOT, unresolvedLines, violationLines } from './rules.js';

describe('src/ follows DESIGN.md\'s arrows', () => {
  let result: ICruiseResult;
  beforeAll(async () => {
    result = await cruiseTree(REPO_ROOT);
  });

  it('cruises every module and resolves every import (an import it cannot resolve it cannot judge)', () => {
    expect(result.summary.totalCruised).toBeGreaterThan(100);
    expect(result.modules.some((m) => m.source === 'src/server.ts')).toBe(true);
    expect(unresolvedLines(result)).toEqual([]);
  });

  it('has no forbidden import and no cycle between files (.dependency-cruiser.cjs)', () => {
    expect(violationLines(result)).toEqual([]);
  });

  it('has no cycle between folders', () => {
    expect(folderCycles(result.modules)).toEqual([]);
  });

  it('reads process.env only in src/config/, and the clock and randomness only in src/core/', () => {
    expect(ambientReads(REPO_ROOT)).toEqual([]);
  });
});
