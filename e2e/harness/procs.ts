/**
 * Process argv sampling: read every /proc/PID/cmdline over and over while something runs,
 * so a test can assert that a secret never appeared in any process's argv (or environ).
 * Linux only.
 */
import { readdir, readFile } from 'node:fs/promises';

export interface ProcSample {
  readonly pid: number;
  readonly argv: readonly string[];
  /** `KEY=VALUE` entries; only when `environ: true` was asked and readable. */
  readonly environ?: readonly string[];
}

export interface SampleOptions {
  /** Pause between two sweeps of /proc, default 5 ms (a sweep itself takes a few ms). */
  readonly intervalMs?: number;
  /** Also read /proc/PID/environ (readable for our own user's processes). */
  readonly environ?: boolean;
  /** Stop after this long even if `until` has not settled (default 120 s). */
  readonly maxMs?: number;
}

function splitNul(buf: Buffer): string[] {
  const s = buf.toString('utf8');
  const parts = s.split('\0');
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** One sweep over /proc: every process we can read right now. */
export async function readProcs(opts: { environ?: boolean } = {}): Promise<ProcSample[]> {
  let names: string[];
  try {
    names = await readdir('/proc');
  } catch {
    return [];
  }
  const pids = names.filter((n) => /^\d+$/.test(n)).map(Number);
  const out = await Promise.all(
    pids.map(async (pid): Promise<ProcSample | null> => {
      try {
        const argv = splitNul(await readFile(`/proc/${pid}/cmdline`));
        if (!opts.environ) return { pid, argv };
        let environ: string[] | undefined;
        try {
          environ = splitNul(await readFile(`/proc/${pid}/environ`));
        } catch {
          environ = undefined;
        }
        return environ ? { pid, argv, environ } : { pid, argv };
      } catch {
        return null; // exited meanwhile, or not ours
      }
    }),
  );
  return out.filter((p): p is ProcSample => p !== null);
}

/**
 * Sample all processes repeatedly until `until` elapses (a number of milliseconds) or settles
 * (a promise; its rejection is ignored here — await it yourself). Always takes at least one
 * sweep, and one final sweep after `until`. Returns distinct samples (by pid + argv + environ).
 */
export async function sampleProcs(until: number | Promise<unknown>, opts: SampleOptions = {}): Promise<ProcSample[]> {
  const intervalMs = opts.intervalMs ?? 5;
  const maxMs = opts.maxMs ?? 120_000;
  let done = false;
  const timers: NodeJS.Timeout[] = [];
  if (typeof until === 'number') {
    timers.push(setTimeout(() => (done = true), until));
  } else {
    until.then(
      () => (done = true),
      () => (done = true),
    );
  }
  timers.push(setTimeout(() => (done = true), maxMs));
  const seen = new Map<string, ProcSample>();
  const add = (list: ProcSample[]): void => {
    for (const p of list) {
      const key = `${p.pid}\0${p.argv.join('\0')}\0\0${p.environ?.join('\0') ?? ''}`;
      if (!seen.has(key)) seen.set(key, p);
    }
  };
  try {
    do {
      add(await readProcs({ environ: opts.environ ?? false }));
      if (!done) await new Promise((r) => setTimeout(r, intervalMs));
    } while (!done);
    add(await readProcs({ environ: opts.environ ?? false }));
  } finally {
    for (const t of timers) clearTimeout(t);
  }
  return [...seen.values()];
}

/**
 * Distinct command lines seen while `until` runs: each one the process's argv joined with
 * single spaces. Feed the result to `assertNoSecret(lines.join('\n'), …)`.
 */
export async function sampleCmdlines(until: number | Promise<unknown>, opts: SampleOptions = {}): Promise<string[]> {
  const samples = await sampleProcs(until, { ...opts, environ: false });
  return [...new Set(samples.map((s) => s.argv.join(' ')))];
}
