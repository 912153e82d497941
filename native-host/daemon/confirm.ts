/**
 * Policy `confirm`: a person approves each use through an OS dialog — a channel the
 * agent's browser automation cannot click (not page DOM). The dialog names the label,
 * the action and the target; never a value. Outcomes map to DENIED / TIMEOUT.
 */
import { spawn } from 'node:child_process';
import type { DisplaySession } from '../../shared/ipc.js';
import { stripUnsafeChars } from '../../shared/window-entry.js';
import { dialogEnv } from '../desktop/display-session.js';

export type ConfirmOutcome = 'approved' | 'denied' | 'timeout' | 'unavailable';

export interface ConfirmQuestion {
  label: string;
  /** `settings`: a change asked for from the browser's settings page (re-authentication
   *  for a keychain vault, which has no passphrase to ask for). */
  action: 'fill' | 'type' | 'settings' | 'passkey';
  /** Origin or window title; for `settings`, what the change does. */
  target: string;
  /** For `type`: the program that owns the window (class, executable, pid). */
  program?: string;
}

/** Longest piece of attacker-influenced text (a title) shown in the dialog. */
const MAX_SHOWN = 200;

/**
 * A title or program as the person sees it: no control, bidirectional or zero-width
 * characters (a title could otherwise reorder or hide what the dialog says), cut short.
 */
export function shownText(s: string): string {
  const clean = stripUnsafeChars(s);
  const cps = Array.from(clean);
  return cps.length > MAX_SHOWN ? `${cps.slice(0, MAX_SHOWN).join('')}…` : clean;
}

export interface Confirmer {
  /**
   * `session`: the caller's display variables. The dialog is shown where the caller is
   * (as typing is), else on the daemon's own display. The handlers pass none for an
   * agent user, whose named display is not the owner's.
   */
  ask(q: ConfirmQuestion, timeoutMs: number, session?: DisplaySession): Promise<ConfirmOutcome>;
}

export function questionText(q: ConfirmQuestion): { title: string; text: string } {
  if (q.action === 'settings') {
    return { title: 'blindfill: approve a change', text: `The browser's blindfill settings page asks to ${q.target}.\n\nIf you did not just ask for this, an agent may be driving your browser: deny it.\n\nAllow this once?` };
  }
  const target = shownText(q.target);
  const what =
    q.action === 'fill'
      ? `fill "${q.label}" into ${target}`
      : q.action === 'passkey'
      ? `sign in to ${target} once with the passkey of "${q.label}"`
      : `type "${q.label}" into the window "${target}"${q.program !== undefined ? `\nof the program ${shownText(q.program)}` : ''}`;
  return { title: 'blindfill: approve a use', text: `An agent asks to ${what}.\n\nAllow this once?` };
}

interface Cmd {
  cmd: string;
  args: string[];
  /** exit code → outcome */
  outcome(code: number | null): ConfirmOutcome;
}

/** The dialog command for this platform, or null when there is no way to ask a person. */
export function dialogCommand(q: ConfirmQuestion, timeoutMs: number, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Cmd | null {
  const { title, text } = questionText(q);
  const seconds = Math.max(1, Math.round(timeoutMs / 1000));
  if (platform === 'linux' || platform === 'freebsd' || platform === 'openbsd') {
    if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null;
    return {
      cmd: 'zenity',
      args: ['--question', '--no-markup', `--title=${title}`, `--text=${text}`, '--ok-label=Allow', '--cancel-label=Deny', `--timeout=${seconds}`, '--width=420'],
      outcome: (c) => (c === 0 ? 'approved' : c === 5 ? 'timeout' : c === 1 ? 'denied' : 'unavailable'),
    };
  }
  if (platform === 'darwin') {
    const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
    const script = `display dialog "${esc(text)}" with title "${esc(title)}" buttons {"Deny", "Allow"} default button "Deny" giving up after ${seconds}\nif gave up of result then return "timeout"\nreturn button returned of result`;
    return {
      cmd: 'osascript',
      args: ['-e', script],
      outcome: (c) => (c === 0 ? 'approved' : 'denied'), // refined by stdout below
    };
  }
  if (platform === 'win32') {
    const ps = `Add-Type -AssemblyName PresentationFramework; $r=[System.Windows.MessageBox]::Show(${JSON.stringify(text)}, ${JSON.stringify(title)}, 'YesNo', 'Question'); if ($r -eq 'Yes') { exit 0 } else { exit 1 }`;
    return { cmd: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-Command', ps], outcome: (c) => (c === 0 ? 'approved' : 'denied') };
  }
  return null;
}

export function osConfirmer(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Confirmer {
  return {
    ask(q, timeoutMs, session) {
      const shownOn = dialogEnv(session, env);
      const c = dialogCommand(q, timeoutMs, shownOn, platform);
      if (c === null) return Promise.resolve('unavailable');
      return new Promise((resolve) => {
        let out = '';
        const child = spawn(c.cmd, c.args, { env: shownOn, stdio: ['ignore', 'pipe', 'ignore'] });
        child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
        // Belt and braces: the dialog's own timeout, then ours.
        const timer = setTimeout(() => {
          child.kill('SIGTERM');
          resolve('timeout');
        }, timeoutMs + 2000);
        child.on('error', () => {
          clearTimeout(timer);
          resolve('unavailable');
        });
        child.on('close', (code) => {
          clearTimeout(timer);
          if (platform === 'darwin') resolve(out.includes('timeout') ? 'timeout' : out.includes('Allow') ? 'approved' : 'denied');
          else resolve(c.outcome(code));
        });
      });
    },
  };
}
