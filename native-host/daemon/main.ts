/**
 * `blindfill daemon`: wires the vault, audit log, browser registry and handlers to a
 * Unix socket in a 0700 directory. Never a TCP port. Logs go to stderr (the daemon log
 * file when started on demand) and never contain a secret.
 */
import fs from 'node:fs';
import net from 'node:net';
import { AuditLog } from '../audit/audit-log.js';
import { DAEMON_ENV } from '../process/bundles.js';
import { READY_FD_ENV } from '../ipc/client.js';
import { Connection } from '../ipc/connection.js';
import type { Paths } from '../paths.js';
import { ensurePrivateDir } from '../vault/store.js';
import { makeAutoLock } from './auto-lock.js';
import { AgentAccess } from './agents.js';
import { BrowserRegistry } from './browsers.js';
import { PeerState } from './peers.js';
import { osConfirmer } from './confirm.js';
import { RateLimiter } from './rate-limit.js';
import type { DaemonContext } from './context.js';
import { makeDispatcher } from './dispatch.js';
import { acquireInstance, releaseInstance } from './single-instance.js';
import { VaultState } from './vault-state.js';
import { ensureRunDir } from '../ipc/socket-path.js';
import { attachRemotes, remoteOptionsFromEnv } from '../remote/attach.js';

export interface DaemonOptions {
  /** Exit after this long locked with no client connected (seconds). */
  lingerSeconds: number;
  browserTimeoutMs: number;
  /** How long a fill waits for a browser to connect. */
  browserWaitMs: number;
  /** After a submit, how long the page is watched for the login outcome (docs/OUTCOME.md). */
  outcomeWaitMs: number;
  /** Test seam: a pause between the probe and the fill (lets a test navigate in between). */
  testFillDelayMs: number;
  confirmTimeoutMs: number;
  ratePerMinute: number;
}

/** The login outcome's default and largest wait after a submit (ms). */
export const DEFAULT_OUTCOME_WAIT_MS = 4_000;
export const MAX_OUTCOME_WAIT_MS = 30_000;

export function daemonOptionsFromEnv(env: NodeJS.ProcessEnv): DaemonOptions {
  const num = (v: string | undefined, d: number) => (v !== undefined && /^\d+(\.\d+)?$/.test(v) ? Number(v) : d);
  return { lingerSeconds: num(env.BLINDFILL_DAEMON_LINGER_S, 60), browserTimeoutMs: num(env.BLINDFILL_BROWSER_TIMEOUT_MS, 10_000),
    browserWaitMs: num(env.BLINDFILL_BROWSER_WAIT_MS, 5_000),
    outcomeWaitMs: Math.min(num(env.BLINDFILL_OUTCOME_WAIT_MS, DEFAULT_OUTCOME_WAIT_MS), MAX_OUTCOME_WAIT_MS),
    testFillDelayMs: num(env.BLINDFILL_TEST_FILL_DELAY_MS, 0),
    confirmTimeoutMs: num(env.BLINDFILL_CONFIRM_TIMEOUT_S, 60) * 1000,
    ratePerMinute: num(env.BLINDFILL_RATE_PER_MINUTE, 30),
  };
}

function log(msg: string): void {
  process.stderr.write(`${new Date().toISOString()} blindfill-daemon[${process.pid}] ${msg}\n`);
}

/**
 * Tell the process that started us (native-host/ipc/client.ts startDaemon) that the socket
 * listens: one byte on the fd it named, then close it, so it connects at once instead of
 * polling. Any other exit closes the fd too, which also wakes it.
 */
function signalReady(env: NodeJS.ProcessEnv): void {
  const v = env[READY_FD_ENV];
  delete env[READY_FD_ENV];
  // Tuning for this process only (process/bundles.ts DAEMON_ENV): not for the programs it starts.
  for (const k of Object.keys(DAEMON_ENV)) delete env[k];
  if (v === undefined || !/^\d{1,3}$/.test(v)) return;
  const fd = Number(v);
  try {
    fs.writeSync(fd, 'r');
  } catch {
    /* the starter is gone */
  }
  try {
    fs.closeSync(fd);
  } catch {
    /* already closed */
  }
}

export async function runDaemon(paths: Paths, opts: DaemonOptions): Promise<number> {
  for (const r of [ensurePrivateDir(paths.home), ensureRunDir(paths)]) {
    if (!r.ok) {
      log(`refusing to start: ${r.code}: ${r.message}`);
      return 1;
    }
  }
  if (!(await acquireInstance(paths))) {
    log('another daemon is running for this home; exiting');
    return 0;
  }

  const audit = new AuditLog(paths.home);
  const vault = new VaultState({
    paths,
    // The keychain's native addon (~2 MiB resident) loads only for a keychain-mode vault.
    keyStore: async () => (await import('../vault/keychain.js')).osKeyStore(),
    onKey: (key, vaultId, anchor) => audit.setKey(key, vaultId, anchor),
    auditAnchor: { current: (id) => audit.anchorFor(id), saved: (a) => audit.bind(a) },
  });
  const remotes = attachRemotes(vault, paths.home, remoteOptionsFromEnv(process.env, log));
  const browsers = new BrowserRegistry();
  const clients = new Set<Connection>();
  const peers = new WeakMap<Connection, PeerState>();
  const accept = (sock: net.Socket, role: 'owner' | 'agent', prefix: string) => {
    const conn = new Connection(sock, dispatch, prefix);
    peers.set(conn, new PeerState(sock, role));
    clients.add(conn);
    conn.onClosed(() => {
      clients.delete(conn);
      armLinger();
    });
  };
  const agents = new AgentAccess(paths, (sock) => accept(sock, 'agent', 'a'), log);
  let server: net.Server | null = null;
  let stopping = false;

  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    log(`stopping: ${why}`);
    vault.lock();
    for (const c of clients) c.close();
    server?.close();
    agents.closeSocket();
    releaseInstance(paths);
    setTimeout(() => process.exit(0), 50).unref();
  };

  const autoLock = makeAutoLock(
    () => vault.isUnlocked,
    () => {
      vault.lock();
      auditor.append({ event: 'lock', detail: 'idle timeout' });
      log('locked after idle timeout');
      armLinger();
    },
    Date.now,
  );

  let lingerTimer: NodeJS.Timeout | undefined;
  const armLinger = () => {
    if (lingerTimer) clearTimeout(lingerTimer);
    lingerTimer = setTimeout(() => {
      // With agents allowed the daemon stays: an agent user cannot start the owner's daemon.
      if (!vault.isUnlocked && clients.size === 0 && agents.count === 0) stop('idle and locked');
      else armLinger();
    }, opts.lingerSeconds * 1000);
  };

  // An audit write that fails (disk full) is logged and retried by the log on the next
  // event; it never turns a finished operation into an error.
  const auditor = {
    append: (ev: Parameters<AuditLog['append']>[0]) => {
      try {
        audit.append(ev);
      } catch (e) {
        log(`audit append failed: ${(e as { code?: string }).code ?? (e as Error).message}`);
      }
    },
    verify: () => audit.verify(),
  };

  const ctx: DaemonContext = {
    paths,
    vault,
    audit: auditor,
    browsers,
    autoLock,
    now: Date.now,
    browserTimeoutMs: opts.browserTimeoutMs,
    browserWaitMs: opts.browserWaitMs,
    outcomeWaitMs: opts.outcomeWaitMs,
    uid: typeof process.getuid === 'function' ? process.getuid() : 0,
    program: process.argv[1] ?? '',
    agents,
    testFillDelayMs: opts.testFillDelayMs,
    confirmer: osConfirmer(process.env),
    confirmTimeoutMs: opts.confirmTimeoutMs,
    rateLimiter: new RateLimiter(opts.ratePerMinute),
    requestShutdown: () => setImmediate(() => stop('shutdown requested')),
    remotes,
  };
  const dispatch = makeDispatcher(ctx, (conn) => peers.get(conn) ?? new PeerState(null, 'agent'));

  server = net.createServer((sock) => accept(sock, 'owner', 'd'));
  await new Promise<void>((resolve, reject) => {
    server!.once('error', reject);
    const oldMask = process.umask(0o177);
    server!.listen(paths.socket, () => {
      process.umask(oldMask);
      resolve();
    });
  });
  fs.chmodSync(paths.socket, 0o600);
  server.on('error', (e) => log(`server error: ${(e as NodeJS.ErrnoException).code ?? 'unknown'}`));
  log(`listening on ${paths.socket}`);
  const agentSocket = await agents.listen();
  if (!agentSocket.ok) log(`agent socket not opened: ${agentSocket.code}: ${agentSocket.message}`);
  signalReady(process.env);
  armLinger();

  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => stop(sig));
  return await new Promise<number>(() => {
    /* runs until stop() exits the process */
  });
}
