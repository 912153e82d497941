/**
 * Windows: the foreground window (GetForegroundWindow, GetWindowTextW) from one long-lived
 * PowerShell helper that reads commands on stdin (no argument ever carries anything but
 * the helper's fixed flags), keys through robotjs (SendInput with KEYEVENTF_UNICODE: any
 * BMP character; characters past U+FFFF are refused). Caps Lock is read with GetKeyState.
 * Not testable here; kept small.
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { fail, ok, type Result } from '../../shared/errors.js';
import type { DesktopKeyboard, FocusedWindow, KeyStroke } from './desktop.js';
import type { WindowProgram } from './window-match.js';
import { isControl } from './keysym.js';
import { loadRobot, type Robot, robotTap } from './robot.js';

type Helper = ChildProcessByStdio<Writable, Readable, null>;

const PRELUDE = `$ErrorActionPreference = 'Stop'
[Console]::OutputEncoding = [Text.Encoding]::UTF8
Add-Type -TypeDefinition @"
using System; using System.Text; using System.Runtime.InteropServices;
public static class BfWin {
  [DllImport("user32.dll")] static extern IntPtr GetForegroundWindow();
  [DllImport("user32.dll", CharSet = CharSet.Unicode)] static extern int GetWindowTextW(IntPtr h, StringBuilder s, int n);
  [DllImport("user32.dll")] static extern short GetKeyState(int vk);
  [DllImport("user32.dll")] static extern uint GetWindowThreadProcessId(IntPtr h, out uint pid);
  public static string Prog(long hv) {
    uint pid;
    GetWindowThreadProcessId(new IntPtr(hv), out pid);
    string exe = "";
    try { exe = System.Diagnostics.Process.GetProcessById((int)pid).MainModule.FileName; } catch {}
    return pid.ToString() + "\t" + exe;
  }
  public static string Focus() {
    IntPtr h = GetForegroundWindow();
    if (h == IntPtr.Zero) return "0\\t";
    StringBuilder sb = new StringBuilder(1024);
    GetWindowTextW(h, sb, 1024);
    return h.ToInt64().ToString() + "\\t" + sb.ToString().Replace("\\r", " ").Replace("\\n", " ");
  }
  public static string Mods() {
    bool caps = (GetKeyState(0x14) & 1) != 0;
    bool held = (GetKeyState(0x10) & 0x8000) != 0 || (GetKeyState(0x11) & 0x8000) != 0 || (GetKeyState(0x12) & 0x8000) != 0;
    return (caps || held) ? "1" : "0";
  }
}
"@
`;

class Win32Keyboard implements DesktopKeyboard {
  readonly describe = 'the Windows desktop';
  private buf = '';
  private waiting: ((line: string | null) => void)[] = [];

  constructor(
    private readonly ps: Helper,
    private readonly robot: Robot,
  ) {
    ps.stdout.on('data', (d: Buffer) => {
      this.buf += d.toString('utf8');
      for (let nl = this.buf.indexOf('\n'); nl >= 0; nl = this.buf.indexOf('\n')) {
        const line = this.buf.slice(0, nl).replace(/\r$/, '');
        this.buf = this.buf.slice(nl + 1);
        this.waiting.shift()?.(line);
      }
    });
    ps.on('close', () => {
      for (const w of this.waiting.splice(0)) w(null);
    });
  }

  query(expr: string): Promise<string | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), 5000);
      this.waiting.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
      this.ps.stdin.write(`[Console]::Out.WriteLine(${expr}); [Console]::Out.Flush()\n`);
    });
  }

  async focused(): Promise<FocusedWindow | null> {
    const line = await this.query('[BfWin]::Focus()');
    if (line === null) return null;
    const tab = line.indexOf('\t');
    const id = line.slice(0, tab);
    const title = line.slice(tab + 1);
    return tab > 0 && id !== '0' && title.length > 0 ? { id: `hwnd:${id}`, title } : null;
  }
  /** The owning process (GetWindowThreadProcessId) and its executable; elevated processes keep theirs unknown. */
  async program(win: FocusedWindow): Promise<WindowProgram> {
    const hwnd = win.id.replace(/^hwnd:/, '');
    if (!/^-?\d+$/.test(hwnd)) return { classes: [] };
    const line = await this.query(`[BfWin]::Prog(${hwnd})`);
    const [pid, exe] = (line ?? '').split('\t');
    const p: { classes: string[]; pid?: number; exe?: string } = { classes: [] };
    if (pid !== undefined && /^\d+$/.test(pid) && pid !== '0') p.pid = Number(pid);
    if (exe) p.exe = exe;
    return p;
  }
  async keyboardStateAltered(): Promise<boolean> {
    return (await this.query('[BfWin]::Mods()')) !== '0';
  }
  async untypeable(strokes: readonly KeyStroke[]): Promise<number> {
    return strokes.filter((k) => k.kind === 'char' && (isControl(k.cp) || k.cp > 0xffff || (k.cp >= 0xd800 && k.cp <= 0xdfff))).length;
  }
  async tap(k: KeyStroke): Promise<void> {
    robotTap(this.robot, k);
  }
  async close(): Promise<void> {
    this.ps.stdin.end();
    this.ps.kill();
  }
}

export async function openWin32Keyboard(): Promise<Result<DesktopKeyboard>> {
  const robot = await loadRobot();
  if (!robot) return fail('UNSUPPORTED_DISPLAY', 'robotjs could not be loaded, so keys cannot be sent on this Windows desktop');
  let ps: Helper;
  try {
    ps = spawn('powershell.exe', ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', '-'], { stdio: ['pipe', 'pipe', 'ignore'], windowsHide: true });
  } catch {
    return fail('UNSUPPORTED_DISPLAY', 'PowerShell is not available, so the foreground window cannot be checked');
  }
  ps.on('error', () => undefined);
  ps.stdin.write(PRELUDE);
  const kb = new Win32Keyboard(ps, robot);
  if ((await kb.query('"ok"')) !== 'ok') {
    await kb.close();
    return fail('UNSUPPORTED_DISPLAY', 'the PowerShell helper did not start, so the foreground window cannot be checked');
  }
  return ok(kb);
}
