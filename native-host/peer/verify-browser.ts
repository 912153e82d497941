/**
 * Decide whether a daemon connection is a native host that a real browser started for the
 * blindfill extension, from what the kernel and /proc say (the connection's SO_PEERCRED
 * pid and uid), never from what the connection claims. Pure over `readProc`, so tests run
 * it on a crafted /proc.
 *
 * The chain that must hold: peer uid = the daemon's uid; the peer runs this program's
 * `native-host` command with a caller-origin argument; its parent (past at most two
 * shells) is a browser executable that the user cannot replace (root-owned, not writable
 * by group or others, in a directory that is neither). A same-user process that connects
 * and says browser_hello, or starts the host from a shell or a script of its own, fails
 * the chain.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserName } from '../../shared/ipc.js';
import { ancestry, type ProcInfo } from './proc.js';

export interface VerifiedBrowser {
  browser: BrowserName;
  hostPid: number;
  browserPid: number;
  /** The browser's executable, as /proc resolves it. */
  exe: string;
  /** The profile directory named on the browser's command line, when there is one. */
  profile?: string;
  /** The `blindfill guard` process the browser runs under, and that guard's parent (the agent). */
  guard?: { pid: number; parent: number };
}

export type Verdict = { ok: true; value: VerifiedBrowser } | { ok: false; reason: string };

/** Browser executables by file name (Linux). */
const BROWSER_EXES: ReadonlyArray<[RegExp, BrowserName]> = [
  [/^(chromium|chromium-browser|headless_shell|chrome-headless-shell)$/, 'chromium'],
  [/^(chrome|google-chrome)$/, 'chrome'],
  [/^(brave|brave-browser)$/, 'brave'],
  [/^(msedge|microsoft-edge)$/, 'edge'],
  [/^(vivaldi|vivaldi-bin)$/, 'vivaldi'],
  [/^(firefox|firefox-esr|firefox-bin)$/, 'firefox'],
];
const SHELLS = /^(sh|dash|bash|zsh|ash|busybox)$/;

export function browserOfExe(exe: string): BrowserName | null {
  const base = path.basename(exe);
  for (const [re, name] of BROWSER_EXES) if (re.test(base)) return name;
  return null;
}

/** A file the user cannot swap: root-owned, not group/other-writable, and so is its directory. */
export function rootOwned(file: string, stat: (p: string) => fs.Stats | null = safeStat): boolean {
  for (const p of [file, path.dirname(file)]) {
    const st = stat(p);
    if (st?.uid !== 0 || (st.mode & 0o022) !== 0) return false;
  }
  return true;
}

function safeStat(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}

/** Is this process `<node> <…/blindfill.cjs> COMMAND …`? */
export function isBlindfillCommand(p: ProcInfo, command: string): boolean {
  return p.argv.length >= 3 && path.basename(p.argv[1] ?? '') === 'blindfill.cjs' && p.argv[2] === command;
}

export function profileOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--user-data-dir=')) return a.slice('--user-data-dir='.length);
    if ((a === '-profile' || a === '--profile') && argv[i + 1]) return argv[i + 1];
  }
  return undefined;
}

export interface VerifyInput {
  peerPid: number;
  peerUid: number;
  /** The daemon's own uid. */
  uid: number;
  /** The program file the daemon runs (its argv[1]); the host must run the same file. */
  program: string;
  chain?: (pid: number) => ProcInfo[];
  stat?: (p: string) => fs.Stats | null;
  realpath?: (p: string) => string;
}

export function verifyBrowserPeer(i: VerifyInput): Verdict {
  const chain = (i.chain ?? ancestry)(i.peerPid);
  const stat = i.stat ?? safeStat;
  const real = i.realpath ?? ((p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return p;
    }
  });
  if (i.peerUid !== i.uid) return { ok: false, reason: `the peer runs as uid ${i.peerUid}, not the vault owner` };
  const host = chain[0];
  if (!host || host.pid !== i.peerPid) return { ok: false, reason: 'the peer process is gone' };
  if (host.uid !== i.uid) return { ok: false, reason: 'the peer process belongs to another user' };
  if (!isBlindfillCommand(host, 'native-host') || real(host.argv[1]!) !== real(i.program)) {
    return { ok: false, reason: 'the peer is not this blindfill native host' };
  }
  if (!host.argv.slice(3).some((a) => a.startsWith('chrome-extension://') || a.includes('@') || a.endsWith('.json'))) {
    return { ok: false, reason: 'the native host has no browser caller argument' };
  }
  let k = 1;
  while (k < chain.length && k <= 2 && SHELLS.test(path.basename(chain[k]!.exe))) k++;
  const parent = chain[k];
  if (!parent) return { ok: false, reason: 'the native host has no parent process' };
  const browser = browserOfExe(parent.exe);
  if (browser === null) return { ok: false, reason: `the native host was started by ${path.basename(parent.exe) || 'an unknown program'}, not a browser` };
  if (!rootOwned(parent.exe, stat)) return { ok: false, reason: `the browser executable ${parent.exe} is not a system program (owned by root, not writable by others)` };
  const value: VerifiedBrowser = { browser, hostPid: host.pid, browserPid: parent.pid, exe: parent.exe };
  const profile = profileOf(parent.argv);
  if (profile !== undefined) value.profile = profile;
  for (const p of chain.slice(k + 1)) {
    if (isBlindfillCommand(p, 'guard')) {
      value.guard = { pid: p.pid, parent: p.ppid };
      break;
    }
  }
  return { ok: true, value };
}
