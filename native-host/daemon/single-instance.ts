/**
 * One daemon per BLINDFILL_HOME: a pid lock file in the private run directory plus a
 * liveness check of the socket. A stale lock or socket (after kill -9) is taken over.
 */
import fs from 'node:fs';
import net from 'node:net';
import type { Paths } from '../paths.js';

function socketAnswers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createConnection(socket);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed daemon whose parent has not reaped it yet is a zombie: dead for our purpose.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return false;
  } catch {
    /* no procfs (macOS): trust kill(0) */
  }
  return true;
}

/** true when this process now owns the instance; false when another daemon does. */
export async function acquireInstance(paths: Paths): Promise<boolean> {
  if (await socketAnswers(paths.socket)) return false;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(paths.lockFile, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      try {
        fs.unlinkSync(paths.socket);
      } catch {
        /* no stale socket */
      }
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder = NaN;
    let ageMs = Infinity;
    try {
      holder = Number.parseInt(fs.readFileSync(paths.lockFile, 'utf8'), 10);
      ageMs = Date.now() - fs.statSync(paths.lockFile).mtimeMs;
    } catch {
      continue; // removed meanwhile: try again
    }
    // A live holder that is still starting, or serving: leave it alone.
    if (Number.isInteger(holder) && holder !== process.pid && pidAlive(holder)) {
      if (ageMs < 10_000 || (await socketAnswers(paths.socket))) return false;
    }
    try {
      fs.unlinkSync(paths.lockFile);
    } catch {
      /* raced with another starter */
    }
  }
  return false;
}

export function releaseInstance(paths: Paths): void {
  try {
    if (fs.readFileSync(paths.lockFile, 'utf8') !== String(process.pid)) return;
  } catch {
    return;
  }
  for (const f of [paths.socket, paths.lockFile]) {
    try {
      fs.unlinkSync(f);
    } catch {
      /* already gone */
    }
  }
}
