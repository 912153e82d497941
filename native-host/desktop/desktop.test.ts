import { describe, expect, it } from 'vitest';
import { detectDisplay, openKeyboard } from './desktop.js';

describe('detectDisplay', () => {
  it.each([
    [{ DISPLAY: ':0' }, 'linux', 'x11'],
    [{ DISPLAY: ':1', WAYLAND_DISPLAY: 'wayland-0', XDG_SESSION_TYPE: 'wayland' }, 'linux', 'unsupported'], // Xwayland: refused
    [{ DISPLAY: ':1', XDG_SESSION_TYPE: 'wayland' }, 'linux', 'unsupported'],
    [{ DISPLAY: ':1', XDG_SESSION_TYPE: 'Wayland' }, 'linux', 'unsupported'],
    [{ DISPLAY: ':1', WAYLAND_DISPLAY: 'wayland-0' }, 'linux', 'unsupported'],
    [{ DISPLAY: ':1', XDG_SESSION_TYPE: 'x11' }, 'linux', 'x11'],
    [{ DISPLAY: ':1', WAYLAND_DISPLAY: '' }, 'linux', 'x11'],
    [{ WAYLAND_DISPLAY: 'wayland-0' }, 'linux', 'unsupported'],
    [{ XDG_SESSION_TYPE: 'wayland' }, 'linux', 'unsupported'],
    [{}, 'linux', 'unsupported'],
    [{ DISPLAY: '  ' }, 'linux', 'unsupported'],
    [{}, 'freebsd', 'unsupported'],
    [{ DISPLAY: ':0' }, 'freebsd', 'x11'],
    [{}, 'darwin', 'darwin'],
    [{}, 'win32', 'win32'],
  ] as const)('%j on %s → %s', (env, platform, kind) => {
    expect(detectDisplay(env, platform).kind).toBe(kind);
  });

  it('names Wayland when that is why, with or without Xwayland', () => {
    const d = detectDisplay({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux');
    expect(d.kind === 'unsupported' && d.why).toMatch(/Wayland/);
    const x = detectDisplay({ DISPLAY: ':0', XDG_SESSION_TYPE: 'wayland' }, 'linux');
    expect(x.kind === 'unsupported' && x.why).toMatch(/Xwayland/);
  });
});

describe('openKeyboard', () => {
  it('refuses with UNSUPPORTED_DISPLAY without a display', async () => {
    expect(await openKeyboard({}, 'linux')).toMatchObject({ ok: false, code: 'UNSUPPORTED_DISPLAY' });
    expect(await openKeyboard({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toMatchObject({ ok: false, code: 'UNSUPPORTED_DISPLAY' });
  });

  it('refuses with UNSUPPORTED_DISPLAY when the X display cannot be reached', async () => {
    const r = await openKeyboard({ DISPLAY: ':9876' }, 'linux');
    expect(r).toMatchObject({ ok: false, code: 'UNSUPPORTED_DISPLAY' });
    expect(!r.ok && r.message).toMatch(/:9876/);
  });
});
