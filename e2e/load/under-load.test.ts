/**
 * The tests that once failed on a busy machine, run again with every core kept busy by
 * stress-ng (Debian's stress-ng): the `submitting` cases of extension/page/fill.test.ts
 * (a code widget that navigates away with form.submit() on its last digit: the fill's
 * answer must get out before the document goes) and the settings import keyboard test.
 * They wait on events and page state, never on a fixed delay, so load may slow them but
 * not fail them. Each file runs in a child vitest; stress-ng stops with the test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../core/cli.js';

const STRESS = '/usr/bin/stress-ng';
const haveStress = fs.existsSync(STRESS);
let stress: ChildProcess | undefined;

afterEach(() => {
  if (stress?.pid && stress.exitCode === null) process.kill(-stress.pid, 'SIGKILL');
  stress = undefined;
});

/** Two CPU hogs per core, at full load, for at most `seconds`. */
function startStress(seconds: number): ChildProcess {
  const p = spawn(STRESS, ['--cpu', '4', '--cpu-load', '100', '--timeout', `${seconds}s`, '--quiet'], { detached: true, stdio: 'ignore' });
  return p;
}

function vitest(args: string[], timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${ROOT}/node_modules/vitest/vitest.mjs`, 'run', '--reporter=dot', ...args], { cwd: ROOT, env: { ...process.env, CI: 'true' }, detached: true });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe.skipIf(!haveStress)('under CPU load (stress-ng on every core)', () => {
  it('fill.test.ts "submitting": a page that submits and navigates mid-fill still gets its answer out', async () => {
    stress = startStress(120);
    const r = await vitest(['--project', 'unit', 'extension/page/fill.test.ts', '-t', 'submitting'], 150_000);
    expect(r.out).toMatch(/Tests\s+.*\d+ passed/);
    expect(r.out, r.out.slice(-3000)).not.toMatch(/failed/);
    expect(r.code).toBe(0);
  }, 180_000);

  it('settings import: the keyboard-only test', async () => {
    stress = startStress(150);
    const r = await vitest(['--project', 'e2e', 'e2e/settings/import.test.ts', '-t', 'keyboard only'], 170_000);
    expect(r.out, r.out.slice(-3000)).not.toMatch(/failed/);
    expect(r.code).toBe(0);
  }, 200_000);
});
