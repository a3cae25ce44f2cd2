// `todoku serve` as an operator runs it (a real process): a HELO name that is not a fully
// qualified domain name starts, with a warning in the banner (the records would say `MX 10 vm`);
// a malformed TODOKU_SENDING_IPS does not start at all (issue 13 #17).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// A process of its own compiles todoku from source (tsx): slow on a busy machine.
const CHILD_TIMEOUT_MS = 60_000;

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const MAIN = path.join(ROOT, 'src/cli/main.ts');
const dirs: string[] = [];
afterEach(() => {
  while (dirs.length > 0) fs.rmSync(dirs.pop()!, { recursive: true, force: true });
});

/** Runs `todoku serve`; resolves with its output once the banner is complete (then stops it) or it exits. */
function serve(env: Record<string, string>): Promise<{ stdout: string; stderr: string; exitCode: number | null }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'todoku-banner-'));
  dirs.push(dataDir);
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', TODOKU_PORT: '0', TODOKU_DATA_DIR: dataDir, TODOKU_LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`todoku serve printed no banner: ${stdout}${stderr}`));
    }, 50_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      // The banner is written in one piece and ends with the captured-mail line (plus warnings).
      if (/captured mail[^\n]*\n(.*\n)*\n/.test(stdout)) child.kill('SIGTERM');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('exit', (exitCode) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, exitCode });
    });
  });
}

describe('todoku serve start-up checks', { timeout: CHILD_TIMEOUT_MS }, () => {
  it('warns in the banner when the HELO name is not a fully qualified domain name', async () => {
    const { stdout } = await serve({ TODOKU_HELO_NAME: 'vm' });
    expect(stdout).toContain('todoku is listening on');
    expect(stdout).toMatch(/warning\s+TODOKU_HELO_NAME "vm" is not a fully qualified domain name/);
    // (A fully qualified name gives no warning: config.test.ts, `warnings` is empty.)
    // The curl line encodes the address (issue 13 #19): pasted into ?to=, hanako+test@ would be
    // at the mercy of whoever decodes the + .
    expect(stdout).toMatch(/captured mail curl -u \S+:<secret> -G '[^']+\/_todoku\/mail' --data-urlencode 'to=<address>'/);
  });

  it('refuses to start on a malformed TODOKU_SENDING_IPS entry, naming the variable', async () => {
    const { stdout, stderr, exitCode } = await serve({ TODOKU_SENDING_IPS: '203.0.113.5:25', TODOKU_HELO_NAME: 'mail.example.jp' });
    expect(exitCode).not.toBe(0);
    expect(stdout).not.toContain('listening');
    expect(stderr).toContain('TODOKU_SENDING_IPS: "203.0.113.5:25"');
  });
});
