/**
 * Helpers for the settings page and popup tests: open the extension's pages in the real
 * browser of a Stack, and read the vault through the real CLI.
 */
import type { Page } from 'playwright';
import { expect } from 'vitest';
import type { CredentialSummary } from '../../shared/credential.js';
import { EXTENSION_ID } from '../../shared/constants.js';
import { OPTIONS_PAGE, POPUP_PAGE } from '../../shared/settings-protocol.js';
import type { Stack } from '../browser/setup.js';

/** expect.poll with room for scrypt (a passphrase check takes most of a second). */
export const until = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 50 });

export const OPTIONS_URL = `chrome-extension://${EXTENSION_ID}/${OPTIONS_PAGE}`;
export const POPUP_URL = `chrome-extension://${EXTENSION_ID}/${POPUP_PAGE}`;

/** Open the settings page in a new tab and wait until it shows a view. */
export async function openSettings(s: Stack, opts: { page?: Page } = {}): Promise<Page> {
  const page = opts.page ?? (await s.browser.context.newPage());
  await page.goto(OPTIONS_URL);
  await page.waitForSelector('#loading[hidden]', { state: 'attached' });
  return page;
}

export async function openPopup(s: Stack): Promise<Page> {
  const page = await s.browser.context.newPage();
  await page.setViewportSize({ width: 320, height: 300 });
  await page.goto(POPUP_URL);
  await until(() => page.locator('#state-text').textContent()).not.toBe('Checking…');
  return page;
}

export async function vaultList(s: Stack): Promise<CredentialSummary[]> {
  const r = await s.home.run(['list', '--json']);
  if (r.code !== 0) throw new Error(`list failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { credentials: CredentialSummary[] }).credentials;
}

export async function vaultStatus(s: Stack): Promise<{ vault: string; credentials: number }> {
  const r = await s.home.run(['status', '--json']);
  if (r.code !== 0) throw new Error(`status failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { vault: string; credentials: number };
}

export async function addViaCli(s: Stack, creds: unknown): Promise<void> {
  const r = await s.home.run(['add', '--json-stdin'], JSON.stringify(creds));
  if (r.code !== 0) throw new Error(`add failed: ${r.stderr}`);
}

/** The card of a credential on the settings page. */
export const card = (page: Page, label: string) => page.locator(`li.card[data-label="${label}"]`);

/** Click "Add credential" and wait for the editor. */
export async function startAdd(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Add credential' }).first().click();
  await until(() => page.locator('#editor').evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
}

export async function startEdit(page: Page, label: string): Promise<void> {
  await card(page, label).getByRole('button', { name: 'Edit' }).click();
  await until(() => page.locator('#editor').evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
}

export async function editorClosed(page: Page): Promise<void> {
  await until(() => page.locator('#editor').evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);
}

/** Close any open dialog (Escape), e.g. after a failed test. */
export async function closeDialogs(page: Page): Promise<void> {
  for (let i = 0; i < 5; i++) {
    if (!(await page.evaluate(() => document.querySelector('dialog[open]') !== null))) return;
    await page.keyboard.press('Escape');
  }
}
