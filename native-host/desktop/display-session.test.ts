import { describe, expect, it } from 'vitest';
import { DisplaySessionSchema } from '../../shared/ipc.js';
import { detectDisplay } from './desktop.js';
import { callerSession, displayEnv } from './display-session.js';

describe('callerSession', () => {
  it('takes only the display variables, and only those set', () => {
    const s = callerSession({ DISPLAY: ':5', XAUTHORITY: '/run/user/1000/gdm/Xauthority', HOME: '/home/me', PATH: '/bin', WAYLAND_DISPLAY: '' });
    expect(s).toEqual({ DISPLAY: ':5', XAUTHORITY: '/run/user/1000/gdm/Xauthority' });
    expect(DisplaySessionSchema.safeParse(s).success).toBe(true);
    expect(callerSession({})).toEqual({});
  });
});

describe('displayEnv', () => {
  const daemon = { DISPLAY: ':1', HOME: '/home/me' };
  it("uses the caller's display when it names one", () => {
    expect(detectDisplay(displayEnv({ DISPLAY: ':7' }, daemon), 'linux')).toEqual({ kind: 'x11', display: ':7' });
    expect(detectDisplay(displayEnv({ DISPLAY: ':7' }, {}), 'linux')).toEqual({ kind: 'x11', display: ':7' });
  });
  it("a caller in a Wayland session without Xwayland is refused, even if the daemon has a DISPLAY", () => {
    expect(detectDisplay(displayEnv({ WAYLAND_DISPLAY: 'wayland-0' }, daemon), 'linux').kind).toBe('unsupported');
  });
  it("falls back to the daemon's own environment when the caller names no display", () => {
    expect(displayEnv({}, daemon)).toBe(daemon);
    expect(displayEnv(undefined, daemon)).toBe(daemon);
    expect(displayEnv({ XAUTHORITY: '/x' }, daemon)).toBe(daemon);
    expect(detectDisplay(displayEnv({}, {}), 'linux').kind).toBe('unsupported');
  });
});
