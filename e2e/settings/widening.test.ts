/**
 * Issue #6: changes that widen where a secret may go (a new origin or window, policy
 * confirm → auto) need the vault passphrase, which an agent driving the page cannot
 * supply. Without it the daemon refuses (REAUTH_REQUIRED), with a wrong one BAD_PASSPHRASE shows
 * beside the field, and the vault is unchanged; with the right one the change is saved.
 * Narrowing needs nothing. And nothing but the extension's own pages reaches the relay.
 */
import type { Page } from 'playwright';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../browser/setup.js';
import { PASS } from '../core/cli.js';
import { addViaCli, closeDialogs, editorClosed, openSettings, startEdit, until, vaultList } from './helpers.js';

let s: Stack;
let page: Page;
const o = (h: string) => s.server.origin(h);

beforeAll(async () => {
  s = await startStack();
  await addViaCli(s, { label: 'wide', username: 'alice', password: 'pw-wide-123', origins: [o('bank.test')], policy: 'confirm' });
  page = await openSettings(s);
});
afterAll(async () => {
  await s?.close();
});
afterEach(async () => {
  await closeDialogs(page);
});

const reauth = () => page.locator('#reauth');
const reauthOpen = () => reauth().evaluate((d) => (d as HTMLDialogElement).open);

/** Open the editor on `wide`, add a site, press Save: the passphrase dialog opens. */
async function widenBySite(host: string): Promise<void> {
  await startEdit(page, 'wide');
  const editor = page.locator('#editor');
  await editor.getByRole('button', { name: 'Add site' }).click();
  const rows = await editor.locator('#origins input').count();
  await editor.getByLabel(`Site ${rows}`, { exact: true }).fill(o(host));
  await editor.getByRole('button', { name: 'Save changes' }).click();
  await until(reauthOpen).toBe(true);
}

async function sendFromPage(message: unknown): Promise<Record<string, unknown>> {
  return page.evaluate((m) => chrome.runtime.sendMessage(m), message) as Promise<Record<string, unknown>>;
}

describe('widening needs the passphrase', () => {
  it('a new site opens the passphrase dialog naming it; Cancel saves nothing', async () => {
    const before = await vaultList(s);
    await widenBySite('login.example.test');
    expect(await reauth().locator('#reauth-what li').allTextContents()).toEqual([`site ${o('login.example.test')}`]);
    // Focus is in the passphrase field; Escape cancels.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('reauth-pass');
    await page.keyboard.press('Escape');
    await until(reauthOpen).toBe(false);
    await until(() => page.locator('#editor-err').textContent()).toMatch(/Not saved: the change needs your passphrase/);
    expect(await vaultList(s)).toEqual(before);
  });

  it('without a passphrase the daemon refuses (REAUTH_REQUIRED), whatever the page does', async () => {
    const before = await vaultList(s);
    const params = (changes: Record<string, unknown>) => ({ kind: 'daemon', op: 'update', params: { label: 'wide', changes } });
    for (const changes of [{ origins: [o('bank.test'), o('evil.test')] }, { windows: ['Acme VPN'] }, { policy: 'auto' }]) {
      const r = await sendFromPage(params(changes));
      expect(r).toMatchObject({ ok: false, code: 'REAUTH_REQUIRED' });
      expect(String(r.message)).toMatch(/needs the vault passphrase/);
    }
    const wrong = await sendFromPage({ kind: 'daemon', op: 'update', params: { label: 'wide', changes: { origins: [o('evil.test')] }, passphrase: 'not it' } });
    expect(wrong).toMatchObject({ ok: false, code: 'BAD_PASSPHRASE' });
    expect(await vaultList(s)).toEqual(before);
  });

  it('a wrong passphrase shows BAD_PASSPHRASE beside the field and changes nothing; the right one saves', async () => {
    const before = await vaultList(s);
    await widenBySite('login.example.test');
    const field = reauth().getByLabel('Vault passphrase');
    await field.fill('wrong horse battery staple');
    await field.press('Enter');
    await until(() => page.locator('#reauth-pass-err').textContent()).toMatch(/Wrong passphrase: nothing was changed/);
    expect(await page.locator('#reauth-pass-err').getAttribute('role')).toBe('alert');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.getAttribute('aria-describedby')).toContain('reauth-pass-err');
    expect(await field.inputValue()).toBe('');
    expect(await reauthOpen()).toBe(true);
    expect(await vaultList(s)).toEqual(before);

    await field.fill(PASS);
    await reauth().getByRole('button', { name: 'Confirm and save' }).click();
    await editorClosed(page);
    expect((await vaultList(s)).find((c) => c.label === 'wide')?.origins).toEqual([o('bank.test'), o('login.example.test')]);
  });

  it('policy confirm → auto needs it too; removing a site and auto → confirm do not', async () => {
    await startEdit(page, 'wide');
    let editor = page.locator('#editor');
    await editor.getByLabel(/Fill when asked/).check();
    await editor.getByRole('button', { name: 'Save changes' }).click();
    await until(reauthOpen).toBe(true);
    expect(await reauth().locator('#reauth-what li').allTextContents()).toEqual(['filled without asking (confirm → auto)']);
    await reauth().getByLabel('Vault passphrase').fill(PASS);
    await reauth().getByLabel('Vault passphrase').press('Enter');
    await editorClosed(page);
    expect((await vaultList(s)).find((c) => c.label === 'wide')?.policy).toBe('auto');

    await startEdit(page, 'wide');
    editor = page.locator('#editor');
    await editor.getByRole('button', { name: 'Remove site 2' }).click();
    await editor.getByLabel(/Ask me first/).check();
    await editor.getByRole('button', { name: 'Save changes' }).click();
    await editorClosed(page);
    expect(await reauthOpen()).toBe(false);
    expect((await vaultList(s)).find((c) => c.label === 'wide')).toMatchObject({ origins: [o('bank.test')], policy: 'confirm' });
  });

  it('a new desktop window needs it', async () => {
    const before = await vaultList(s);
    await startEdit(page, 'wide');
    const editor = page.locator('#editor');
    await editor.getByRole('button', { name: 'Add window' }).click();
    await editor.getByLabel('Window 1', { exact: true }).fill('Acme VPN');
    await editor.getByRole('button', { name: 'Save changes' }).click();
    await until(reauthOpen).toBe(true);
    expect(await reauth().locator('#reauth-what li').allTextContents()).toEqual(['window Acme VPN']);
    await reauth().getByRole('button', { name: 'Cancel' }).click();
    await until(reauthOpen).toBe(false);
    expect(await vaultList(s)).toEqual(before);
  });
});

describe('who may use the relay', () => {
  it('a script in a web page (the extension’s own isolated world) gets no answer', async () => {
    await s.page.bringToFront();
    await s.page.goto(s.server.url('bank.test', '/plain'));
    const sw = s.browser.serviceWorker!;
    const result = await sw.evaluate(async (url) => {
      const [tab] = await chrome.tabs.query({ url });
      const [r] = await chrome.scripting.executeScript({
        target: { tabId: tab!.id! },
        world: 'ISOLATED',
        func: async () => {
          try {
            const a = await chrome.runtime.sendMessage({ kind: 'daemon', op: 'list', params: {} });
            return { answered: a === undefined ? 'undefined' : JSON.stringify(a) };
          } catch (e) {
            return { error: String(e) };
          }
        },
      });
      return r?.result as { answered?: string; error?: string };
    }, `${o('bank.test')}/*`);
    // The worker does not answer a web page: no response at all, certainly no list.
    expect(result.answered ?? 'undefined').toBe('undefined');
    expect(JSON.stringify(result)).not.toContain('wide');
    // The page's main world has no way in (no externally_connectable).
    expect(await s.page.evaluate(() => typeof (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime?.sendMessage)).toBe('undefined');
    await page.bringToFront();
  });

  it('a malformed or unknown message from our own page is refused', async () => {
    expect(await sendFromPage({ kind: 'daemon', op: 'fill', params: { label: 'wide' } })).toMatchObject({ ok: false, code: 'INVALID_REQUEST' });
    expect(await sendFromPage({ kind: 'daemon', op: 'list', params: {}, extra: 1 })).toMatchObject({ ok: false, code: 'INVALID_REQUEST' });
    expect(await sendFromPage({ kind: 'daemon', op: 'update', params: { label: 'wide', changes: { secret_field: 'x' } } })).toMatchObject({ ok: false, code: 'INVALID_REQUEST' });
  });
});
