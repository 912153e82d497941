/**
 * Test-side X11 helpers for the desktop suite (no window manager on Xvfb): find a mapped
 * top-level window by title, give it input focus (XSetInputFocus), count the key events
 * the server delivers to it, press a key with XTEST, and run zenity dialogs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import x11 from 'x11';

type Cb<T> = (err: unknown, v: T) => void;
// biome-ignore lint/suspicious/noExplicitAny: the x11 package ships no types; this file is its only user in tests
type Untyped = any;

export class XSession {
  private watchers = new Map<number, number>();
  private constructor(
    private readonly X: Untyped,
    private readonly root: number,
    private readonly atoms: { utf8: number; netName: number },
    private readonly xtest: Untyped,
    private readonly xinput: Untyped,
    private readonly keymap: number[][],
    private readonly minKeycode: number,
  ) {
    // XI2 events: GTK selects XI2 key events on its windows, and the server then delivers
    // no core KeyPress there; XI2 selections of several clients on one window all get them.
    X.on('event', (ev: { name?: string; wid?: number }) => {
      if (ev.name === 'XIKeyPress' && ev.wid !== undefined && this.watchers.has(ev.wid)) this.watchers.set(ev.wid, this.watchers.get(ev.wid)! + 1);
    });
  }

  static async open(display: string): Promise<XSession> {
    const xd: Untyped = await new Promise((resolve, reject) =>
      x11.createClient({ display, shm: false }, (err, d) => (err ? reject(err) : resolve(d))).on('error', () => undefined),
    );
    const X = xd.client;
    const call = <T>(f: (cb: Cb<T>) => void) => new Promise<T>((res, rej) => f((e, v) => (e ? rej(e) : res(v))));
    const utf8 = await call<number>((cb) => X.InternAtom(false, 'UTF8_STRING', cb));
    const netName = await call<number>((cb) => X.InternAtom(false, '_NET_WM_NAME', cb));
    const xtest = await call<Untyped>((cb) => X.require('xtest', cb));
    const xinput = await call<Untyped>((cb) => X.require('xinput', cb));
    const min = xd.min_keycode as number;
    const keymap = await call<number[][]>((cb) => X.GetKeyboardMapping(min, xd.max_keycode - min + 1, cb));
    return new XSession(X, xd.screen[0].root, { utf8, netName }, xtest, xinput, keymap, min);
  }

  private call<T>(f: (cb: Cb<T>) => void): Promise<T> {
    return new Promise<T>((res, rej) => f((e, v) => (e ? rej(e) : res(v))));
  }

  async titleOf(w: number): Promise<string | null> {
    const p = await this.call<{ type: number; data: Buffer }>((cb) => this.X.GetProperty(0, w, this.atoms.netName, this.atoms.utf8, 0, 1000, cb));
    if (p.type !== 0) return p.data.toString('utf8');
    const n = await this.call<{ type: number; data: Buffer }>((cb) => this.X.GetProperty(0, w, 39, 0, 0, 1000, cb));
    return n.type === 0 ? null : n.data.toString('latin1');
  }

  /** A viewable top-level window titled exactly `title` (waits for it to be mapped). */
  async findWindow(title: string, timeoutMs = 15_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const tree = await this.call<{ children: number[] }>((cb) => this.X.QueryTree(this.root, cb));
      for (const c of tree.children) {
        try {
          const attrs = await this.call<{ mapState: number }>((cb) => this.X.GetWindowAttributes(c, cb));
          if (attrs.mapState === 2 && (await this.titleOf(c)) === title) return c;
        } catch {
          /* gone meanwhile */
        }
      }
      await new Promise((r) => setTimeout(r, 30));
    }
    throw new Error(`no mapped window titled ${JSON.stringify(title)}`);
  }

  async focusedId(): Promise<number> {
    return (await this.call<{ focus: number }>((cb) => this.X.GetInputFocus(cb))).focus;
  }

  /** XSetInputFocus(w, RevertToParent) and wait until the server reports it. */
  async focus(w: number): Promise<void> {
    for (let i = 0; i < 100; i++) {
      this.X.SetInputFocus(w, 2);
      if ((await this.focusedId()) === w) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`could not focus window ${w}`);
  }

  /** Count the key presses the server delivers to `w` (XI2, all master devices) from now on. */
  async watchKeys(w: number): Promise<{ count: () => number }> {
    this.xinput.XISelectEvents(w, { deviceId: 1, mask: ['KeyPress'] });
    this.watchers.set(w, 0);
    await this.sync();
    return { count: () => this.watchers.get(w) ?? 0 };
  }

  /** Round trip: every event so far has been received. */
  async sync(): Promise<void> {
    await this.focusedId();
  }

  /** Press and release the plain key of `keysym` (Return 0xff0d, Escape 0xff1b) into whatever has focus. */
  async pressKey(keysym: number): Promise<void> {
    const i = this.keymap.findIndex((row) => row[0] === keysym);
    if (i < 0) throw new Error(`keysym ${keysym.toString(16)} not on the keymap`);
    this.xtest.FakeInput(this.xtest.KeyPress, this.minKeycode + i, 0, 0, 0, 0);
    this.xtest.FakeInput(this.xtest.KeyRelease, this.minKeycode + i, 0, 0, 0, 0);
    await this.sync();
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.X.close(() => resolve()));
  }
}

export const XK_RETURN = 0xff0d;
export const XK_ESCAPE = 0xff1b;
export const XK_TAB = 0xff09;

export interface Dialog {
  readonly child: ChildProcess;
  /** Resolves when zenity exits: its exit code and stdout. */
  readonly done: Promise<{ code: number | null; stdout: string }>;
  kill(): void;
}

const live = new Set<Dialog>();

/** Kill every dialog still open and wait until they are gone (after a test, so a failure leaves no window behind). */
export async function killDialogs(): Promise<void> {
  const all = [...live];
  live.clear();
  for (const d of all) d.kill();
  await Promise.all(all.map((d) => Promise.race([d.done, new Promise((r) => setTimeout(r, 3000))])));
}

/** zenity with these arguments on `display`. */
export function zenity(args: string[], display: string): Dialog {
  const child = spawn('zenity', args, { env: { ...process.env, DISPLAY: display, NO_AT_BRIDGE: '1', GTK_A11Y: 'none' }, stdio: ['ignore', 'pipe', 'ignore'] });
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  const done = new Promise<{ code: number | null; stdout: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout })));
  const d: Dialog = {
    child,
    done,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
  live.add(d);
  void done.then(() => live.delete(d));
  return d;
}

/** Open a dialog, wait for its window, give it focus. */
export async function openFocused(xs: XSession, display: string, args: string[], title: string): Promise<{ dialog: Dialog; win: number }> {
  const dialog = zenity([...args, '--title', title], display);
  const win = await xs.findWindow(title);
  await xs.focus(win);
  return { dialog, win };
}

/**
 * Focus a dialog and press Return (OK): resolves to what it printed. A username+password
 * dialog takes Return only in its password field: pass `tabFirst` to get there.
 */
export async function submitDialog(xs: XSession, d: { dialog: Dialog; win: number }, tabFirst = false): Promise<string> {
  await xs.focus(d.win);
  if (tabFirst) await xs.pressKey(XK_TAB);
  await xs.pressKey(XK_RETURN);
  const r = await Promise.race([d.dialog.done, new Promise<null>((r) => setTimeout(() => r(null), 5000))]);
  if (r === null) {
    d.dialog.kill();
    throw new Error('the dialog did not close on Return');
  }
  return r.stdout;
}
