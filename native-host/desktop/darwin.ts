/**
 * macOS: the frontmost application and its front window's title through System Events
 * (`osascript`, script on stdin), keys through robotjs (CGEventKeyboardSetUnicodeString,
 * so any character except control characters and Tab/Enter as keys).
 * Honest limits (not testable here): the window identity is the frontmost process id plus
 * the title re-check (System Events exposes no window id); each focus check spawns
 * osascript (~0.1 s a key); the caller needs Accessibility and Automation permission, and
 * robotjs fails silently without Accessibility (robotjs #424); Caps Lock is not detected.
 */
import { spawn } from 'node:child_process';
import { fail, ok, type Result } from '../../shared/errors.js';
import type { DesktopKeyboard, FocusedWindow, KeyStroke } from './desktop.js';
import type { WindowProgram } from './window-match.js';
import { isControl } from './keysym.js';
import { loadRobot, type Robot, robotTap } from './robot.js';

const SCRIPT = `tell application "System Events"
  set p to first application process whose frontmost is true
  set t to ""
  try
    set t to name of front window of p
  end try
  set b to ""
  try
    set b to bundle identifier of p
  end try
  return (unix id of p as text) & tab & b & tab & (name of p) & tab & t
end tell
`;

function osascript(script: string, timeoutMs = 5000): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn('osascript', [], { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.on('error', () => resolve(null));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? out.replace(/\r?\n$/, '') : null);
    });
    child.stdin.end(script);
  });
}

class DarwinKeyboard implements DesktopKeyboard {
  readonly describe = 'the macOS desktop';
  /** The program of each window id seen by `focused` (bundle id and process name come with it). */
  private readonly programs = new Map<string, WindowProgram>();
  constructor(private readonly robot: Robot) {}

  async focused(): Promise<FocusedWindow | null> {
    const out = await osascript(SCRIPT);
    if (out === null) return null;
    const [pid, bundle, name, ...rest] = out.split('\t');
    const title = rest.join('\t');
    if (pid === undefined || !/^\d+$/.test(pid) || title.length === 0) return null;
    const id = `pid:${pid}`;
    this.programs.set(id, { classes: [bundle ?? '', name ?? ''].filter((c) => c !== ''), pid: Number(pid) });
    return { id, title };
  }
  async program(win: FocusedWindow): Promise<WindowProgram> {
    return this.programs.get(win.id) ?? { classes: [] };
  }
  async keyboardStateAltered(): Promise<boolean> {
    return false;
  }
  async untypeable(strokes: readonly KeyStroke[]): Promise<number> {
    return strokes.filter((k) => k.kind === 'char' && (isControl(k.cp) || (k.cp >= 0xd800 && k.cp <= 0xdfff))).length;
  }
  async tap(k: KeyStroke): Promise<void> {
    robotTap(this.robot, k);
  }
  async close(): Promise<void> {}
}

export async function openDarwinKeyboard(): Promise<Result<DesktopKeyboard>> {
  const robot = await loadRobot();
  if (!robot) return fail('UNSUPPORTED_DISPLAY', 'robotjs could not be loaded, so keys cannot be sent on this Mac');
  if ((await osascript('return "ok"')) !== 'ok') return fail('UNSUPPORTED_DISPLAY', 'osascript is not available, so the focused window cannot be checked');
  return ok(new DarwinKeyboard(robot));
}
