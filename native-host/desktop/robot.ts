/**
 * robotjs (native addon, loaded only on macOS and Windows): the key presser there. On X11
 * blindfill sends XTEST events itself (x11.ts) so that the keycode pressed is the one the
 * layout pre-flight found, on the same connection as the focus check.
 */
import { ExpectedError } from '../../shared/errors.js';
import type { KeyStroke } from './desktop.js';

interface Robot {
  keyTap(key: string): void;
  typeString(s: string): void;
  setKeyboardDelay(ms: number): void;
}

export async function loadRobot(): Promise<Robot | null> {
  try {
    const m = (await import('robotjs')) as unknown as { default?: Robot } & Robot;
    const robot = m.default ?? m;
    robot.setKeyboardDelay(0);
    return robot;
  } catch {
    return null;
  }
}

/** One keystroke. The one-character string is unavoidable for robotjs and dropped at once. */
export function robotTap(robot: Robot, k: KeyStroke): void {
  if (k.kind === 'tab') robot.keyTap('tab');
  else if (k.kind === 'enter') robot.keyTap('enter');
  else if (k.cp < 0x20 || (k.cp >= 0x7f && k.cp <= 0x9f)) throw new ExpectedError('UNTYPEABLE', 'a control character is never typed');
  else robot.typeString(String.fromCodePoint(k.cp));
}

export type { Robot };
