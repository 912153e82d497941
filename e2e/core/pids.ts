/**
 * The daemon's pid and stopping it, for the tests (e2e/core/cli.ts) and for the bench
 * (bench/lib/), which bundles this file: no imports beyond node's.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The pid in BLINDFILL_HOME/run/daemon.pid, or null (no file, or not a number). */
export function readDaemonPid(home: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(path.join(home, 'run', 'daemon.pid'), 'utf8'), 10);
    return Number.isInteger(pid) ? pid : null;
  } catch {
    return null;
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM; then wait up to `polls` × 20 ms for the exit, and SIGKILL if it has not come. Nothing if the SIGTERM cannot be sent. */
export async function terminate(pid: number, polls: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < polls && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}
