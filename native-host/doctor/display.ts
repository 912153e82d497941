/**
 * `blindfill doctor`: can a person be asked? Policy `confirm` credentials, and changes a
 * keychain vault's settings page asks for, wait for a person in a desktop dialog (zenity
 * on Linux). The dialog opens on the caller's display (the DISPLAY of the shell or MCP
 * server that asked), else on the daemon's own. Nothing here reads a secret.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Check } from './checks.js';

export interface DisplayProbe {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** Whether the daemon's own environment names a display (undefined: unknown). */
  daemonDisplay: boolean | undefined;
  /** Whether anything needs a person's approval: a confirm credential or a keychain vault (undefined: vault locked). */
  needed: boolean | undefined;
}

/** Why this environment's display cannot be reached, or null when it can. */
export function displayProblem(env: NodeJS.ProcessEnv): string | null {
  const wayland = env.WAYLAND_DISPLAY ?? '';
  if (wayland !== '') {
    const sock = path.isAbsolute(wayland) ? wayland : path.join(env.XDG_RUNTIME_DIR ?? '', wayland);
    return fs.existsSync(sock) ? null : `WAYLAND_DISPLAY=${wayland} names no socket (${sock})`;
  }
  const d = (env.DISPLAY ?? '').trim();
  if (d === '') return 'no DISPLAY or WAYLAND_DISPLAY in this environment';
  const local = /^(?:unix)?:(\d+)(?:\.\d+)?$/.exec(d);
  if (local === null) return null; // a remote or TCP display: named, not checked
  return fs.existsSync(`/tmp/.X11-unix/X${local[1]}`) ? null : `DISPLAY=${d}: no X server listens there (/tmp/.X11-unix/X${local[1]} is missing)`;
}

function onPath(env: NodeJS.ProcessEnv, name: string): boolean {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    try {
      fs.accessSync(path.join(dir, name), fs.constants.X_OK);
      return true;
    } catch {
      /* next */
    }
  }
  return false;
}

export function confirmDisplayCheck(p: DisplayProbe): Check {
  const id = 'confirm-display';
  const title = 'confirmations';
  if (p.platform !== 'linux' && p.platform !== 'freebsd' && p.platform !== 'openbsd') {
    return { id, title, status: 'ok', message: p.platform === 'darwin' ? 'asked with osascript dialogs' : 'asked with a PowerShell message box' };
  }
  const here = displayProblem(p.env);
  const problems: string[] = [];
  const fixes: string[] = [];
  if (here !== null && p.daemonDisplay !== true) {
    problems.push(`no display can be reached for confirmations (${here}; the daemon has ${p.daemonDisplay === false ? 'none either' : 'no known one'})`);
    fixes.push('run blindfill from your desktop session (its DISPLAY goes with each fill and type), or `blindfill daemon restart` there');
  }
  if (!onPath(p.env, 'zenity')) {
    problems.push('zenity (the dialog program) is not on PATH');
    fixes.push('install zenity (apt install zenity)');
  }
  const what = 'credentials with policy confirm (and, for a keychain vault, changes from the settings page) are refused: DENIED';
  if (problems.length === 0) {
    return { id, title, status: 'ok', message: here === null ? `asked on ${p.env.WAYLAND_DISPLAY ? `WAYLAND_DISPLAY=${p.env.WAYLAND_DISPLAY}` : `DISPLAY=${p.env.DISPLAY}`} for calls from this shell` : "asked on the daemon's display (this shell names none)" };
  }
  const fix = fixes.join('; ');
  return { id, title, status: p.needed === false ? 'ok' : 'warn', message: `${problems.join('; ')}: ${what}${p.needed === false ? ' (none needs it now)' : ''}`, fix };
}
