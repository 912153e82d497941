/**
 * The desktop keyboard behind one interface, one implementation per platform:
 * X11 (`x11.ts`, the pure-JS X11 client: XGetInputFocus, GetKeyboardMapping, XTEST),
 * macOS (`darwin.ts`) and Windows (`win32.ts`). A Wayland session (with or without
 * Xwayland) and a machine without a display get UNSUPPORTED_DISPLAY: blindfill never types
 * without knowing which window gets the keys.
 *
 * The display comes from the daemon's own environment (DISPLAY, WAYLAND_DISPLAY,
 * XDG_SESSION_TYPE), that is from whichever process first started the daemon: a daemon
 * started from a shell without DISPLAY cannot type until it is restarted from one with it.
 */
import { fail, type Result } from '../../shared/errors.js';
import type { WindowProgram } from './window-match.js';

export interface FocusedWindow {
  /** Stable identity while the window lives (X11: the window id, decimal). */
  readonly id: string;
  /** Its title; may name a site or document, never a secret of ours. */
  readonly title: string;
}

export type KeyStroke = { readonly kind: 'char'; readonly cp: number } | { readonly kind: 'tab' } | { readonly kind: 'enter' };

export interface DesktopKeyboard {
  /** e.g. `X11 display :99`; for messages. */
  readonly describe: string;
  /** The window with keyboard focus now; null when none (no focus, focus follows the pointer, no titled window). */
  focused(): Promise<FocusedWindow | null>;
  /** What owns `win` (X11: WM_CLASS, _NET_WM_PID → /proc/PID/exe); fields unknown are left out. */
  program(win: FocusedWindow): Promise<WindowProgram>;
  /** True when Caps Lock, a held modifier or another layout group would change what the keys produce. */
  keyboardStateAltered(): Promise<boolean>;
  /** Layout pre-flight: how many of these keystrokes the current layout cannot produce (never which). */
  untypeable(strokes: readonly KeyStroke[]): Promise<number>;
  /** Press and release one key; the caller re-checked focus just before. */
  tap(k: KeyStroke): Promise<void>;
  close(): Promise<void>;
}

export type DisplayKind =
  | { readonly kind: 'x11'; readonly display: string }
  | { readonly kind: 'darwin' }
  | { readonly kind: 'win32' }
  | { readonly kind: 'unsupported'; readonly why: string };

/** Which keyboard backend this environment allows. Pure. */
export function detectDisplay(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): DisplayKind {
  if (platform === 'darwin') return { kind: 'darwin' };
  if (platform === 'win32') return { kind: 'win32' };
  // Wayland first, even with DISPLAY set: Xwayland sees only X11 windows, reports an X11
  // window as focused while a native Wayland window really has the keyboard, and newer
  // Xwayland hands XTEST keys to the compositor (libei), which delivers them to whatever
  // it has focused. Neither the focus check nor the keys can be trusted there.
  if ((env.WAYLAND_DISPLAY ?? '').trim() !== '' || env.XDG_SESSION_TYPE?.trim().toLowerCase() === 'wayland') {
    return {
      kind: 'unsupported',
      why: 'the session is Wayland (WAYLAND_DISPLAY or XDG_SESSION_TYPE=wayland): Wayland does not let a program see which window has the keyboard, and under Xwayland the X11 focus is not where the keys go, so blindfill does not type there',
    };
  }
  const display = env.DISPLAY?.trim();
  if (display) return { kind: 'x11', display };
  return {
    kind: 'unsupported',
    why: 'no display: DISPLAY is set neither where blindfill was called from nor in the environment the daemon was started with',
  };
}

/** Open the keyboard of this environment, or UNSUPPORTED_DISPLAY. */
export async function openKeyboard(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Promise<Result<DesktopKeyboard>> {
  const d = detectDisplay(env, platform);
  switch (d.kind) {
    case 'unsupported':
      return fail('UNSUPPORTED_DISPLAY', d.why);
    case 'x11': {
      const { openX11Keyboard } = await import('./x11.js');
      return openX11Keyboard(d.display, env.XAUTHORITY);
    }
    case 'darwin': {
      const { openDarwinKeyboard } = await import('./darwin.js');
      return openDarwinKeyboard();
    }
    case 'win32': {
      const { openWin32Keyboard } = await import('./win32.js');
      return openWin32Keyboard();
    }
  }
}
