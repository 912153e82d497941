/** Timed child processes, /proc readings, and the daemon pid of a BLINDFILL_HOME. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

export const ROOT = process.env.BLINDFILL_ROOT ?? process.cwd();
/** The built program and extension: scripts/bench.mjs runs the bench on a private copy. */
export const DIST = process.env.BLINDFILL_BENCH_DIST ?? path.join(ROOT, 'dist');
export const BIN = path.join(DIST, 'blindfill.cjs');

export interface Timed {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall time from spawn() to the child's exit, in ms. */
  ms: number;
}

/** Spawn, feed stdin, wait for exit; `ms` is spawn → exit (stdio drained after). */
export function timedSpawn(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, stdin?: string | Buffer, timeoutMs = 120_000): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let ms = 0;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    // A child that exits without reading its stdin (EPIPE) is not an error of ours.
    child.stdin.on('error', () => undefined);
    child.on('exit', () => (ms = performance.now() - t0));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, ms });
    });
    child.stdin.end(stdin ?? '');
  });
}

export const blindfill = (env: NodeJS.ProcessEnv, args: readonly string[], stdin?: string | Buffer): Promise<Timed> =>
  timedSpawn(process.execPath, [BIN, ...args], env, stdin);

/** VmRSS of a process in bytes, or null when it is gone. */
export function rssBytes(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export { alive } from '../../e2e/core/pids.js';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 15_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}
