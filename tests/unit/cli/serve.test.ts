// `todoku serve` takes its settings from TODOKU_* only: a flag is an error, not ignored.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { serveCommand } from '../../../src/cli/serve.js';

describe('todoku serve', () => {
  afterEach(() => vi.restoreAllMocks());

  it('refuses a flag, naming it and the variable to use, before it opens anything', async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    // A data dir that cannot be created: had serve started, it would have failed there instead.
    const status = await serveCommand(['--port', '9000'], { TODOKU_DATA_DIR: '/proc/todoku-must-not-be-created' });
    expect(status).toBe(2);
    expect(written.join('')).toContain('unexpected argument "--port"');
    expect(written.join('')).toContain('TODOKU_PORT=9000');
  });
});
