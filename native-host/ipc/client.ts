/**
 * Client side of the daemon socket: connect, starting the daemon on demand (like
 * gpg-agent), then send requests. Used by the CLI, the MCP server and the native host.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { fail, type Failure } from '../../shared/errors.js';
import type { IpcResponse } from '../../shared/ipc.js';
import { BUNDLE_NODE_FLAGS, DAEMON_ENV } from '../process/bundles.js';
import { cleanEnv } from '../process/runtime.js';
import type { Paths } from '../paths.js';
import { ensurePrivateDir } from '../vault/store.js';
import { Connection, type RequestHandler } from './connection.js';
import { peerCredentials } from './peer-cred.js';
import { checkSocketPath, ensureRunDir } from './socket-path.js';

export interface ConnectOptions {
  paths: Paths;
  /** Start the daemon if nobody answers. */
  autostart: boolean;
  /** Command that runs this program (node + script); the daemon is started as `... daemon`. */
  selfCommand: readonly string[];
  handler?: RequestHandler | null;
  timeoutMs?: number;
}

function tryConnect(socketPath: string): Promise<net.Socket | null> {
  return new Promise((resolve) => {
    const s = net.createConnection(socketPath);
    const done = (v: net.Socket | null) => {
      s.removeAllListeners('error');
      s.removeAllListeners('connect');
      resolve(v);
    };
    s.once('connect', () => done(s));
    s.once('error', () => {
      s.destroy();
      done(null);
    });
  });
}

/**
 * Connect only through a path that is ours (checked again before every attempt: a
 * directory could appear between two), and in the shared-/tmp fallback only to a
 * listener running as us. A peer whose uid cannot be read (no python3) is accepted on the
 * strength of the path checks alone.
 */
async function connectChecked(paths: Paths): Promise<net.Socket | null | Failure> {
  if (paths.external) return tryConnect(paths.socket);
  const safe = checkSocketPath(paths);
  if (!safe.ok) return safe;
  const sock = await tryConnect(paths.socket);
  if (sock === null || !paths.runShared) return sock;
  const peer = await peerCredentials(sock);
  const me = typeof process.getuid === 'function' ? process.getuid() : 0;
  if (peer !== null && peer.uid !== me) {
    sock.destroy();
    return fail('INSECURE_PERMISSIONS', `refusing to use the daemon socket: ${paths.socket} is served by uid ${peer.uid}, not ${me}`);
  }
  return sock;
}

/** The env var that tells a daemon started here which fd to signal "listening" on. */
export const READY_FD_ENV = 'BLINDFILL_READY_FD';

export interface StartedDaemon {
  /** Resolves with the exit code if the daemon ends (a second daemon yields to a first one). */
  exited: Promise<number>;
  /**
   * Resolves when the daemon says it listens (one byte on an extra pipe, fd 3), or when
   * that pipe closes: it exited, or is an older build that does not signal. Never rejects.
   */
  ready: Promise<void>;
}

/** Start the daemon detached, with a pipe it signals on once its socket listens. */
export function startDaemon(paths: Paths, selfCommand: readonly string[]): Failure | StartedDaemon {
  const home = ensurePrivateDir(paths.home);
  if (!home.ok) return home;
  const run = ensureRunDir(paths);
  if (!run.ok) return run;
  let logFd: number;
  try {
    logFd = fs.openSync(paths.daemonLog, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT, 0o600);
    fs.fchmodSync(logFd, 0o600);
  } catch (e) {
    return fail('DAEMON_UNAVAILABLE', `cannot open the daemon log: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const [cmd, ...args] = selfCommand;
  if (cmd === undefined) throw new Error('selfCommand is empty');
  // selfCommand is [node, program]: the daemon's V8 flags go between them.
  const child = spawn(cmd, [...BUNDLE_NODE_FLAGS.daemon, ...args, 'daemon'], {
    detached: true,
    stdio: ['ignore', logFd, logFd, 'pipe'],
    // Only what the daemon needs: a NODE_OPTIONS (an IDE's debugger hook, --inspect) stays behind.
    env: { ...cleanEnv(process.env), ...DAEMON_ENV, BLINDFILL_HOME: paths.home, [READY_FD_ENV]: '3' },
  });
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  const pipe = child.stdio[3] as net.Socket | null;
  const ready = new Promise<void>((resolve) => {
    if (pipe === null) return resolve();
    const done = () => {
      pipe.destroy();
      resolve();
    };
    pipe.once('data', done);
    pipe.once('end', done);
    pipe.once('close', done);
    pipe.once('error', done);
  });
  // Neither the child nor its pipe keeps this process alive; whoever waits keeps a timer.
  pipe?.unref();
  child.unref();
  fs.closeSync(logFd);
  return { exited, ready };
}

/** Wait for a promise at most `ms`; a ref'd timer keeps the process alive meanwhile. */
function waitAtMost(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, Math.max(0, ms));
    void p.then(() => {
      clearTimeout(t);
      resolve();
    });
  });
}

export async function connectDaemon(opts: ConnectOptions): Promise<Connection | Failure> {
  let sock = await connectChecked(opts.paths);
  if (sock !== null && !(sock instanceof net.Socket)) return sock;
  if (sock === null && opts.autostart && !opts.paths.external) {
    const started = startDaemon(opts.paths, opts.selfCommand);
    if ('ok' in started) return started;
    let exited = false;
    void started.exited.then(() => {
      exited = true;
    });
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
    await waitAtMost(started.ready, deadline - Date.now());
    sock = await connectChecked(opts.paths);
    // Not there yet: another daemon that won the start may still be coming up, or the
    // daemon closed its pipe without signalling. Poll briefly, then give up.
    let wait = 10;
    let graceAfterExit = 5;
    while (sock === null && Date.now() < deadline && graceAfterExit > 0) {
      if (exited) graceAfterExit -= 1;
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * 2, 200);
      sock = await connectChecked(opts.paths);
    }
    if (sock !== null && !(sock instanceof net.Socket)) return sock;
  }
  if (sock === null) {
    return fail('DAEMON_UNAVAILABLE', `the blindfill daemon is not running and could not be started (see ${opts.paths.daemonLog})`);
  }
  return new Connection(sock, opts.handler ?? null);
}

/** Connect, send one request, close. */
export async function requestOnce(opts: ConnectOptions, body: Record<string, unknown>, timeoutMs?: number): Promise<IpcResponse> {
  const conn = await connectDaemon(opts);
  if (!(conn instanceof Connection)) return { t: 'res', id: 0, ok: false, code: conn.code, message: conn.message };
  try {
    return await conn.request(body, timeoutMs);
  } finally {
    conn.close();
  }
}
