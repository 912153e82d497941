/**
 * Desktop typing through the real CLI and daemon into real X windows (zenity on Xvfb, no
 * window manager): exact text 20 times in a row, window binding, focus moved mid-sequence,
 * characters off the layout, other layouts, Caps Lock, confirm policy, no secret in argv.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Home, initVault, makeHome } from '../core/cli.js';
import { assertNoSecret, makeCanary } from '../harness/canary.js';
import { startXvfb, type Xvfb } from '../harness/display.js';
import { sampleCmdlines } from '../harness/procs.js';
import { killDialogs, openFocused, submitDialog, XSession } from './xwin.js';

let x: Xvfb;
let xs: XSession;
let home: Home;

let ALL_ASCII = '';
for (let c = 0x20; c <= 0x7e; c++) ALL_ASCII += String.fromCharCode(c);
const password = `${makeCanary()}${ALL_ASCII}`;
const username = 'alice.vpn@example.test';
const LOGIN = ['--password', '--username'];
/** Key presses that typing `s` on a US layout delivers (Shift counts as one more press). */
const usKeyPresses = (s: string) => [...s].reduce((n, c) => n + (/[A-Z~!@#$%^&*()_+{}|:"<>?]/.test(c) ? 2 : 1), 0);
const ENTRY = ['--entry', '--hide-text'];

beforeAll(async () => {
  x = await startXvfb();
  xs = await XSession.open(x.display);
  home = makeHome({ DISPLAY: x.display, BLINDFILL_RATE_PER_MINUTE: '1000', BLINDFILL_CONFIRM_TIMEOUT_S: '5' });
  await initVault(home);
  const r = await home.run(['add', '--json-stdin'], JSON.stringify([
    { label: 'vpn', username, password, windows: ['Acme VPN'], sequence: '{USERNAME}{TAB}{PASSWORD}{ENTER}' },
    { label: 'vpn-plain', username, password, windows: ['//^Acme VPN$//'] },
    { label: 'vpn-slow', username, password, windows: ['acme vpn'], sequence: '{USERNAME}{DELAY 1000}{PASSWORD}{ENTER}' },
    { label: 'vpn-unicode', username, password: 'pé€Ж-secret', windows: ['Acme VPN'] },
    { label: 'vpn-confirm', username, password, windows: ['Acme VPN'], policy: 'confirm' },
  ]));
  if (r.code !== 0) throw new Error(r.stderr);
});
afterEach(async () => {
  await killDialogs();
  await xs.focus(1); // PointerRoot, as the server started
});
afterAll(async () => {
  await home?.stop();
  await xs?.close();
  await x?.stop();
});

describe('typing into a zenity login dialog', () => {
  it('20 runs in a row: exactly the username and a password with every printable ASCII character', async () => {
    const times: number[] = [];
    const argv: string[] = [];
    for (let run = 0; run < 20; run++) {
      const d = await openFocused(xs, x.display, LOGIN, 'Acme VPN');
      const t0 = performance.now();
      const typing = home.run(['type', 'vpn', '--json']);
      argv.push(...(await sampleCmdlines(typing, { intervalMs: 1 })));
      const r = await typing;
      times.push(performance.now() - t0);
      expect(r.stderr, `run ${run}`).toBe('');
      expect(JSON.parse(r.stdout), `run ${run}`).toEqual({ ok: true, label: 'vpn', window: 'Acme VPN', field: 'sequence' });
      const out = await d.dialog.done;
      expect(out.code, `run ${run}`).toBe(0);
      expect(out.stdout === `${username}|${password}\n`, `run ${run}: the dialog got exactly the username and password`).toBe(true);
    }
    assertNoSecret(argv.join('\n'), [password], 'process argv sampled while typing');
    const sorted = [...times].sort((a, b) => a - b);
    const chars = username.length + password.length + 2;
    process.stderr.write(
      `desktop typing: ${chars} keys per run, 20/20 exact; CLI round trip p50 ${sorted[10]!.toFixed(0)} ms, max ${sorted[19]!.toFixed(0)} ms\n`,
    );
  });

  it('--submit types the password and presses Enter (field defaults to password without a sequence)', async () => {
    const d = await openFocused(xs, x.display, ENTRY, 'Acme VPN');
    const r = await home.run(['type', 'vpn-plain', '--submit', '--json']);
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, label: 'vpn-plain', window: 'Acme VPN', field: 'password' });
    expect((await d.dialog.done).stdout === `${password}\n`).toBe(true);
  });

  it('audits the use by label, window and field, never a value', () => {
    const logs = home.readLogs();
    expect(logs).toMatch(/"event":"type","label":"vpn","target":"Acme VPN","caller":"cli","detail":"sequence"/);
    assertNoSecret(logs, [password, username], 'daemon log and audit log');
  });
});

describe("the caller's display", () => {
  it('a daemon first started without DISPLAY types on the display of the command that asks', async () => {
    const late = makeHome({ BLINDFILL_RATE_PER_MINUTE: '1000' }); // no DISPLAY for init: the daemon starts without one
    try {
      await initVault(late);
      expect((await late.run(['add', '--json-stdin'], JSON.stringify({ label: 'vpn', password, windows: ['Acme VPN'] }))).code).toBe(0);
      const d = await openFocused(xs, x.display, ENTRY, 'Acme VPN');
      // Without a display anywhere: refused, nothing typed.
      const none = await late.run(['type', 'vpn']);
      expect(none.stderr).toMatch(/^error UNSUPPORTED_DISPLAY/);
      // The same daemon, asked from a shell that has the display.
      const r = await late.run(['type', 'vpn', '--submit', '--json'], undefined, { DISPLAY: x.display });
      expect(JSON.parse(r.stdout)).toEqual({ ok: true, label: 'vpn', window: 'Acme VPN', field: 'password' });
      expect((await d.dialog.done).stdout === `${password}\n`, 'the dialog got exactly the password').toBe(true);
      assertNoSecret(`${none.stdout}${none.stderr}${r.stdout}${r.stderr}${late.readLogs()}`, [password], 'outputs and logs');
    } finally {
      await late.stop();
    }
  });
});

describe('window binding', () => {
  it('another window has focus: WINDOW_MISMATCH, and that window received nothing', async () => {
    const vpn = await openFocused(xs, x.display, LOGIN, 'Acme VPN');
    const notes = await openFocused(xs, x.display, ['--entry'], 'Notes');
    const keysNotes = await xs.watchKeys(notes.win);
    const keysVpn = await xs.watchKeys(vpn.win);
    const r = await home.run(['type', 'vpn']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error WINDOW_MISMATCH: the focused window "Notes" does not match the windows of "vpn"/);
    await xs.sync();
    expect(keysNotes.count()).toBe(0);
    expect(keysVpn.count()).toBe(0);
    expect(await submitDialog(xs, notes)).toBe('\n');
    expect(await submitDialog(xs, vpn, true)).toBe('|\n');
  });

  it('focus moved to another window mid-sequence: aborted at once, the other window received nothing', async () => {
    const vpn = await openFocused(xs, x.display, LOGIN, 'Acme VPN');
    const notes = await openFocused(xs, x.display, ['--entry'], 'Notes');
    await xs.focus(vpn.win);
    const keysVpn = await xs.watchKeys(vpn.win);
    const keysNotes = await xs.watchKeys(notes.win);
    const typing = home.run(['type', 'vpn-slow']);
    // The username is typed, then {DELAY 1000}: move focus as soon as it is all in.
    const deadline = Date.now() + 10_000;
    const usernameKeys = usKeyPresses(username);
    while (keysVpn.count() < usernameKeys && Date.now() < deadline) {
      await xs.sync();
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(keysVpn.count()).toBe(usernameKeys);
    await xs.focus(notes.win);
    const r = await typing;
    expect(r.stderr).toMatch(/^error WINDOW_MISMATCH: focus moved from "Acme VPN" to "Notes" while typing/);
    await xs.sync();
    expect(keysNotes.count()).toBe(0);
    expect(keysVpn.count()).toBe(usernameKeys);
    expect(await submitDialog(xs, notes)).toBe('\n');
    expect(await submitDialog(xs, vpn, true)).toBe(`${username}|\n`);
  });

  it('nothing focused (focus follows the pointer, as a bare X server starts): WINDOW_MISMATCH', async () => {
    const d = await openFocused(xs, x.display, LOGIN, 'Acme VPN');
    await xs.focus(1); // PointerRoot
    const r = await home.run(['type', 'vpn']);
    expect(r.stderr).toMatch(/^error WINDOW_MISMATCH: no window has keyboard focus/);
    d.dialog.kill();
  });
});

describe('keyboard layout', () => {
  it('é, Ж and € are not on the US layout: UNTYPEABLE, and the dialog got nothing', async () => {
    const d = await openFocused(xs, x.display, LOGIN, 'Acme VPN');
    const keys = await xs.watchKeys(d.win);
    const r = await home.run(['type', 'vpn-unicode', '--submit']);
    expect(r.stderr).toMatch(/^error UNTYPEABLE: the password of "vpn-unicode" has a character that the current keyboard layout .* cannot produce; nothing was typed/);
    expect(r.stderr).not.toMatch(/[é€Ж]|secret/);
    await xs.sync();
    expect(keys.count()).toBe(0);
    expect(await submitDialog(xs, d, true)).toBe('|\n');
  });

  it('on a layout that has them, non-ASCII characters are typed exactly (fr: é ç à, ru: Ж)', async () => {
    const env = { ...process.env, DISPLAY: x.display };
    try {
      for (const [layout, secret] of [
        ['fr', 'été-çà_ù'],
        ['ru', 'Жук-жук'],
      ] as const) {
        execFileSync('setxkbmap', [layout], { env });
        const label = `layout-${layout}`;
        await home.run(['add', '--json-stdin'], JSON.stringify({ label, password: secret, windows: ['Acme VPN'] }));
        const d = await openFocused(xs, x.display, ENTRY, 'Acme VPN');
        const r = await home.run(['type', label, '--submit']);
        expect(r.stderr, layout).toBe('');
        expect((await d.dialog.done).stdout, layout).toBe(`${secret}\n`);
      }
      // € is behind AltGr on fr: not plain or Shift, so refused, nothing typed.
      execFileSync('setxkbmap', ['fr'], { env });
      await home.run(['add', '--json-stdin'], JSON.stringify({ label: 'euro-fr', password: 'été€', windows: ['Acme VPN'] }));
      const d = await openFocused(xs, x.display, ENTRY, 'Acme VPN');
      const keys = await xs.watchKeys(d.win);
      const r = await home.run(['type', 'euro-fr', '--submit']);
      expect(r.stderr).toMatch(/^error UNTYPEABLE: /);
      await xs.sync();
      expect(keys.count()).toBe(0);
      d.dialog.kill();
    } finally {
      execFileSync('setxkbmap', ['us'], { env });
    }
  });

  it('the layout changes mid-sequence: stopped before the next key', async () => {
    const env = { ...process.env, DISPLAY: x.display };
    const d = await openFocused(xs, x.display, LOGIN, 'Acme VPN');
    const keys = await xs.watchKeys(d.win);
    try {
      const typing = home.run(['type', 'vpn-slow']);
      const deadline = Date.now() + 10_000;
      while (keys.count() < usKeyPresses(username) && Date.now() < deadline) {
        await xs.sync();
        await new Promise((r) => setTimeout(r, 5));
      }
      execFileSync('setxkbmap', ['de'], { env });
      const r = await typing;
      expect(r.stderr).toMatch(/^error UNTYPEABLE: Caps Lock, a modifier key or the keyboard layout changed while typing; stopped/);
      await xs.sync();
      expect(keys.count()).toBe(usKeyPresses(username));
    } finally {
      execFileSync('setxkbmap', ['us'], { env });
    }
  });

  it('Caps Lock on: UNTYPEABLE before the first key', async () => {
    const d = await openFocused(xs, x.display, LOGIN, 'Acme VPN');
    const keys = await xs.watchKeys(d.win);
    await xs.pressKey(0xffe5); // Caps_Lock on
    try {
      const r = await home.run(['type', 'vpn']);
      expect(r.stderr).toMatch(/^error UNTYPEABLE: Caps Lock/);
      await xs.sync();
      expect(keys.count()).toBe(1); // only our own Caps Lock press
    } finally {
      await xs.pressKey(0xffe5); // off again
    }
    expect(await submitDialog(xs, d, true)).toBe('|\n');
  });
});

describe('policy confirm', () => {
  async function answer(key: number, then?: number): Promise<void> {
    const w = await xs.findWindow('blindfill: approve a use');
    await xs.focus(w);
    await xs.pressKey(key);
    if (then !== undefined) await xs.focus(then);
  }

  it('approved, focus back on the window: typed', async () => {
    const d = await openFocused(xs, x.display, ENTRY, 'Acme VPN');
    const typing = home.run(['type', 'vpn-confirm', '--submit']);
    const answered = answer(0xff0d, d.win).catch((e: Error) => e);
    const r = await typing;
    expect(r.stderr).toBe('');
    expect(await answered).toBeUndefined();
    expect((await d.dialog.done).stdout === `${password}\n`).toBe(true);
  });

  it('denied: DENIED, nothing typed', async () => {
    const d = await openFocused(xs, x.display, ENTRY, 'Acme VPN');
    const keys = await xs.watchKeys(d.win);
    const typing = home.run(['type', 'vpn-confirm', '--submit']);
    const answered = answer(0xff1b, d.win).catch((e: Error) => e);
    const r = await typing;
    expect(r.stderr).toMatch(/^error DENIED: /);
    expect(await answered).toBeUndefined();
    await xs.sync();
    expect(keys.count()).toBe(0);
    expect(await submitDialog(xs, d)).toBe('\n');
  });
});
