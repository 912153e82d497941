/**
 * Window binding against spoofing, through the real CLI and daemon on Xvfb: a web page
 * titled "Acme VPN" in a real Chromium window gets nothing (a page sets its own title,
 * never its browser's WM_CLASS or executable) unless the credential names the browser; a
 * zenity dialog titled exactly "Acme VPN" is typed into; a title that merely contains the
 * entry is refused; a catastrophic-backtracking pattern cannot hang the daemon.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Home, initVault, makeHome, runBin } from '../core/cli.js';
import { launchChromium, type LaunchedChromium } from '../harness/browser.js';
import { assertNoSecret, makeCanary } from '../harness/canary.js';
import { startXvfb, type Xvfb } from '../harness/display.js';
import { killDialogs, openFocused, submitDialog, XSession } from './xwin.js';

let x: Xvfb;
let xs: XSession;
let home: Home;
const password = `${makeCanary()}-Pw!`;
const ENTRY = ['--entry', '--hide-text'];

beforeAll(async () => {
  x = await startXvfb();
  xs = await XSession.open(x.display);
  home = makeHome({ DISPLAY: x.display, BLINDFILL_RATE_PER_MINUTE: '1000' });
  await initVault(home);
  const r = await home.run(['add', '--json-stdin'], JSON.stringify([
    { label: 'vpn', password, windows: ['Acme VPN'] },
    { label: 'vpn-browser-title', password, windows: ['Acme VPN - Chromium'] },
    { label: 'vpn-prefix', password, windows: ['//^Acme VPN//'] },
    { label: 'vpn-named', password, windows: ['{class=chromium}Acme VPN - Chromium'] },
    { label: 'vpn-zenity', password, windows: ['{exe=zenity}Acme VPN'] },
    { label: 'vpn-zenity-prefix', password, windows: ['{exe=zenity}//^Acme VPN//'] },
    { label: 'vpn-catastrophic', password, windows: ['//^(a+)+$//'] },
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

describe('a web page titled like the credential', () => {
  let browser: LaunchedChromium;
  let win: number;
  beforeAll(async () => {
    browser = await launchChromium({ headless: false, env: x.env, viewport: { width: 800, height: 600 } });
    // Any origin can title its page "Acme VPN"; this one has a focused text box to catch keys.
    await browser.page.setContent('<title>Acme VPN</title><input id="catch" autofocus>');
    await browser.page.bringToFront(); // without a window manager Chromium takes keys only once activated
    await browser.page.focus('#catch');
    win = await xs.findWindow('Acme VPN - Chromium');
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function typeInto(label: string): Promise<{ stderr: string; stdout: string; keys: number; value: string }> {
    await xs.focus(win);
    const keys = await xs.watchKeys(win);
    const r = await home.run(['type', label, '--json']);
    await xs.sync();
    const value = await browser.page.inputValue('#catch');
    await browser.page.fill('#catch', '');
    return { stderr: r.stderr, stdout: r.stdout, keys: keys.count(), value };
  }

  it.each([
    ['vpn', /^error WINDOW_MISMATCH: the focused window "Acme VPN - Chromium" does not match the windows of "vpn"/],
    ['vpn-browser-title', /^error WINDOW_MISMATCH: .*it is a browser window \(chromium\)/],
    ['vpn-prefix', /^error WINDOW_MISMATCH: .*it is a browser window \(chromium\)/],
    ['vpn-zenity-prefix', /^error WINDOW_MISMATCH: .*its program, chromium[^,]*\/Chromium \(\/[^,]+, pid \d+\), is not the one/],
  ])('%s: WINDOW_MISMATCH, and the page received nothing', async (label, why) => {
    const r = await typeInto(label);
    expect(r.stderr).toMatch(why);
    expect(r.stdout).toBe('');
    expect(r.keys).toBe(0);
    expect(r.value === '', 'the page input is empty').toBe(true);
    assertNoSecret(`${r.stdout}${r.stderr}`, [password], 'CLI output');
  });

  it('a credential that names the browser explicitly is typed into it', async () => {
    const r = await typeInto('vpn-named');
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, label: 'vpn-named', window: 'Acme VPN - Chromium', field: 'password' });
    expect(r.keys).toBeGreaterThan(0);
    expect({ length: r.value.length, same: r.value === password }, 'the page input holds exactly the password').toEqual({ length: password.length, same: true });
  });

  it('audits the refusals by window, never a value', () => {
    const logs = home.readLogs();
    expect(logs).toMatch(/"event":"refusal","label":"vpn-browser-title","target":"Acme VPN - Chromium","code":"WINDOW_MISMATCH","caller":"cli","detail":"type"/);
    assertNoSecret(logs, [password], 'daemon log and audit log');
  });
});

describe('non-browser windows', () => {
  it('a zenity dialog titled exactly "Acme VPN" is typed into (plain entry and {exe=zenity})', async () => {
    for (const label of ['vpn', 'vpn-zenity']) {
      const d = await openFocused(xs, x.display, ENTRY, 'Acme VPN');
      const r = await home.run(['type', label, '--submit', '--json']);
      expect(r.stderr, label).toBe('');
      expect(JSON.parse(r.stdout)).toEqual({ ok: true, label, window: 'Acme VPN', field: 'password' });
      expect((await d.dialog.done).stdout === `${password}\n`, `${label}: the dialog got exactly the password`).toBe(true);
    }
  });

  it('a title that merely contains the entry ("Evil Acme VPN") is refused, nothing typed', async () => {
    const d = await openFocused(xs, x.display, ENTRY, 'Evil Acme VPN');
    const keys = await xs.watchKeys(d.win);
    const r = await home.run(['type', 'vpn']);
    expect(r.stderr).toMatch(/^error WINDOW_MISMATCH: the focused window "Evil Acme VPN" does not match the windows of "vpn"/);
    await xs.sync();
    expect(keys.count()).toBe(0);
    expect(await submitDialog(xs, d)).toBe('\n');
  });

  it('a title crafted against (a+)+$ does not hang the daemon: refused at once, and it still answers', async () => {
    const title = `${'a'.repeat(60)}!`;
    const d = await openFocused(xs, x.display, ENTRY, title);
    const t0 = performance.now();
    const r = await runBin(['type', 'vpn-catastrophic'], home.env, undefined, 20_000);
    expect(r.stderr).toMatch(/^error WINDOW_MISMATCH/);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect((await home.run(['list', '--json'])).code).toBe(0);
    d.dialog.kill();
  });
});

describe('add refuses entries it cannot match safely', () => {
  it.each([
    ['//(a)\\1//', /not a supported regular expression/],
    ['//(?=a)b//', /not a supported regular expression/],
    ['{klass=zenity}Acme VPN', /unknown window qualifier/],
    ['Acme\u202eNPV', /control, bidirectional/],
  ])('%j → INVALID_REQUEST', async (entry, why) => {
    const r = await home.run(['add', '--json-stdin'], JSON.stringify({ label: 'bad', password, windows: [entry] }));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error INVALID_REQUEST: bad: window entry /);
    expect(r.stderr).toMatch(why);
    assertNoSecret(r.stderr, [password], 'add error');
  });
});
