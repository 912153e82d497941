/**
 * A private D-Bus session with an unlocked gnome-keyring (Secret Service), so tests can run
 * several commands (blindfill init --keychain, secret-tool, …) against the same keychain.
 *
 * The session gets its own XDG_DATA_HOME (where gnome-keyring keeps `keyrings/`) and
 * XDG_RUNTIME_DIR in a temp dir: nothing touches the real user's keyrings. Note that a
 * process run with `session.env` therefore has XDG_DATA_HOME pointing into that temp dir
 * (set BLINDFILL_HOME explicitly when it matters).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Written to the command's stdin, then stdin is closed (default: empty stdin). */
  readonly input?: string | Buffer;
  /** Extra variables on top of the session's env. */
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Kill the command after this long (default 30 s). */
  readonly timeoutMs?: number;
}

/** Run a command, collect its output. Never throws for a non-zero exit. */
export function runCommand(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...env, ...opts.env }, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => undefined); // the command may not read stdin
    child.stdin.end(opts.input ?? '');
  });
}

export interface KeyringSession {
  /** process.env plus DBUS_SESSION_BUS_ADDRESS, XDG_DATA_HOME, XDG_RUNTIME_DIR, GNOME_KEYRING_CONTROL. */
  readonly env: NodeJS.ProcessEnv;
  readonly busAddress: string;
  /** The temp dir holding data/ (keyrings) and run/. Removed by stop(). */
  readonly dir: string;
  /** Run a command inside the session. */
  run(cmd: string, args: readonly string[], opts?: RunOptions): Promise<RunResult>;
  stop(): Promise<void>;
}

export interface KeyringOptions {
  /** The login keyring's password (default `blindfill-test-keyring`). */
  readonly password?: string;
  /** Base environment (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Milliseconds to wait for org.freedesktop.secrets on the bus (default 10 s). */
  readonly timeoutMs?: number;
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  if (!(await waitExit(child, 3000))) {
    child.kill('SIGKILL');
    await waitExit(child, 3000);
  }
}

function readBusAddress(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error('dbus-daemon did not print its address')), timeoutMs);
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(buf.slice(0, nl).trim());
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dbus-daemon exited early (code ${code})`));
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/**
 * Start `dbus-daemon --session` and an unlocked `gnome-keyring-daemon --components=secrets`
 * on it; resolves once `org.freedesktop.secrets` is owned on the bus.
 */
export async function startKeyringSession(opts: KeyringOptions = {}): Promise<KeyringSession> {
  const base = opts.env ?? process.env;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const dir = await mkdtemp(join(tmpdir(), 'bf-keyring-'));
  const dataHome = join(dir, 'data');
  const runtimeDir = join(dir, 'run');
  await mkdir(dataHome, { mode: 0o700 });
  await mkdir(runtimeDir, { mode: 0o700 });
  const children: ChildProcess[] = [];
  const cleanup = async (): Promise<void> => {
    for (const c of children.reverse()) await killChild(c);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const envNoBus: NodeJS.ProcessEnv = { ...base, XDG_DATA_HOME: dataHome, XDG_RUNTIME_DIR: runtimeDir };
    delete envNoBus.DBUS_SESSION_BUS_ADDRESS;
    delete envNoBus.GNOME_KEYRING_CONTROL;
    const bus = spawn('dbus-daemon', ['--session', '--nofork', '--nopidfile', `--address=unix:path=${join(runtimeDir, 'bus')}`, '--print-address=1'], {
      env: envNoBus,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    children.push(bus);
    const busAddress = await readBusAddress(bus, timeoutMs);
    const env: NodeJS.ProcessEnv = {
      ...envNoBus,
      DBUS_SESSION_BUS_ADDRESS: busAddress,
      GNOME_KEYRING_CONTROL: join(runtimeDir, 'keyring'),
    };
    const gk = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
      env,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    children.push(gk);
    gk.stdin?.on('error', () => undefined);
    gk.stdin?.end(opts.password ?? 'blindfill-test-keyring');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (gk.exitCode !== null) throw new Error(`gnome-keyring-daemon exited (code ${gk.exitCode})`);
      const r = await runCommand(
        'dbus-send',
        ['--session', '--dest=org.freedesktop.DBus', '--print-reply', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', 'string:org.freedesktop.secrets'],
        env,
        { timeoutMs: 3000 },
      );
      if (r.code === 0 && /boolean true/.test(r.stdout)) break;
      if (Date.now() > deadline) throw new Error('org.freedesktop.secrets did not appear on the session bus');
      await new Promise((res) => setTimeout(res, 50));
    }
    let stopped: Promise<void> | null = null;
    return {
      env,
      busAddress,
      dir,
      run: (cmd, args, runOpts) => runCommand(cmd, args, env, runOpts),
      stop: () => (stopped ??= cleanup()),
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

/** One-shot: run a single command inside a fresh keyring session, then tear it down. */
export async function withKeyring(cmd: string, args: readonly string[], opts: RunOptions & KeyringOptions = {}): Promise<RunResult> {
  const session = await startKeyringSession(opts);
  try {
    return await session.run(cmd, args, opts);
  } finally {
    await session.stop();
  }
}
