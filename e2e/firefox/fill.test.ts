/**
 * Issue #10: `blindfill fill` through real Firefox (Debian firefox-esr, headless, over
 * WebDriver BiDi), the same extension built as dist/firefox/, the native host registered
 * by `blindfill host install --browser firefox`, and the real daemon, against the fixture
 * sites that check the login server-side. The scenarios that run alike in Chromium
 * (e2e/browser/fill.test.ts) are in e2e/harness/fill-scenarios.ts.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from '../core/cli.js';
import { addCredentials, expectNothingFilled, resetServer } from '../harness/browser-stack.js';
import { defineSharedLogins, defineSharedRefusals, expectFillLogsClean, type FillEngine, fillAccount, fillCredentials, fillInCrossOriginFrame, loggedIn } from '../harness/fill-scenarios.js';
import { FIREFOX_ADDON_ID, type FirefoxStack, startFirefoxStack, waitForText } from './setup.js';

let s: FirefoxStack;
const account = fillAccount();
const { username, password, seed } = account;

beforeAll(async () => {
  s = await startFirefoxStack();
  await addCredentials(s.home, fillCredentials(s.server, account));
});
afterAll(async () => {
  await s?.close();
});
beforeEach(() => resetServer(s, { username, password }));

const firefox: FillEngine = {
  stack: () => s,
  welcomeShown: () => waitForText(s.page, 'Welcome'),
  async submit(to) {
    await Promise.all([s.page.waitForNavigation(), s.page.click('button[type=submit]')]);
    if (to) expect(s.page.url()).toMatch(to);
  },
  // puppeteer's goto() has waited for the load event.
  loaded: async () => undefined,
  frameField: waitForFrameField,
};
const ok = (host: string) => loggedIn(firefox, host);

describe('the Firefox registration', () => {
  it('dist/firefox is dist/chromium with a Firefox manifest (module background script, gecko id, no key, blocking webRequest for getSecurityInfo)', () => {
    const ff = JSON.parse(fs.readFileSync(`${ROOT}/dist/firefox/manifest.json`, 'utf8')) as Record<string, unknown>;
    const cr = JSON.parse(fs.readFileSync(`${ROOT}/dist/chromium/manifest.json`, 'utf8')) as Record<string, unknown> & { background: { service_worker: string } };
    expect(ff.background).toEqual({ scripts: [cr.background.service_worker], type: 'module' });
    expect(ff.browser_specific_settings).toMatchObject({ gecko: { id: FIREFOX_ADDON_ID } });
    expect(ff).not.toHaveProperty('key');
    expect(ff).not.toHaveProperty('minimum_chrome_version');
    const crPermissions = cr.permissions as string[];
    expect(ff.permissions).toEqual([...crPermissions, 'webRequestBlocking']);
    // Chromium watches requests (the login outcome's status codes) but never blocks them.
    expect(crPermissions).toContain('webRequest');
    expect(crPermissions).not.toContain('webRequestBlocking');
    expect({ ...ff, background: null, browser_specific_settings: null, permissions: null }).toEqual({ ...cr, key: undefined, minimum_chrome_version: undefined, background: null, browser_specific_settings: null, permissions: null });
    for (const f of ['page/detector.js', 'page/filler.js']) expect(fs.readFileSync(`${ROOT}/dist/firefox/${f}`)).toEqual(fs.readFileSync(`${ROOT}/dist/chromium/${f}`));
  });

  it('host install wrote the manifest under $HOME/.mozilla with allowed_extensions', () => {
    expect(s.hostManifest).toBe(`${s.userHome}/.mozilla/native-messaging-hosts/com.blindfill.host.json`);
    const m = JSON.parse(fs.readFileSync(s.hostManifest, 'utf8')) as Record<string, unknown>;
    expect(m).toMatchObject({ name: 'com.blindfill.host', type: 'stdio', allowed_extensions: [FIREFOX_ADDON_ID] });
    expect(m).not.toHaveProperty('allowed_origins');
  });

  it('the daemon sees the Firefox add-on (argv: manifest path, then add-on ID)', async () => {
    const st = JSON.parse((await s.home.run(['status', '--json'])).stdout) as { browsers: unknown[] };
    expect(st.browsers).toContainEqual(expect.objectContaining({ browser: 'firefox', extension_id: FIREFOX_ADDON_ID }));
  });

  it('the launcher refuses any other add-on ID (Firefox calling convention: manifest path, add-on ID)', () => {
    const launcher = (JSON.parse(fs.readFileSync(s.hostManifest, 'utf8')) as { path: string }).path;
    for (const args of [[s.hostManifest, 'evil@example.test'], [s.hostManifest], [FIREFOX_ADDON_ID, s.hostManifest]]) {
      const r = spawnSync(launcher, args, { env: s.home.env, input: '', timeout: 20_000 });
      expect(r.status, args.join(' ')).not.toBe(0);
      expect(r.stdout.length).toBe(0);
    }
    expect(fs.readFileSync(`${s.home.dir}/host.log`, 'utf8')).toContain('refusing to serve: the caller is not the blindfill extension');
  });
});

describe('fills that log in (server-side check)', () => {
  it('plain form, with --submit', async () => {
    await s.page.goto(s.server.url('bank.test', '/plain'));
    const r = await s.fill('bank', { submit: true });
    expect(r.stderr).toBe('');
    expect(r.json).toEqual({ ok: true, label: 'bank', origin: s.server.origin('bank.test'), filled: ['username', 'password'], submitted: true, outcome: 'signed_in' });
    expect(await ok('bank.test')).toMatchObject({ page: 'plain', user: username });
  });

  defineSharedLogins(firefox, account);

  it('password then one-time code, the code computed at fill time', async () => {
    s.server.setAccount('*', { username, password, totp: { secret: seed } });
    await s.page.goto(s.server.url('bank.test', '/plain'));
    const nav = s.page.waitForNavigation();
    expect((await s.fill('bank-2fa', { submit: true })).json).toMatchObject({ filled: ['username', 'password'], submitted: true });
    await nav;
    expect(s.page.url()).toMatch(/\/otp/);
    const r = await s.fill('bank-2fa', { totp: true, submit: true });
    expect(r.json).toMatchObject({ filled: ['totp'], submitted: true });
    expect(await ok('bank.test')).toMatchObject({ step: 'otp', page: 'otp' });
  });

  it('same-origin iframe: filled where the frame can prove its ancestors, else refused with a clear message', async () => {
    await s.page.goto(s.server.url('bank.test', '/iframe'));
    await waitForFrameField();
    // Firefox 153 ESR has location.ancestorOrigins (older Firefox did not: the extension
    // then refuses child frames, see extension/background/handler.ts).
    const hasAncestorOrigins = await s.page.evaluate(() => 'ancestorOrigins' in location);
    if (hasAncestorOrigins) {
      const r = await s.fill('bank', { submit: true });
      expect(r.json).toMatchObject({ filled: ['username', 'password'], submitted: true });
      expect(await ok('bank.test')).toMatchObject({ page: 'iframe' });
      return;
    }
    const r = await s.fill('bank');
    expect(r.stderr).toMatch(/^error NO_FILLABLE_FIELD: .*child frame.*cannot report a frame's ancestor origins/);
    await expectNothingFilled(s.page);
  });
});

describe('refusals: the code, and nothing filled', () => {
  defineSharedRefusals(firefox);

  it('cross-origin iframe (credential for the frame, top page elsewhere)', async () => {
    const r = await fillInCrossOriginFrame(firefox, 'login');
    expect(r.stderr).toMatch(/^error (ORIGIN_MISMATCH|NO_FILLABLE_FIELD): /);
    await expectNothingFilled(s.page);
  });
});

describe('fields that are not the login password (the /rw/ pages of e2e/browser/realworld.test.ts)', () => {
  const at = (path: string) => s.page.goto(s.server.url('bank.test', path));
  const values = (...sels: string[]) => s.page.evaluate((xs) => xs.map((q) => (document.querySelector(q) as HTMLInputElement).value), sels);

  it('an opaque banner with pointer-events:none over the form: NO_FILLABLE_FIELD, nothing filled', async () => {
    await at('/rw/cover');
    expect((await s.fill('bank', { submit: true })).stderr).toMatch(/^error NO_FILLABLE_FIELD: /);
    expect(await values('#login', '#password')).toEqual(['', '']);
  });

  it('new + confirm alone: NO_FILLABLE_FIELD saying why', async () => {
    await at('/rw/change-password?v=pair');
    expect((await s.fill('bank', { submit: true })).stderr).toMatch(/^error NO_FILLABLE_FIELD: .*new password/);
    await expectNothingFilled(s.page);
  });

  it('a formaction to another origin: ORIGIN_MISMATCH', async () => {
    await at('/rw/formaction?m=action');
    expect((await s.fill('bank', { submit: true })).stderr).toMatch(/^error ORIGIN_MISMATCH: .*collect\.example\.test/);
    expect(await values('#login', '#password')).toEqual(['', '']);
  });

  it('a required field left empty: submitted false, nothing sent', async () => {
    await at('/rw/required');
    const r = await s.fill('bank', { submit: true });
    expect(r.json).toEqual({ ok: true, label: 'bank', origin: s.server.origin('bank.test'), filled: ['username', 'password'], submitted: false });
    expect(s.server.posted('bank.test')).toEqual([]);
  });
});

describe('secrets stay out of every log and output', () => {
  it('host log, daemon log, audit, CLI output', () => {
    expectFillLogsClean(s, [password, seed]);
  });
});

async function waitForFrameField(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    for (const f of s.page.frames()) {
      if (f === s.page.mainFrame()) continue;
      if (await f.$('input[type=password]').catch(() => null)) return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the frame never showed its login form');
}
