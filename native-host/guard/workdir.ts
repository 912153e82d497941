/**
 * The guarded child's private work directory: its cwd, its workspace and its output
 * directory. 0700, under $XDG_RUNTIME_DIR (memory, not disk) when that is ours, else under
 * BLINDFILL_HOME; removed when the guard exits.
 *
 * A page snapshot the child saves there holds a filled password in the clear, so before
 * the guard passes on any answer of the child it scrubs every file there that is new or
 * changed (rewritten through the daemon's scrubber, then renamed over the original); a
 * file that cannot be scrubbed (vault locked) is deleted.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Paths } from '../paths.js';
import { type DaemonRedactor, PipelinedStream } from './daemon-redactor.js';

const PIECE = 1024 * 1024;
const IN_FLIGHT = 2;

/** A directory we own, not a symlink, not reachable by others. */
function ownPrivateDir(dir: string): boolean {
  try {
    const st = fs.lstatSync(dir);
    const uid = typeof process.getuid === 'function' ? process.getuid() : st.uid;
    return st.isDirectory() && st.uid === uid && (st.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

/** Where the work directory goes: $XDG_RUNTIME_DIR/blindfill, else BLINDFILL_HOME/guard. */
export function workBase(paths: Paths, env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_RUNTIME_DIR;
  if (xdg && path.isAbsolute(xdg) && ownPrivateDir(xdg)) return path.join(xdg, 'blindfill');
  return path.join(paths.home, 'guard');
}

interface Seen {
  ino: number;
  size: number;
  mtimeMs: number;
}

export class WorkDir {
  private readonly seen = new Map<string, Seen>();
  private scanning: Promise<void> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private readonly redactor: DaemonRedactor,
    private readonly log: (m: string) => void,
  ) {}

  static create(paths: Paths, env: NodeJS.ProcessEnv, redactor: DaemonRedactor, log: (m: string) => void): WorkDir {
    const base = workBase(paths, env);
    fs.mkdirSync(base, { recursive: true, mode: 0o700 });
    if (!ownPrivateDir(base)) throw new Error(`${base} is not a private directory of this user (0700)`);
    sweep(base);
    const dir = fs.mkdtempSync(path.join(base, `guard-${process.pid}-`));
    fs.chmodSync(dir, 0o700);
    return new WorkDir(dir, redactor, log);
  }

  /** Where Playwright MCP puts its automatically named files (PLAYWRIGHT_MCP_OUTPUT_DIR). */
  get outputDir(): string {
    return path.join(this.dir, 'output');
  }

  /** Scrub every new or changed file (scans run one at a time, in order). */
  scrub(): Promise<void> {
    this.scanning = this.scanning.then(() => this.scan()).catch((e: unknown) => this.log(`work directory scan failed: ${(e as Error).message}`));
    return this.scanning;
  }

  private async scan(): Promise<void> {
    for (const file of walk(this.dir)) {
      let st: fs.Stats;
      try {
        st = fs.lstatSync(file);
      } catch {
        continue;
      }
      if (!st.isFile()) continue;
      const before = this.seen.get(file);
      if (before && before.ino === st.ino && before.size === st.size && before.mtimeMs === st.mtimeMs) continue;
      await this.scrubFile(file);
    }
  }

  private async scrubFile(file: string): Promise<void> {
    const tmp = path.join(path.dirname(file), `.bf-scrub-${process.pid}-${path.basename(file)}`);
    const drop = (why: string) => {
      fs.rmSync(tmp, { force: true });
      fs.rmSync(file, { force: true });
      this.seen.delete(file);
      this.log(`a file the child wrote was deleted unscrubbed (${why})`);
    };
    let data: Buffer;
    try {
      data = fs.readFileSync(file);
    } catch {
      return;
    }
    const stream = new PipelinedStream(this.redactor, IN_FLIGHT);
    const out: Buffer[] = [];
    const take = (rs: Array<{ ok: true; out: Buffer } | { ok: false; code: string; message: string }>): string | null => {
      for (const r of rs) {
        if (!r.ok) return r.code;
        out.push(r.out);
      }
      return null;
    };
    for (let i = 0; i < data.length; i += PIECE) {
      const failed = take(await stream.push(data.subarray(i, i + PIECE)));
      if (failed !== null) return drop(failed);
    }
    const failed = take(await stream.end());
    if (failed !== null) return drop(failed);
    const scrubbed = Buffer.concat(out);
    if (scrubbed.equals(data)) {
      const st = fs.lstatSync(file);
      this.seen.set(file, { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs });
      return;
    }
    fs.writeFileSync(tmp, scrubbed, { mode: 0o600, flag: 'wx' });
    fs.renameSync(tmp, file);
    const st = fs.lstatSync(file);
    this.seen.set(file, { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs });
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Remove the work directories of guards that died without cleaning up (killed). */
function sweep(base: string): void {
  for (const name of fs.readdirSync(base)) {
    const m = /^guard-(\d+)-/.exec(name);
    if (!m) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') fs.rmSync(path.join(base, name), { recursive: true, force: true });
    }
  }
}

/** Every path under `dir` (not following symlinks). */
function* walk(dir: string): Generator<string> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}
