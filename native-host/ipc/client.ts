/**
 * Client side of the daemon socket: connect, starting the daemon on demand (like
 * gpg-agent), then send requests. Used by the CLI, the MCP server and the native host.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { fail, type Failure } from '../../shared/errors.js';
import type { IpcResponse } from '../../shared/ipc.js';
import type { Paths } from '../paths.js';
import { ensurePrivateDir } from '../vault/store.js';
import { Connection, type RequestHandler } from './connection.js';

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

/** Start the daemon detached; resolves `exited` if it ends before it is reachable. */
export function startDaemon(paths: Paths, selfCommand: readonly string[]): Failure | { exited: Promise<number> } {
  for (const d of [paths.home, paths.runDir]) {
    const dir = ensurePrivateDir(d);
    if (!dir.ok) return dir;
  }
  let logFd: number;
  try {
    logFd = fs.openSync(paths.daemonLog, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT, 0o600);
    fs.fchmodSync(logFd, 0o600);
  } catch (e) {
    return fail('DAEMON_UNAVAILABLE', `cannot open the daemon log: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const [cmd, ...args] = selfCommand;
  if (cmd === undefined) throw new Error('selfCommand is empty');
  const child = spawn(cmd, [...args, 'daemon'], {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: { ...process.env, BLINDFILL_HOME: paths.home },
  });
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  child.unref();
  fs.closeSync(logFd);
  return { exited };
}

export async function connectDaemon(opts: ConnectOptions): Promise<Connection | Failure> {
  let sock = await tryConnect(opts.paths.socket);
  if (sock === null && opts.autostart) {
    const started = startDaemon(opts.paths, opts.selfCommand);
    if ('ok' in started) return started;
    let exited = false;
    void started.exited.then(() => {
      exited = true;
    });
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
    let wait = 20;
    // An early exit may be a second daemon yielding to a first one that is still starting:
    // keep trying to connect for a little while, then give up.
    let graceAfterExit = 5;
    while (sock === null && Date.now() < deadline && graceAfterExit > 0) {
      if (exited) graceAfterExit -= 1;
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * 2, 200);
      sock = await tryConnect(opts.paths.socket);
    }
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
