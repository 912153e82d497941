/**
 * Whose display a `type` request types on. The daemon is started once, by whichever
 * command came first, and keeps that process's environment: a daemon first started from
 * a shell without DISPLAY (over SSH, by an agent's MCP server, before the desktop session)
 * could otherwise never type. So the CLI and the MCP server send their own display
 * variables with each `type`, and the daemon uses them when they name a display; without
 * them it falls back to its own. Any caller is the same OS user (the socket is 0700), and
 * typing still needs a focused window whose title matches the credential. Pure.
 */
import type { DisplaySession } from '../../shared/ipc.js';

const KEYS = ['DISPLAY', 'XAUTHORITY', 'WAYLAND_DISPLAY', 'XDG_SESSION_TYPE'] as const;

/** The display variables of a caller's environment (only those set and sane). */
export function callerSession(env: NodeJS.ProcessEnv): DisplaySession {
  const s: DisplaySession = {};
  for (const k of KEYS) {
    const v = env[k];
    if (typeof v === 'string' && v.length > 0 && v.length <= 4096 && !v.includes('\0')) s[k] = v;
  }
  return s;
}

/** The environment to find the display in: the caller's when it names one, else the daemon's. */
export function displayEnv(session: DisplaySession | undefined, own: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (session === undefined) return own;
  const names = (session.DISPLAY ?? '').trim() !== '' || (session.WAYLAND_DISPLAY ?? '') !== '' || session.XDG_SESSION_TYPE === 'wayland';
  return names ? { ...session } : own;
}

/**
 * The environment a dialog program (zenity) runs in to reach the caller's display: the
 * daemon's own (PATH, HOME, D-Bus) with the caller's display variables in place of its
 * own when the caller names a display; else the daemon's unchanged.
 */
export function dialogEnv(session: DisplaySession | undefined, own: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const shown = displayEnv(session, own);
  if (shown === own) return own;
  const env: NodeJS.ProcessEnv = { ...own };
  for (const k of KEYS) delete env[k];
  return { ...env, ...shown };
}

/** Whether an environment names a display a dialog could be shown on. */
export function namesDisplay(env: NodeJS.ProcessEnv): boolean {
  return (env.DISPLAY ?? '').trim() !== '' || (env.WAYLAND_DISPLAY ?? '') !== '';
}
