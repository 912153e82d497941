/**
 * Keychain mode: the vault's key is in the OS keychain (a private gnome-keyring), so there
 * is no passphrase the settings page could ask for. Changes that need re-authentication
 * (widening, remove) and unlocking from the page need a person's approval in an OS dialog
 * (zenity, here under Xvfb, answered with xdotool) that the page's automation cannot
 * click. With no desktop to ask on the daemon refuses (REAUTH_REQUIRED) and the page says
 * to use the terminal; narrowing still needs nothing.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { alive, BIN, type Home, makeHome, ROOT } from '../core/cli.js';
import { type LaunchedChromium, launchChromium } from '../harness/browser.js';
import { startXvfb, type Xvfb } from '../harness/display.js';
import { type KeyringSession, startKeyringSession } from '../harness/keyring.js';
import { closeDialogs, editorClosed, OPTIONS_URL, startEdit, until } from './helpers.js';

let keyring: KeyringSession;
let x: Xvfb;
let home: Home;
let browser: LaunchedChromium;
let page: Page;

const list = async () => (JSON.parse((await home.run(['list', '--json'])).stdout) as { credentials: Array<Record<string, unknown>> }).credentials;
const status = async () => JSON.parse((await home.run(['status', '--json'])).stdout) as Record<string, unknown>;

beforeAll(async () => {
  keyring = await startKeyringSession();
  x = await startXvfb();
  // The first daemon (started by this CLI) has no desktop; the browser's host, which starts
  // the next one, has the Xvfb display.
  home = makeHome({
    DBUS_SESSION_BUS_ADDRESS: keyring.env.DBUS_SESSION_BUS_ADDRESS,
    XDG_RUNTIME_DIR: keyring.env.XDG_RUNTIME_DIR,
    BLINDFILL_CONFIRM_TIMEOUT_S: '20',
  });
  const init = await home.run(['init', '--keychain']);
  if (init.code !== 0) throw new Error(`init --keychain failed: ${init.stderr}`);
  const add = await home.run(['add', '--json-stdin'], JSON.stringify({ label: 'kc', password: 'pw-keychain-1', origins: ['https://a.example'], policy: 'auto' }));
  expect(add.code).toBe(0);
  browser = await launchChromium({
    extensionDir: path.join(ROOT, 'dist/chromium'),
    env: { ...process.env, ...home.env, DISPLAY: x.display },
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
  await x?.stop();
});

/** Wait for blindfill's dialog on the Xvfb display and press a key (Return = Allow, Escape = Deny); its text. */
async function answer(key: 'Return' | 'Escape'): Promise<string> {
  const env = { ...process.env, DISPLAY: x.display };
  for (let i = 0; i < 150; i++) {
    let ids = '';
    try {
      ids = execFileSync('xdotool', ['search', '--name', 'blindfill: approve'], { env }).toString().trim();
    } catch {
      /* not yet */
    }
    const id = ids.split('\n')[0];
    if (id) {
      const title = execFileSync('xdotool', ['getwindowname', id], { env }).toString().trim();
      execFileSync('xdotool', ['windowfocus', '--sync', id], { env });
      execFileSync('xdotool', ['key', key], { env });
      return title;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no blindfill dialog appeared');
}

const send = (op: string, params: Record<string, unknown>) =>
  page.evaluate((m) => chrome.runtime.sendMessage(m), { kind: 'daemon', op, params }) as Promise<{ ok: boolean; code?: string; message?: string }>;

async function addSite(host: string): Promise<void> {
  await startEdit(page, 'kc');
  const editor = page.locator('#editor');
  await editor.getByRole('button', { name: 'Add site' }).click();
  const rows = await editor.locator('#origins input').count();
  await editor.getByLabel(`Site ${rows}`, { exact: true }).fill(host);
  await editor.getByRole('button', { name: 'Save changes' }).click();
}

describe('keychain mode, no desktop to ask on', () => {
  it('a new site is refused by the daemon (REAUTH_REQUIRED); the page says to use the terminal; nothing changes', async () => {
    const before = await list();
    await addSite('https://b.example');
    const reauth = page.locator('#reauth');
    await until(() => reauth.isVisible()).toBe(true);
    // No passphrase field: there is none to ask for.
    expect(await page.locator('#reauth-pass').isVisible()).toBe(false);
    expect(await reauth.locator('#reauth-keychain').textContent()).toMatch(/OS keychain.*make this change in a terminal.*blindfill edit --help/s);
    // A command that exists, for this credential (cli-hint.test.ts checks it against the CLI's help).
    expect(await reauth.locator('#reauth-keychain-cmd').textContent()).toBe('blindfill edit kc --json-stdin');
    expect(await reauth.locator('#reauth-keychain-detail').textContent()).toMatch(/no desktop to ask on/);
    expect(await reauth.locator('#reauth-what li').allTextContents()).toEqual(['site https://b.example']);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('reauth-cancel');
    await reauth.getByRole('button', { name: 'Close' }).click();
    await until(() => reauth.isVisible()).toBe(false);
    await until(() => page.locator('#editor-err').textContent()).toMatch(/Not saved/);
    expect(await list()).toEqual(before);
  });

  it('the same request with any passphrase, and a remove, are refused too', async () => {
    expect(await send('update', { label: 'kc', changes: { origins: ['https://a.example', 'https://b.example'] }, passphrase: 'anything' })).toMatchObject({
      ok: false,
      code: 'REAUTH_REQUIRED',
    });
    expect(await send('remove', { label: 'kc' })).toMatchObject({ ok: false, code: 'REAUTH_REQUIRED' });
    expect((await list()).map((c) => c.label)).toEqual(['kc']);
  });

  it('narrowing (auto → confirm) needs nothing', async () => {
    await startEdit(page, 'kc');
    await page.locator('#editor').getByLabel(/Ask me first/).check();
    await page.locator('#editor').getByRole('button', { name: 'Save changes' }).click();
    await editorClosed(page);
    expect((await list())[0]).toMatchObject({ label: 'kc', policy: 'confirm', origins: ['https://a.example'] });
  });

  it('locked: one click does not unlock it (REAUTH_REQUIRED shown), the CLI still does', async () => {
    expect((await home.run(['lock'])).code).toBe(0);
    await page.reload();
    await page.waitForSelector('#view-locked:not([hidden])');
    expect(await page.locator('#unlock-pass').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Unlock with the OS keychain' }).click();
    await until(() => page.locator('#unlock-pass-err').textContent()).toMatch(/no desktop to ask on/);
    expect(await status()).toMatchObject({ vault: 'locked', key_mode: 'keychain' });
    expect((await home.run(['unlock'])).code).toBe(0);
    expect(await status()).toMatchObject({ vault: 'unlocked' });
  });
});

describe('keychain mode, a person approves on the desktop', () => {
  beforeAll(async () => {
    // Stop the desktop-less daemon; the browser's host starts the next one, with the display.
    const old = home.daemonPid();
    await home.stopDaemon();
    for (let i = 0; i < 300; i++) {
      const pid = home.daemonPid();
      if (pid !== null && pid !== old && alive(pid)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    for (let i = 0; ((await status()).browsers as unknown[]).length === 0; i++) {
      if (i === 100) throw new Error('the extension never reconnected');
      await new Promise((r) => setTimeout(r, 100));
    }
    await page.reload();
    await page.waitForSelector('#view-locked:not([hidden])');
  });

  it('unlock: denied in the dialog stays locked; approved unlocks', async () => {
    const button = page.getByRole('button', { name: 'Unlock with the OS keychain' });
    const [, text] = await Promise.all([button.click(), answer('Escape')]);
    expect(text).toMatch(/blindfill/);
    await until(() => page.locator('#unlock-pass-err').textContent()).toMatch(/declined/);
    expect(await status()).toMatchObject({ vault: 'locked' });
    await Promise.all([button.click(), answer('Return')]);
    await page.waitForSelector('#view-list:not([hidden])');
    expect(await status()).toMatchObject({ vault: 'unlocked', key_mode: 'keychain', credentials: 1 });
  });

  it('a new site: denied changes nothing (DENIED shown); approved saves it', async () => {
    const before = await list();
    await Promise.all([addSite('https://b.example'), answer('Escape')]);
    await until(() => page.locator('#editor-err').textContent()).toMatch(/declined/);
    expect(await list()).toEqual(before);
    await closeDialogs(page);
    await Promise.all([addSite('https://b.example'), answer('Return')]);
    await editorClosed(page);
    expect((await list())[0]).toMatchObject({ origins: ['https://a.example', 'https://b.example'] });
  });

  it('remove: approved in the dialog removes it', async () => {
    await page.locator('li.card[data-label="kc"]').getByRole('button', { name: 'Remove…' }).click();
    const dialog = page.locator('#remove');
    expect(await dialog.getByLabel('Vault passphrase').isVisible()).toBe(false);
    await Promise.all([dialog.getByRole('button', { name: 'Remove', exact: true }).click(), answer('Return')]);
    await until(async () => (await list()).length).toBe(0);
  });
});
