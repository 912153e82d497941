/**
 * Issue #6: the settings page adds, edits and removes credentials through real clicks
 * and typing in real Chromium, with the real extension, native host and daemon; the vault
 * (`blindfill list --json`) agrees after each step, and a credential made in the page
 * logs in to a fixture site through `blindfill fill` (checked server-side).
 */
import type { Page } from 'playwright';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../browser/setup.js';
import { PASS } from '../core/cli.js';
import { makeCanary } from '../harness/canary.js';
import { addViaCli, card, closeDialogs, editorClosed, openSettings, startAdd, startEdit, until, vaultList } from './helpers.js';

let s: Stack;
let page: Page;
const username = 'alice@example.test';
const password = makeCanary({ charset: 'full' });
/** Set on two-sites by the edit test; replaced by the generate test. */
const newPassword = makeCanary({ charset: 'full' });

beforeAll(async () => {
  s = await startStack();
  page = await openSettings(s);
});
afterAll(async () => {
  await s?.close();
});
beforeEach(() => {
  s.server.reset();
});
afterEach(async () => {
  await closeDialogs(page);
});

/** The server accepted the login and the browser has finished showing the welcome page, so a following goto does not race the form's POST navigation. */
async function loggedIn(host: string): Promise<void> {
  const login = await s.server.waitForLogin(host, { predicate: (l) => l.ok && l.complete });
  expect(login.user).toBe(username);
  await s.page.locator('text=Welcome').first().waitFor({ timeout: 10_000 });
  await s.page.waitForLoadState('load');
}

describe('add', () => {
  it('a credential typed into the form is in the vault, and fills a fixture login', async () => {
    await startAdd(page);
    const editor = page.locator('#editor');
    await editor.getByLabel('Label', { exact: true }).fill('bank-ui');
    await editor.getByLabel('Site 1', { exact: true }).fill(s.server.origin('bank.test'));
    await editor.getByLabel('Username', { exact: true }).fill(username);
    await editor.getByLabel('Password', { exact: true }).fill(password);
    // Enter submits the form.
    await editor.getByLabel('Password', { exact: true }).press('Enter');
    await editorClosed(page);
    await until(() => card(page, 'bank-ui').count()).toBe(1);
    await until(() => page.locator('#toast').textContent()).toContain('Added bank-ui');

    expect(await vaultList(s)).toEqual([
      { label: 'bank-ui', origins: [s.server.origin('bank.test')], windows: [], policy: 'auto', has_username: true, has_password: true, has_totp: false, has_passkey: false, source: 'local' },
    ]);

    // The page's credential logs in (server-side check of the password).
    s.server.setAccount('*', { username, password });
    await s.page.bringToFront();
    await s.page.goto(s.server.url('bank.test', '/plain'));
    const r = await s.fill('bank-ui', { submit: true });
    expect(r.stderr).toBe('');
    expect(r.json).toMatchObject({ ok: true, label: 'bank-ui', filled: ['username', 'password'], submitted: true });
    await loggedIn('bank.test');
    await page.bringToFront();
  });

  it('a generated password is stored in the host and never reaches the page', async () => {
    await startAdd(page);
    const editor = page.locator('#editor');
    await editor.getByLabel('Label', { exact: true }).fill('gen-ui');
    await editor.getByLabel('Site 1', { exact: true }).fill(s.server.origin('shop.example.test'));
    await editor.getByLabel(/Generate a strong password/).check();
    expect(await editor.getByLabel('Password', { exact: true }).isDisabled()).toBe(true);
    await editor.getByRole('button', { name: 'Add credential' }).click();
    await editorClosed(page);
    const gen = (await vaultList(s)).find((c) => c.label === 'gen-ui');
    expect(gen).toEqual({ label: 'gen-ui', origins: [s.server.origin('shop.example.test')], windows: [], policy: 'auto', has_username: false, has_password: true, has_totp: false, has_passkey: false, source: 'local' });
    // Once the editor has closed, no input on the page holds any value (nothing typed, nothing generated).
    await until(() => page.locator('input:not([type=radio]):not([type=checkbox])').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value).filter((v) => v !== ''))).toEqual([]);
  });

  it('refuses what the CLI refuses, with the reason beside the field, and sends nothing', async () => {
    const before = await vaultList(s);
    await startAdd(page);
    const editor = page.locator('#editor');
    const label = editor.getByLabel('Label', { exact: true });
    await label.fill('Bad Label!');
    await editor.getByLabel('Site 1', { exact: true }).fill('http://bank.example.com');
    await editor.getByRole('button', { name: 'Add site' }).click();
    await editor.getByLabel('Site 2', { exact: true }).fill('https://*.github.io');
    await editor.getByRole('button', { name: 'Add site' }).click();
    await editor.getByLabel('Site 3', { exact: true }).fill('https://example.com/login');
    await editor.getByLabel('One-time codes (TOTP)').fill('not a seed');
    await editor.getByText('Typing sequence (desktop)').click();
    await editor.getByLabel('Sequence', { exact: true }).fill('{USERNAME}{BOGUS}');
    await editor.getByText('Typing sequence (desktop)').click();
    await editor.getByRole('button', { name: 'Add credential' }).click();

    // Each reason is the field's description and an alert.
    const reason = async (name: string) => {
      const field = editor.getByLabel(name, { exact: true });
      await until(() => field.getAttribute('aria-invalid')).toBe('true');
      const ids = (await field.getAttribute('aria-describedby'))?.split(/\s+/) ?? [];
      const texts: string[] = [];
      for (const id of ids) {
        const e = page.locator(`[id="${id}"]`);
        if ((await e.getAttribute('role')) === 'alert') texts.push((await e.textContent()) ?? '');
      }
      return texts.join(' ');
    };
    expect(await reason('Label')).toMatch(/lowercase letters/);
    expect(await reason('Site 1')).toMatch(/http: is allowed only for loopback/);
    expect(await reason('Site 2')).toMatch(/public suffix/);
    expect(await reason('Site 3')).toMatch(/no path/);
    expect(await reason('One-time codes (TOTP)')).toMatch(/not an otpauth:\/\/ URI nor a base32 seed/i);
    // The folded section with a refused sequence unfolds to show why.
    expect(await reason('Sequence')).toMatch(/BOGUS/);
    expect(await editor.locator('#more').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    // The first invalid field has focus.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-label');
    // A duplicate label is caught too.
    await label.fill('bank-ui');
    await editor.getByRole('button', { name: 'Add credential' }).click();
    expect(await reason('Label')).toMatch(/already exists/);
    // Typing clears the reason.
    await label.fill('fine-label');
    await until(() => label.getAttribute('aria-invalid')).toBe(null);
    await page.keyboard.press('Escape');
    await editorClosed(page);
    expect(await vaultList(s)).toEqual(before);
  });
});

/** The passphrase dialog opens listing `what`; confirm it with the passphrase. */
async function confirmWithPassphrase(what: string[]): Promise<void> {
  const reauth = page.locator('#reauth');
  await until(() => reauth.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
  expect(await reauth.locator('#reauth-what li').allTextContents()).toEqual(what);
  await reauth.getByLabel('Vault passphrase').fill(PASS);
  await reauth.getByRole('button', { name: 'Confirm and save' }).click();
}

describe('edit', () => {
  it('replaces the password, removes the username, narrows policy to confirm: the passphrase is asked (stored values are replaced)', async () => {
    const newPassword = makeCanary({ charset: 'full' });
    await startEdit(page, 'bank-ui');
    const editor = page.locator('#editor');
    expect(await editor.getByLabel('Label', { exact: true }).evaluate((e) => (e as HTMLInputElement).readOnly)).toBe(true);
    expect(await editor.locator('#f-password-state').textContent()).toBe('configured');
    await editor.getByLabel('Password', { exact: true }).fill(newPassword);
    await editor.getByLabel('Remove the stored username').check();
    await editor.getByLabel(/Ask me first/).check();
    await editor.getByRole('button', { name: 'Save changes' }).click();
    await confirmWithPassphrase(['replaces the stored username', 'replaces the stored password']);
    await editorClosed(page);
    expect(await page.locator('#reauth').evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);
    const c = (await vaultList(s)).find((x) => x.label === 'bank-ui');
    expect(c).toEqual({ label: 'bank-ui', origins: [s.server.origin('bank.test')], windows: [], policy: 'confirm', has_username: false, has_password: true, has_totp: false, has_passkey: false, source: 'local' });
    await until(() => card(page, 'bank-ui').locator('.badge').textContent()).toBe('confirm');
  });

  it('removes an origin and adds a username back; the new password fills', async () => {
    await addViaCli(s, { label: 'two-sites', username: 'old', password: 'old-password-1', origins: [s.server.origin('bank.test'), s.server.origin('login.example.test')] });
    await page.reload();
    await startEdit(page, 'two-sites');
    const editor = page.locator('#editor');
    expect(await editor.getByLabel('Site 2', { exact: true }).inputValue()).toBe(s.server.origin('login.example.test'));
    await editor.getByRole('button', { name: 'Remove site 2' }).click();
    await editor.getByLabel('Username', { exact: true }).fill(username);
    await editor.getByLabel('Password', { exact: true }).fill(newPassword);
    await editor.getByLabel('Password', { exact: true }).press('Enter');
    await confirmWithPassphrase(['replaces the stored username', 'replaces the stored password']);
    await editorClosed(page);
    const c = (await vaultList(s)).find((x) => x.label === 'two-sites');
    expect(c).toMatchObject({ origins: [s.server.origin('bank.test')], has_username: true, has_password: true });

    s.server.setAccount('*', { username, password: newPassword });
    await s.page.bringToFront();
    await s.page.goto(s.server.url('bank.test', '/plain'));
    const r = await s.fill('two-sites', { submit: true });
    expect(r.json).toMatchObject({ ok: true, submitted: true });
    await loggedIn('bank.test');
    // The removed origin no longer fills.
    await s.page.goto(s.server.url('login.example.test', '/plain'));
    const refused = await s.fill('two-sites');
    expect(refused.stderr).toMatch(/^error ORIGIN_MISMATCH/);
    await page.bringToFront();
  });
});

describe('generate on an existing credential', () => {
  it('replaces the stored password in the host: the previous one no longer logs in', async () => {
    await startEdit(page, 'two-sites');
    const editor = page.locator('#editor');
    await editor.getByLabel(/Generate a strong password/).check();
    await editor.getByRole('button', { name: 'Save changes' }).click();
    await confirmWithPassphrase(['replaces the stored password']);
    await editorClosed(page);
    await until(() => page.locator('#toast').textContent()).toContain('Saved two-sites');
    expect((await vaultList(s)).find((c) => c.label === 'two-sites')).toMatchObject({ has_password: true });

    s.server.setAccount('*', { username, password: newPassword });
    await s.page.bringToFront();
    await s.page.goto(s.server.url('bank.test', '/plain'));
    const r = await s.fill('two-sites', { submit: true });
    expect(r.json).toMatchObject({ ok: true, filled: ['username', 'password'], submitted: true });
    const login = await s.server.waitForLogin('bank.test');
    expect(login).toMatchObject({ ok: false, reason: 'bad-password' });
    await page.bringToFront();
  });
});

describe('remove', () => {
  it('asks first, with the passphrase; Cancel keeps it, Remove deletes it from the vault', async () => {
    await card(page, 'gen-ui').getByRole('button', { name: 'Remove…' }).click();
    const dialog = page.locator('#remove');
    await until(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByRole('heading').textContent()).toBe('Remove gen-ui?');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await vaultList(s)).map((c) => c.label)).toContain('gen-ui');

    await card(page, 'gen-ui').getByRole('button', { name: 'Remove…' }).click();
    await dialog.getByLabel('Vault passphrase').fill(PASS);
    await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
    await until(() => card(page, 'gen-ui').count()).toBe(0);
    expect((await vaultList(s)).map((c) => c.label)).not.toContain('gen-ui');
    expect((await vaultList(s)).map((c) => c.label).sort()).toEqual(['bank-ui', 'two-sites']);
  });
});
