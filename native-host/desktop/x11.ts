/**
 * X11 keyboard through the pure-JS `x11` client: one connection for everything, so the
 * server handles the focus check and the key events in the order we send them.
 *
 * - Focus: XGetInputFocus, then up the tree (QueryTree) to the first window that carries
 *   _NET_WM_NAME or WM_NAME. No window manager needed; `None` and `PointerRoot` focus
 *   (focus follows the mouse, what a bare X server starts with) count as "no window".
 * - Layout: the core keyboard mapping (GetKeyboardMapping). A keysym is typeable when it
 *   is in column 0 (plain) or column 1 (Shift) of group 1 of some keycode that is not a
 *   modifier key. Nothing is remapped: a character without a key is refused (UNTYPEABLE).
 * - Keys: XTEST FakeInput press/release of exactly that keycode (with Shift_L held for
 *   column 1), then a round trip so the server has delivered them before the next check.
 * - A MappingNotify whose keymap differs from the pre-flight's (layout or modifiers
 *   changed) stops the typing before the next key.
 */
import { readlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import x11 from 'x11';
import { ExpectedError, fail, ok, type Result } from '../../shared/errors.js';
import type { DesktopKeyboard, FocusedWindow, KeyStroke } from './desktop.js';
import type { WindowProgram } from './window-match.js';
import { keysymsFor, XK_NUM_LOCK, XK_RETURN, XK_SHIFT_L, XK_SHIFT_R, XK_TAB } from './keysym.js';

/** The few requests of the x11 package's client used here (it ships no types). */
interface XClient {
  GetInputFocus(cb: (err: unknown, r: { focus: number; revertTo: number }) => void): void;
  QueryTree(w: number, cb: (err: unknown, r: { root: number; parent: number; children: number[] }) => void): void;
  GetProperty(del: number, w: number, prop: number, type: number, offset: number, length: number, cb: (err: unknown, r: { type: number; data: Buffer }) => void): void;
  InternAtom(onlyIfExists: boolean, name: string, cb: (err: unknown, atom: number) => void): void;
  GetKeyboardMapping(first: number, count: number, cb: (err: unknown, rows: number[][]) => void): void;
  GetModifierMapping(cb: (err: unknown, mods: number[][]) => void): void;
  QueryPointer(w: number, cb: (err: unknown, r: { keyMask: number }) => void): void;
  require(ext: 'xtest', cb: (err: unknown, ext: XTest) => void): void;
  close(cb?: (err?: unknown) => void): void;
  terminate(): void;
  on(event: 'error' | 'end' | 'event', cb: (arg: never) => void): void;
}
interface XTest {
  KeyPress: number;
  KeyRelease: number;
  FakeInput(type: number, keycode: number, time: number, wid: number, x: number, y: number): void;
}
interface XDisplay {
  client: XClient;
  min_keycode: number;
  max_keycode: number;
  screen: Array<{ root: number }>;
}

const REQUEST_TIMEOUT_MS = 5000;
const CONNECT_TIMEOUT_MS = 5000;
const WM_NAME = 39; // predefined atom
const STRING = 31; // predefined atom
const CARDINAL = 6; // predefined atom
const WM_CLIENT_MACHINE = 36; // predefined atom
const WM_CLASS = 67; // predefined atom
const ANY_PROPERTY_TYPE = 0;
/** Title bytes read at most (in 4-byte units). */
const TITLE_LONGS = 1024;
const MAX_TREE_DEPTH = 64;

interface KeyChoice {
  keycode: number;
  shift: boolean;
}

class X11Keyboard implements DesktopKeyboard {
  readonly describe: string;
  private gone = false;
  /** A MappingNotify arrived: compare the keymap again before the next key. */
  private mappingDirty = false;
  /** The keymap really differs from the one the pre-flight used: stop. */
  private mappingChanged = false;
  private mapSignature = '';
  private keys = new Map<number, KeyChoice>();
  private shiftKeycode = 0;
  private numLockBit = 0;
  private utf8Atom = 0;
  private netWmNameAtom = 0;
  private netWmPidAtom = 0;

  constructor(
    private readonly X: XClient,
    private readonly xd: XDisplay,
    private readonly xtest: XTest,
    display: string,
  ) {
    this.describe = `X11 display ${display}`;
    X.on('end', () => {
      this.gone = true;
    });
    X.on('event', (ev: { name?: string; request?: number }) => {
      // request 0 = modifiers, 1 = keyboard; 2 (pointer buttons) does not concern us.
      // The server also sends one when the XTEST device becomes the keyboard's source,
      // with the same keymap: only a real difference counts.
      if (ev.name === 'MappingNotify' && ev.request !== 2) this.mappingDirty = true;
    });
  }

  /** One request with a reply, as a promise with a deadline. */
  private call<T>(send: (cb: (err: unknown, v: T) => void) => void, what: string): Promise<T> {
    if (this.gone) return Promise.reject(new ExpectedError('UNSUPPORTED_DISPLAY', `${this.describe} went away`));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new ExpectedError('TIMEOUT', `${this.describe} did not answer ${what} within ${REQUEST_TIMEOUT_MS / 1000} s`)), REQUEST_TIMEOUT_MS);
      try {
        send((err, v) => {
          clearTimeout(timer);
          if (err) reject(err instanceof Error ? err : new Error(`X error in ${what}`));
          else resolve(v);
          return true; // tells the x11 client the error was handled
        });
      } catch (e) {
        clearTimeout(timer);
        reject(e);
      }
    });
  }

  async init(): Promise<void> {
    const X = this.X;
    this.utf8Atom = await this.call<number>((cb) => X.InternAtom(false, 'UTF8_STRING', cb), 'InternAtom');
    this.netWmNameAtom = await this.call<number>((cb) => X.InternAtom(false, '_NET_WM_NAME', cb), 'InternAtom');
    this.netWmPidAtom = await this.call<number>((cb) => X.InternAtom(false, '_NET_WM_PID', cb), 'InternAtom');
    await this.loadKeymap();
  }

  private async fetchKeymap(): Promise<{ rows: number[][]; mods: number[][]; signature: string }> {
    const X = this.X;
    const min = this.xd.min_keycode;
    const count = this.xd.max_keycode - min + 1;
    this.mappingDirty = false;
    const rows = await this.call<number[][]>((cb) => X.GetKeyboardMapping(min, count, cb), 'GetKeyboardMapping');
    const mods = await this.call<number[][]>((cb) => X.GetModifierMapping(cb), 'GetModifierMapping');
    return { rows, mods, signature: JSON.stringify([rows, mods]) };
  }

  /** After a MappingNotify: is the keymap still the one the pre-flight checked? */
  private async recheckKeymap(): Promise<void> {
    if (!this.mappingDirty || this.mappingChanged) return;
    const { signature } = await this.fetchKeymap();
    if (signature !== this.mapSignature) this.mappingChanged = true;
  }

  private async loadKeymap(): Promise<void> {
    const min = this.xd.min_keycode;
    const { rows, mods, signature } = await this.fetchKeymap();
    this.mapSignature = signature;
    const modifierKeycodes = new Set<number>();
    for (const list of mods) for (const kc of list) if (kc !== 0) modifierKeycodes.add(kc);

    // Column-major, like XKeysymToKeycode: a plain key anywhere beats a shifted one.
    const keys = new Map<number, KeyChoice>();
    for (const col of [0, 1]) {
      for (let i = 0; i < rows.length; i++) {
        const keycode = min + i;
        const sym = rows[i]?.[col] ?? 0;
        if (sym === 0 || modifierKeycodes.has(keycode) || keys.has(sym)) continue;
        keys.set(sym, { keycode, shift: col === 1 });
      }
    }
    // Shift: a keycode whose plain keysym is Shift_L/Shift_R and that is in the Shift modifier row.
    const shiftRow = mods[0] ?? [];
    this.shiftKeycode = 0;
    for (const wanted of [XK_SHIFT_L, XK_SHIFT_R]) {
      const kc = shiftRow.find((k) => k !== 0 && rows[k - min]?.[0] === wanted);
      if (kc) {
        this.shiftKeycode = kc;
        break;
      }
    }
    if (this.shiftKeycode === 0) for (const [sym, c] of keys) if (c.shift) keys.delete(sym);
    // Num Lock does not change the keys we press (we never use the keypad).
    this.numLockBit = 0;
    mods.forEach((list, modIndex) => {
      if (list.some((kc) => kc !== 0 && rows[kc - min]?.some((s) => s === XK_NUM_LOCK))) this.numLockBit |= 1 << modIndex;
    });
    this.keys = keys;
  }

  private async titleOf(w: number): Promise<string | null> {
    const X = this.X;
    const net = await this.call<{ type: number; data: Buffer }>(
      (cb) => X.GetProperty(0, w, this.netWmNameAtom, this.utf8Atom, 0, TITLE_LONGS, cb),
      'GetProperty',
    );
    if (net.type !== 0) return net.data.toString('utf8');
    const name = await this.call<{ type: number; data: Buffer }>((cb) => X.GetProperty(0, w, WM_NAME, ANY_PROPERTY_TYPE, 0, TITLE_LONGS, cb), 'GetProperty');
    if (name.type === 0) return null;
    // STRING is Latin-1; UTF8_STRING is UTF-8; COMPOUND_TEXT is read as Latin-1 (close enough for ASCII titles).
    return name.type === this.utf8Atom ? name.data.toString('utf8') : name.type === STRING ? name.data.toString('latin1') : name.data.toString('latin1');
  }

  async focused(): Promise<FocusedWindow | null> {
    const X = this.X;
    const { focus } = await this.call<{ focus: number; revertTo: number }>((cb) => X.GetInputFocus(cb), 'GetInputFocus');
    if (focus === 0 || focus === 1) return null; // None, PointerRoot
    let w = focus;
    try {
      for (let depth = 0; depth < MAX_TREE_DEPTH; depth++) {
        const title = await this.titleOf(w);
        if (title !== null) return { id: String(w), title };
        const tree = await this.call<{ root: number; parent: number; children: number[] }>((cb) => X.QueryTree(w, cb), 'QueryTree');
        if (tree.parent === 0 || w === tree.root) return null;
        w = tree.parent;
      }
    } catch (e) {
      if (e instanceof ExpectedError) throw e;
      return null; // BadWindow: the window went away while we looked at it
    }
    return null;
  }

  /**
   * The program behind the titled window: WM_CLASS (instance and class), and through
   * _NET_WM_PID the executable (/proc/PID/exe) when WM_CLIENT_MACHINE says the client runs
   * on this machine (a pid from elsewhere would name some other local process). A web
   * page can set its title but none of these.
   */
  async program(win: FocusedWindow): Promise<WindowProgram> {
    const X = this.X;
    const w = Number(win.id);
    const prop = (atom: number, type: number, longs: number) =>
      this.call<{ type: number; data: Buffer }>((cb) => X.GetProperty(0, w, atom, type, 0, longs, cb), 'GetProperty');
    try {
      const cls = await prop(WM_CLASS, STRING, 256);
      const classes = cls.type === 0 ? [] : cls.data.toString('latin1').split('\0').filter((c) => c.length > 0).slice(0, 2);
      const pidProp = await prop(this.netWmPidAtom, CARDINAL, 1);
      const pid = pidProp.type !== 0 && pidProp.data.length >= 4 ? pidProp.data.readUInt32LE(0) : 0;
      const machine = await prop(WM_CLIENT_MACHINE, ANY_PROPERTY_TYPE, 64);
      const local = machine.type === 0 || machine.data.toString('latin1').replace(/\0+$/, '') === hostname();
      const p: { classes: string[]; pid?: number; exe?: string } = { classes };
      if (pid > 0 && local) {
        p.pid = pid;
        try {
          p.exe = (await readlink(`/proc/${pid}/exe`)).replace(/ \(deleted\)$/, '');
        } catch {
          /* another user's process, or gone: the executable stays unknown */
        }
      }
      return p;
    } catch (e) {
      if (e instanceof ExpectedError) throw e;
      return { classes: [] }; // BadWindow: gone meanwhile
    }
  }

  async keyboardStateAltered(): Promise<boolean> {
    await this.recheckKeymap();
    if (this.mappingChanged) return true;
    const X = this.X;
    const root = this.xd.screen[0]!.root;
    const { keyMask } = await this.call<{ keyMask: number }>((cb) => X.QueryPointer(root, cb), 'QueryPointer');
    const modifiers = keyMask & 0xff & ~this.numLockBit; // Shift Lock Control Mod1..Mod5
    const group = keyMask & 0x6000; // XKB group other than the first
    return modifiers !== 0 || group !== 0;
  }

  private choose(k: KeyStroke): KeyChoice | undefined {
    if (k.kind === 'tab') return this.keys.get(XK_TAB);
    if (k.kind === 'enter') return this.keys.get(XK_RETURN);
    for (const sym of keysymsFor(k.cp)) {
      const c = this.keys.get(sym);
      if (c) return c;
    }
    return undefined;
  }

  async untypeable(strokes: readonly KeyStroke[]): Promise<number> {
    let n = 0;
    for (const k of strokes) if (!this.choose(k)) n++;
    return n;
  }

  async tap(k: KeyStroke): Promise<void> {
    await this.recheckKeymap();
    if (this.mappingChanged) throw new ExpectedError('UNTYPEABLE', 'the keyboard layout changed while typing; stopped');
    const c = this.choose(k);
    if (!c) throw new ExpectedError('UNTYPEABLE', 'a character cannot be typed on the current keyboard layout');
    const t = this.xtest;
    if (c.shift) t.FakeInput(t.KeyPress, this.shiftKeycode, 0, 0, 0, 0);
    t.FakeInput(t.KeyPress, c.keycode, 0, 0, 0, 0);
    t.FakeInput(t.KeyRelease, c.keycode, 0, 0, 0, 0);
    if (c.shift) t.FakeInput(t.KeyRelease, this.shiftKeycode, 0, 0, 0, 0);
    // Round trip: the server has processed (and delivered) these events before we go on.
    await this.call<{ focus: number }>((cb) => this.X.GetInputFocus(cb), 'GetInputFocus');
  }

  async close(): Promise<void> {
    if (this.gone) return;
    this.gone = true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        try {
          this.X.terminate();
        } catch {
          /* already closed */
        }
        resolve();
      }, 1000);
      try {
        this.X.close(() => {
          clearTimeout(timer);
          resolve();
        });
      } catch {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}

/**
 * Connect to `display`, or UNSUPPORTED_DISPLAY. `xauthority` is the cookie file of the
 * environment the display came from (undefined: the default ~/.Xauthority); the x11
 * package reads it from process.env during the handshake, so it is set there for the
 * connection only (one `type` runs at a time) and restored after.
 */
export async function openX11Keyboard(display: string, xauthority?: string): Promise<Result<X11Keyboard>> {
  let client: XClient | null = null;
  const savedAuth = process.env.XAUTHORITY;
  if (xauthority === undefined) delete process.env.XAUTHORITY;
  else process.env.XAUTHORITY = xauthority;
  const connected = await new Promise<Result<XDisplay>>((resolve) => {
    const timer = setTimeout(() => resolve(fail('UNSUPPORTED_DISPLAY', `cannot connect to X display ${display}: no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS);
    try {
      const c = x11.createClient({ display, shm: false }, (err, d) => {
        clearTimeout(timer);
        if (err || !d) resolve(fail('UNSUPPORTED_DISPLAY', `cannot connect to X display ${display}: ${err?.message ?? 'no display'}`));
        else resolve(ok(d as XDisplay));
      });
      // An 'error' with no listener would throw out of the event loop.
      c.on('error', () => undefined);
      client = c as unknown as XClient;
    } catch (e) {
      clearTimeout(timer);
      resolve(fail('UNSUPPORTED_DISPLAY', `cannot connect to X display ${display}: ${(e as Error).message}`));
    }
  });
  if (savedAuth === undefined) delete process.env.XAUTHORITY;
  else process.env.XAUTHORITY = savedAuth;
  if (!connected.ok) {
    try {
      (client as XClient | null)?.terminate();
    } catch {
      /* never connected */
    }
    return connected;
  }
  const xd = connected.value;
  const X = xd.client;
  const xtest = await new Promise<XTest | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), REQUEST_TIMEOUT_MS);
    try {
      X.require('xtest', (err, ext) => {
        clearTimeout(timer);
        resolve(err ? null : ext);
      });
    } catch {
      clearTimeout(timer);
      resolve(null);
    }
  });
  const kb = xtest ? new X11Keyboard(X, xd, xtest, display) : null;
  if (!kb) {
    try {
      X.terminate();
    } catch {
      /* closed */
    }
    return fail('UNSUPPORTED_DISPLAY', `X display ${display} has no XTEST extension, so keys cannot be sent`);
  }
  try {
    await kb.init();
  } catch (e) {
    await kb.close();
    if (e instanceof ExpectedError) return e.toFailure();
    return fail('UNSUPPORTED_DISPLAY', `X display ${display}: ${(e as Error).message}`);
  }
  return ok(kb);
}
