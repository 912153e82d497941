/**
 * What /proc says about a process: its parent, owner, executable and arguments. Read
 * fresh each time; a process that is gone (or unreadable) is null.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface ProcInfo {
  pid: number;
  ppid: number;
  uid: number;
  /** Resolved /proc/PID/exe ('' when unreadable). */
  exe: string;
  argv: string[];
  /** Start time in clock ticks since boot (field 22 of /proc/PID/stat): tells a reused pid apart. */
  start: number;
}

export function readProc(pid: number, root = '/proc'): ProcInfo | null {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const dir = path.join(root, String(pid));
  try {
    const status = fs.readFileSync(path.join(dir, 'status'), 'utf8');
    const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
    if (!Number.isInteger(ppid) || !Number.isInteger(uid)) return null;
    const argv = fs.readFileSync(path.join(dir, 'cmdline'), 'utf8').split('\0');
    if (argv.length > 0 && argv[argv.length - 1] === '') argv.pop();
    let exe = '';
    try {
      exe = fs.readlinkSync(path.join(dir, 'exe'));
    } catch {
      /* another user's process, or a kernel thread */
    }
    const stat = fs.readFileSync(path.join(dir, 'stat'), 'utf8');
    // The command name in parentheses may itself hold spaces or parentheses: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = Number(fields[19]);
    return { pid, ppid, uid, exe, argv, start: Number.isFinite(start) ? start : 0 };
  } catch {
    return null;
  }
}

/** The process and its ancestors, nearest first, up to (not including) pid 0; at most `max`. */
export function ancestry(pid: number, max = 64, root = '/proc'): ProcInfo[] {
  const chain: ProcInfo[] = [];
  let cur = pid;
  const seen = new Set<number>();
  while (cur > 0 && chain.length < max && !seen.has(cur)) {
    seen.add(cur);
    const p = readProc(cur, root);
    if (!p) break;
    chain.push(p);
    cur = p.ppid;
  }
  return chain;
}
