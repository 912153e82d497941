/**
 * Runs the real built CLI (dist/blindfill.cjs) against a temp BLINDFILL_HOME, and stops
 * the daemon it started. Every test of the core goes through this, never through imports.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDaemonPid, terminate } from './pids.js';

export { alive } from './pids.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'dist/blindfill.cjs');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Home {
  dir: string;
  env: NodeJS.ProcessEnv;
  run(args: string[], stdin?: string | Buffer, extraEnv?: NodeJS.ProcessEnv): Promise<RunResult>;
  /** Every byte blindfill wrote into its home (vault excluded: it is ciphertext). */
  readLogs(): string;
  daemonPid(): number | null;
  /** Stop the daemon, keep the home. */
  stopDaemon(): Promise<void>;
  /** Stop the daemon and remove the home. */
  stop(): Promise<void>;
}

export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8' };
  return { ...env, ...extra };
}

export function runBin(args: string[], env: NodeJS.ProcessEnv, stdin?: string | Buffer, timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    if (stdin !== undefined) child.stdin.end(stdin);
    else child.stdin.end();
  });
}

export function makeHome(extraEnv: NodeJS.ProcessEnv = {}): Home {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-test-'));
  const dir = path.join(base, 'home');
  const env = cleanEnv({ BLINDFILL_HOME: dir, BLINDFILL_DAEMON_LINGER_S: '20', ...extraEnv });
  const home: Home = {
    dir,
    env,
    run: (args, stdin, more) => runBin(args, { ...env, ...(more ?? {}) }, stdin),
    readLogs() {
      let all = '';
      const walk = (d: string) => {
        if (!fs.existsSync(d)) return;
        for (const name of fs.readdirSync(d)) {
          const p = path.join(d, name);
          const st = fs.lstatSync(p);
          if (st.isDirectory()) walk(p);
          else if (st.isFile() && !name.startsWith('vault.bfv')) all += fs.readFileSync(p, 'utf8');
        }
      };
      walk(dir);
      return all;
    },
    daemonPid: () => readDaemonPid(dir),
    async stopDaemon() {
      const pid = home.daemonPid();
      if (pid !== null) await terminate(pid, 100);
    },
    async stop() {
      const pid = home.daemonPid();
      if (pid !== null) await terminate(pid, 50);
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
  return home;
}

export const PASS = 'correct horse battery staple';

export async function initVault(home: Home): Promise<void> {
  const r = await home.run(['init', '--passphrase-stdin'], PASS);
  if (r.code !== 0) throw new Error(`init failed: ${r.stderr}`);
}
