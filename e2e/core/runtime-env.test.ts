/**
 * What a blindfill process inherits: the daemon is started with only the variables it
 * needs (no NODE_OPTIONS, no stray secrets of the caller's shell), and any process started
 * with an inspector or a code-loading flag refuses to run (UNSAFE_RUNTIME).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, type Home, makeHome, runBin } from './cli.js';

let home: Home;
let tmp: string;
afterEach(async () => {
  await home?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

function environOf(pid: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
    const eq = kv.indexOf('=');
    if (eq > 0) out[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return out;
}

describe('the daemon environment', () => {
  it('a daemon started on demand gets only the kept variables, whatever the caller had', async () => {
    home = makeHome({ DISPLAY: ':77', XDG_RUNTIME_DIR: '/nonexistent-xdg', BLINDFILL_RATE_PER_MINUTE: '9' });
    const r = await home.run(['status', '--json'], undefined, { CALLER_CANARY: 'c4n4ry', NODE_PATH: '/nowhere', LD_LIBRARY_PATH: '/nowhere' });
    expect(r.code, r.stderr).toBe(0);
    const pid = home.daemonPid();
    expect(pid).not.toBeNull();
    const env = environOf(pid!);
    expect(env.CALLER_CANARY).toBeUndefined();
    expect(env.NODE_PATH).toBeUndefined();
    expect(env.LD_LIBRARY_PATH).toBeUndefined();
    // What it needs is there: its home, PATH, the display and keychain variables, test seams.
    expect(env).toMatchObject({ BLINDFILL_HOME: home.dir, PATH: process.env.PATH, DISPLAY: ':77', XDG_RUNTIME_DIR: '/nonexistent-xdg', BLINDFILL_RATE_PER_MINUTE: '9' });
  });
});

describe('refusing to run with a debugger or injected code', () => {
  it('NODE_OPTIONS=--require: the CLI refuses with UNSAFE_RUNTIME and starts no daemon', async () => {
    home = makeHome();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-rt-'));
    const preload = path.join(tmp, 'preload.js');
    fs.writeFileSync(preload, '/* stands for code someone slipped into NODE_OPTIONS */\n');
    const r = await home.run(['status', '--json'], undefined, { NODE_OPTIONS: `--require ${preload}` });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error UNSAFE_RUNTIME: .*--require/m);
    expect(r.stdout).toBe('');
    expect(home.daemonPid()).toBeNull();
  });

  it('the daemon itself refuses --import in NODE_OPTIONS (logged on stderr, no socket)', async () => {
    home = makeHome();
    const r = await runBin(['daemon'], { ...home.env, NODE_OPTIONS: '--import=data:text/javascript,0' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error UNSAFE_RUNTIME: .*--import/m);
    expect(fs.existsSync(path.join(home.dir, 'run', 'daemon.sock'))).toBe(false);
  });

  it('an open inspector: refused before any bundle loads', async () => {
    home = makeHome();
    // Node opens the inspector's port before blindfill's code runs; that is the point of
    // the check. Started through a link named otherwise so the suite's port monitor (which
    // watches blindfill.cjs processes) does not count Node's port against blindfill.
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-rt-'));
    const link = path.join(tmp, 'inspected.cjs');
    fs.symlinkSync(BIN, link);
    const r = await new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', link, 'status', '--json'], { env: home.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let stdout = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.on('close', (code) => resolve({ code, stderr, stdout }));
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error UNSAFE_RUNTIME: .*inspector is open/m);
    expect(r.stdout).toBe('');
    expect(home.daemonPid()).toBeNull();
  });
});
