/**
 * The daemon socket's fallback path (a BLINDFILL_HOME too deep for a socket path) lives in
 * a shared temporary directory. Another user who creates that directory first, or whose
 * process listens there, must receive nothing: the client checks the owner, mode and
 * links of every directory and of the socket before it connects, and in the shared
 * fallback the listener's uid (SO_PEERCRED). With XDG_RUNTIME_DIR the fallback goes there.
 *
 * The attacker runs as uid 65534 through setpriv, so these tests need root (skipped, with
 * a note, otherwise). TMPDIR points at a private sticky directory standing in for /tmp, so
 * the squatting never touches the machine's real /tmp/blindfill-UID.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Paths, resolvePaths } from '../../native-host/paths.js';
import { cleanEnv, PASS, runBin } from '../core/cli.js';
import { terminate } from '../core/pids.js';

const isRoot = process.getuid?.() === 0;
const NOBODY = '65534';

let base: string;
let procs: ChildProcess[] = [];
let paths: Paths | null = null;

afterEach(async () => {
  for (const p of procs) p.kill('SIGKILL');
  procs = [];
  if (paths) {
    try {
      await terminate(Number.parseInt(fs.readFileSync(paths.lockFile, 'utf8'), 10), 100);
    } catch {
      /* no daemon */
    }
    paths = null;
  }
  if (base) fs.rmSync(base, { recursive: true, force: true });
});

/** A fresh stand-in for /tmp (root-owned, 1777) and a BLINDFILL_HOME too deep for sun_path. */
function setup(extra: NodeJS.ProcessEnv = {}): { env: NodeJS.ProcessEnv; paths: Paths } {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-squat-'));
  fs.chmodSync(base, 0o755);
  const tmp = path.join(base, 'tmp');
  fs.mkdirSync(tmp);
  fs.chmodSync(tmp, 0o1777);
  const home = path.join(base, 'home', 'd'.repeat(90));
  const env = cleanEnv({ BLINDFILL_HOME: home, TMPDIR: tmp, BLINDFILL_DAEMON_LINGER_S: '20', ...extra });
  paths = resolvePaths(env, 'linux');
  return { env, paths };
}

/** Wait for a line matching `re` on the child's stdout. */
function waitLine(child: ChildProcess, re: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const t = setTimeout(() => reject(new Error(`no ${re} from the attacker; got ${buf}`)), 10_000);
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = buf.split('\n').find((l) => re.test(l));
      if (m !== undefined) {
        clearTimeout(t);
        resolve(m);
      }
    });
  });
}

/** As uid 65534: create the run directory world-open and listen on the socket, printing what arrives. */
function squat(p: Paths): { child: ChildProcess; got: () => string } {
  const script = `
    const fs = require('fs'), net = require('net'), path = require('path');
    const dirs = [${JSON.stringify(p.runRoot)}, ${JSON.stringify(p.runDir)}];
    for (const d of dirs) { fs.mkdirSync(d, { recursive: true }); fs.chmodSync(d, 0o777); }
    net.createServer((s) => s.on('data', (d) => process.stdout.write('GOT ' + d.toString('hex') + '\\n')))
      .listen(${JSON.stringify(p.socket)}, () => { fs.chmodSync(${JSON.stringify(p.socket)}, 0o777); console.log('READY'); });`;
  const child = spawn('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  procs.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, got: () => out };
}

const passHex = Buffer.from(PASS, 'utf8').toString('hex');

describe.skipIf(!isRoot)('the socket fallback directory cannot be squatted', () => {
  it('another user listening in a pre-created fallback directory: init refuses, the passphrase never leaves', async () => {
    const { env, paths: p } = setup();
    expect(p.runShared).toBe(true);
    expect(p.socket.startsWith(env.TMPDIR!)).toBe(true);
    const a = squat(p);
    await waitLine(a.child, /^READY$/);
    const r = await runBin(['init', '--passphrase-stdin'], env, PASS, 15_000);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error INSECURE_PERMISSIONS: .*(owned by uid 65534|mode 0777)/m);
    expect(a.got()).not.toContain('GOT');
    expect(a.got()).not.toContain(passHex);
  });

  it('another user\'s empty blindfill-UID directory: blindfill does not build its run directory inside it', async () => {
    const { env, paths: p } = setup();
    const mk = spawn('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, '-e', `require('fs').mkdirSync(${JSON.stringify(p.runRoot)}, { mode: 0o777 }); require('fs').chmodSync(${JSON.stringify(p.runRoot)}, 0o777)`], { stdio: 'inherit' });
    await new Promise((r) => mk.on('close', r));
    expect(fs.statSync(p.runRoot).uid).toBe(Number(NOBODY));
    const r = await runBin(['init', '--passphrase-stdin'], env, PASS, 15_000);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error INSECURE_PERMISSIONS: /m);
    expect(fs.existsSync(p.runDir)).toBe(false);
  });

  it('a listener that passes every path check but runs as another uid is refused (SO_PEERCRED)', async () => {
    const { env, paths: p } = setup();
    // Our own private directories and a socket owned by us, 0600: only the listening
    // process differs. Python binds as root, then drops to uid 65534 before listen(),
    // which is when the kernel records the credentials a client reads.
    fs.mkdirSync(p.runDir, { recursive: true, mode: 0o700 });
    fs.chmodSync(p.runRoot, 0o700);
    const py = [
      'import os, socket, sys',
      'os.umask(0o177)',
      's = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)',
      `s.bind(${JSON.stringify(p.socket)})`,
      `os.setgroups([]); os.setgid(${NOBODY}); os.setuid(${NOBODY})`,
      's.listen(4)',
      "print('READY', flush=True)",
      'while True:',
      '    c, _ = s.accept()',
      '    d = c.recv(65536)',
      "    print('GOT', d.hex(), flush=True)",
    ].join('\n');
    const child = spawn('/usr/bin/python3', ['-I', '-S', '-c', py], { stdio: ['ignore', 'pipe', 'inherit'] });
    procs.push(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await waitLine(child, /^READY$/);
    const st = fs.lstatSync(p.socket);
    expect(st.uid).toBe(0);
    expect(st.mode & 0o777).toBe(0o600);
    const r = await runBin(['init', '--passphrase-stdin'], env, PASS, 15_000);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error INSECURE_PERMISSIONS: .*served by uid 65534/m);
    await new Promise((res) => setTimeout(res, 200)); // a payload, had one been sent, would be printed by now
    expect(out).not.toContain(passHex);
    expect(out).not.toMatch(/GOT [0-9a-f]+/);
  });

  it('without a squatter the fallback works: directories ours and 0700, socket 0600', async () => {
    const { env, paths: p } = setup();
    const r = await runBin(['init', '--passphrase-stdin'], env, PASS, 30_000);
    expect(r.code, r.stderr).toBe(0);
    for (const [f, mode] of [
      [p.runRoot, 0o700],
      [p.runDir, 0o700],
      [p.socket, 0o600],
    ] as const) {
      const st = fs.lstatSync(f);
      expect(st.uid, f).toBe(0);
      expect(st.mode & 0o777, f).toBe(mode);
    }
    expect(JSON.parse((await runBin(['status', '--json'], env)).stdout).vault).toBe('unlocked');
  });
});

describe('the socket fallback prefers XDG_RUNTIME_DIR', () => {
  it('a deep BLINDFILL_HOME with XDG_RUNTIME_DIR set: the socket is in XDG_RUNTIME_DIR/blindfill/, not the shared directory', async () => {
    const pre = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-xdg-'));
    const xdg = path.join(pre, 'run-user');
    fs.mkdirSync(xdg, { mode: 0o700 });
    const { env, paths: p } = setup({ XDG_RUNTIME_DIR: xdg });
    try {
      expect(p.runShared).toBe(false);
      expect(p.runRoot).toBe(path.join(xdg, 'blindfill'));
      const r = await runBin(['init', '--passphrase-stdin'], env, PASS, 30_000);
      expect(r.code, r.stderr).toBe(0);
      expect(fs.lstatSync(p.socket).isSocket()).toBe(true);
      expect(fs.readdirSync(env.TMPDIR!)).toEqual([]);
    } finally {
      try {
        await terminate(Number.parseInt(fs.readFileSync(p.lockFile, 'utf8'), 10), 100);
      } catch {
        /* none */
      }
      paths = null;
      fs.rmSync(pre, { recursive: true, force: true });
    }
  });
});
