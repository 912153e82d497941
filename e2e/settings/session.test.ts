/**
 * Issue #6: the toolbar popup shows the connected host, the vault's state and the number
 * of credentials, locks, and leads to the settings page; the settings page follows the
 * vault's state, unlocks it with the passphrase and locks it. `blindfill status --json`
 * agrees after each step.
 */
import type { Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../shared/constants.js';
import { type Stack, startStack } from '../browser/setup.js';
import { PASS } from '../core/cli.js';
import { addViaCli, OPTIONS_URL, openPopup, until, vaultStatus } from './helpers.js';

let s: Stack;
let page: Page;
let popup: Page;

beforeAll(async () => {
  s = await startStack();
  await addViaCli(s, [
    { label: 'one', password: 'pw-one-123', origins: ['https://one.example'] },
    { label: 'two', password: 'pw-two-123', windows: ['Two'] },
  ]);
});
afterAll(async () => {
  await s?.close();
});

const text = (p: Page, sel: string) => p.locator(sel).textContent();

describe('popup', () => {
  it('shows the connected host, unlocked vault and credential count, and opens the settings page', async () => {
    popup = await openPopup(s);
    await until(() => text(popup, '#state-text')).toBe('Unlocked');
    expect(await text(popup, '#host')).toBe(`Connected · v${VERSION}`);
    expect(await text(popup, '#vault')).toMatch(/^Unlocked · locks in \d+ (min|s)$/);
    expect(await text(popup, '#count')).toBe('2');
    expect(await popup.getByRole('button', { name: 'Lock now' }).isEnabled()).toBe(true);
    const opened = s.browser.context.waitForEvent('page');
    await popup.getByRole('link', { name: 'Open settings' }).click();
    page = await opened;
    await page.waitForURL(OPTIONS_URL);
    await page.waitForSelector('#view-list:not([hidden])');
    expect(await page.locator('li.card').count()).toBe(2);
  });

  it('may only ask for status and lock', async () => {
    const r = await popup.evaluate(() => chrome.runtime.sendMessage({ kind: 'daemon', op: 'list', params: {} }));
    expect(r).toMatchObject({ ok: false, code: 'INVALID_REQUEST' });
  });

  it('Lock locks the vault (status --json agrees) and the popup says so', async () => {
    await popup.bringToFront();
    await popup.getByRole('button', { name: 'Lock now' }).click();
    await until(() => text(popup, '#state-text')).toBe('Locked');
    expect(await vaultStatus(s)).toMatchObject({ vault: 'locked', credentials: 2 });
    expect(await text(popup, '#vault')).toBe('Locked');
    expect(await popup.getByRole('button', { name: 'Lock now' }).isDisabled()).toBe(true);
    expect(await text(popup, '#open')).toBe('Unlock…');
  });
});

describe('settings page', () => {
  it('follows the vault to the locked view and unlocks it with the passphrase', async () => {
    await page.bringToFront();
    await until(() => page.locator('#view-locked').isVisible()).toBe(true);
    expect(await page.locator('li.card').count()).toBe(0);
    const field = page.locator('#view-locked').getByLabel('Vault passphrase');
    await field.fill('not the passphrase');
    await field.press('Enter');
    await until(() => text(page, '#unlock-pass-err')).toBe('Wrong passphrase.');
    expect(await page.locator('#unlock-pass-err').getAttribute('role')).toBe('alert');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.inputValue()).toBe('');
    expect(await vaultStatus(s)).toMatchObject({ vault: 'locked' });

    await field.fill(PASS);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await until(() => page.locator('#view-list').isVisible()).toBe(true);
    expect(await page.locator('li.card').count()).toBe(2);
    expect(await vaultStatus(s)).toMatchObject({ vault: 'unlocked', credentials: 2 });
    expect(await field.inputValue()).toBe('');
    expect(await text(page, '#status-text')).toBe('Unlocked · 2 credentials');
  });

  it('its Lock button locks; the popup agrees', async () => {
    await page.getByRole('button', { name: 'Lock vault' }).click();
    await until(() => page.locator('#view-locked').isVisible()).toBe(true);
    expect(await vaultStatus(s)).toMatchObject({ vault: 'locked' });
    expect(await page.locator('#lock').isVisible()).toBe(false);
    await popup.reload();
    await until(() => text(popup, '#state-text')).toBe('Locked');
  });

  it('unlocking from the CLI shows the list again', async () => {
    const r = await s.home.run(['unlock', '--passphrase-stdin'], PASS);
    expect(r.code).toBe(0);
    await until(() => page.locator('#view-list').isVisible()).toBe(true);
    expect(await page.locator('li.card').count()).toBe(2);
  });
});
