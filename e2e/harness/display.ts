/**
 * A private X server for tests: Xvfb on a free display number, no window manager.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Xvfb {
  /** e.g. `:99` */
  readonly display: string;
  /** process.env with DISPLAY set (and WAYLAND_DISPLAY removed). */
  readonly env: NodeJS.ProcessEnv;
  readonly pid: number;
  stop(): Promise<void>;
}

export interface XvfbOptions {
  /** Default `1280x800x24`. */
  readonly screen?: string;
  /** First display number to try, default 99. */
  readonly first?: number;
  /** Milliseconds to wait for the server to answer `xdpyinfo`, default 10 s. */
  readonly timeoutMs?: number;
}

function xdpyinfoOk(display: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('xdpyinfo', ['-display', display], { timeout: 3000 }, (err) => resolve(!err));
  });
}

function displayTaken(n: number): boolean {
  return existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`);
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

async function tryDisplay(n: number, screen: string, timeoutMs: number): Promise<Xvfb | null> {
  const display = `:${n}`;
  const child = spawn('Xvfb', [display, '-screen', '0', screen, '-nolisten', 'tcp', '-noreset'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: false,
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 4096) stderr += d.toString();
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  child.once('error', () => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) return null; // display taken by someone else (lock race) or Xvfb failed
    if (await xdpyinfoOk(display)) {
      if (exited) return null;
      const env: NodeJS.ProcessEnv = { ...process.env, DISPLAY: display };
      delete env.WAYLAND_DISPLAY;
      let stopped: Promise<void> | null = null;
      return {
        display,
        env,
        pid: child.pid ?? -1,
        stop: () =>
          (stopped ??= (async () => {
            if (child.exitCode !== null || child.signalCode !== null) return;
            child.kill('SIGTERM');
            if (!(await waitExit(child, 3000))) {
              child.kill('SIGKILL');
              await waitExit(child, 3000);
            }
          })()),
      };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`Xvfb ${display} did not answer xdpyinfo within ${timeoutMs} ms: ${stderr.trim().slice(0, 500)}`);
}

/**
 * Start `Xvfb :N -screen 0 1280x800x24 -nolisten tcp` on the first free display number from
 * 99 up (skipping numbers with an /tmp/.X11-unix/XN socket or /tmp/.XN-lock file), and wait
 * until `xdpyinfo -display :N` succeeds.
 */
export async function startXvfb(opts: XvfbOptions = {}): Promise<Xvfb> {
  const screen = opts.screen ?? '1280x800x24';
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let n = opts.first ?? 99;
  for (let attempts = 0; attempts < 50; attempts++, n++) {
    if (displayTaken(n)) continue;
    const x = await tryDisplay(n, screen, timeoutMs);
    if (x) return x;
  }
  throw new Error('startXvfb: no free X display number found');
}
