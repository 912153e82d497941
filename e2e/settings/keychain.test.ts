/**
 * Issue #6, keychain mode: the vault's key is in the OS keychain (a private gnome-keyring),
 * so there is no passphrase the settings page could ask for. A widening change is refused
 * by the daemon (DENIED) and the page tells the person to use `blindfill` in a terminal;
 * narrowing still works; the locked view unlocks through the keychain without a passphrase.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, type Home, makeHome, ROOT } from '../core/cli.js';
import { type LaunchedChromium, launchChromium } from '../harness/browser.js';
import { type KeyringSession, startKeyringSession } from '../harness/keyring.js';
import { closeDialogs, editorClosed, OPTIONS_URL, startEdit, until } from './helpers.js';

let keyring: KeyringSession;
let home: Home;
let browser: LaunchedChromium;
let page: Page;

const list = async () => (JSON.parse((await home.run(['list', '--json'])).stdout) as { credentials: Array<Record<string, unknown>> }).credentials;
const status = async () => JSON.parse((await home.run(['status', '--json'])).stdout) as Record<string, unknown>;

beforeAll(async () => {
  keyring = await startKeyringSession();
  home = makeHome({ DBUS_SESSION_BUS_ADDRESS: keyring.env.DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR: keyring.env.XDG_RUNTIME_DIR });
  const init = await home.run(['init', '--keychain']);
  if (init.code !== 0) throw new Error(`init --keychain failed: ${init.stderr}`);
  const add = await home.run(['add', '--json-stdin'], JSON.stringify({ label: 'kc', password: 'pw-keychain-1', origins: ['https://a.example'], policy: 'auto' }));
  expect(add.code).toBe(0);
  browser = await launchChromium({
    extensionDir: path.join(ROOT, 'dist/chromium'),
    env: { ...process.env, ...home.env },
    beforeLaunch: (dir) => {
      execFileSync(process.execPath, [BIN, 'host', 'install', '--browser', 'chromium', '--user-data-dir', dir], { env: home.env });
    },
  });
  for (let i = 0; ((await status()).browsers as unknown[]).length === 0; i++) {
    if (i === 100) throw new Error('the extension never connected to the daemon');
    await new Promise((r) => setTimeout(r, 100));
  }
  page = await browser.context.newPage();
  await page.goto(OPTIONS_URL);
  await page.waitForSelector('#view-list:not([hidden])');
});
afterEach(async () => {
  await closeDialogs(page);
});
afterAll(async () => {
  await browser?.close();
  await home?.stop();
  await keyring?.stop();
});

describe('keychain mode', () => {
  it('a new site is refused by the daemon; the page says to use the terminal; nothing changes', async () => {
    const before = await list();
    await startEdit(page, 'kc');
    const editor = page.locator('#editor');
    await editor.getByRole('button', { name: 'Add site' }).click();
    await editor.getByLabel('Site 2', { exact: true }).fill('https://b.example');
    await editor.getByRole('button', { name: 'Save changes' }).click();
    const reauth = page.locator('#reauth');
    await until(() => reauth.isVisible()).toBe(true);
    // No passphrase field: there is none to ask for.
    expect(await page.locator('#reauth-pass').isVisible()).toBe(false);
    expect(await reauth.locator('#reauth-keychain').textContent()).toMatch(/OS keychain.*make this change with blindfill in a terminal/s);
    expect(await reauth.locator('#reauth-keychain-detail').textContent()).toMatch(/needs a confirmation outside the browser/);
    expect(await reauth.locator('#reauth-what li').allTextContents()).toEqual(['site https://b.example']);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('reauth-cancel');
    await reauth.getByRole('button', { name: 'Close' }).click();
    await until(() => reauth.isVisible()).toBe(false);
    await until(() => page.locator('#editor-err').textContent()).toMatch(/Not saved/);
    expect(await list()).toEqual(before);
  });

  it('the same request with any passphrase is refused too', async () => {
    const r = await page.evaluate(() =>
      chrome.runtime.sendMessage({ kind: 'daemon', op: 'update', params: { label: 'kc', changes: { origins: ['https://a.example', 'https://b.example'] }, passphrase: 'anything' } }),
    );
    expect(r).toMatchObject({ ok: false, code: 'DENIED' });
  });

  it('narrowing (auto → confirm) needs nothing', async () => {
    await startEdit(page, 'kc');
    await page.locator('#editor').getByLabel(/Ask me first/).check();
    await page.locator('#editor').getByRole('button', { name: 'Save changes' }).click();
    await editorClosed(page);
    expect((await list())[0]).toMatchObject({ label: 'kc', policy: 'confirm', origins: ['https://a.example'] });
  });

  it('locked: unlocks through the keychain, without a passphrase field', async () => {
    expect((await home.run(['lock'])).code).toBe(0);
    await page.reload();
    await page.waitForSelector('#view-locked:not([hidden])');
    expect(await page.locator('#unlock-pass').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Unlock with the OS keychain' }).click();
    await page.waitForSelector('#view-list:not([hidden])');
    expect(await status()).toMatchObject({ vault: 'unlocked', key_mode: 'keychain', credentials: 1 });
  });
});
