/**
 * The settings page shows which credentials hold a passkey (and for which rp id), never
 * the key, and removes a passkey after re-authentication, in real Chromium with the real
 * extension, host and daemon.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Page } from 'playwright';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Stack, startStack } from '../browser/setup.js';
import { PASS } from '../core/cli.js';
import { assertNoSecret, encodings } from '../harness/canary.js';
import { addViaCli, card, editorClosed, openSettings, startEdit, until, vaultList } from '../settings/helpers.js';

let s: Stack;
let page: Page;
const pkcs8 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url');

beforeAll(async () => {
  s = await startStack();
  await addViaCli(s, {
    label: 'with-passkey',
    username: 'alice',
    origins: ['https://example.com'],
    passkey: { rp_id: 'example.com', credential_id: randomBytes(16).toString('base64url'), user_handle: 'dWlk', private_key: pkcs8 },
  });
  page = await openSettings(s);
});
afterAll(async () => {
  await s?.close();
});

it('shows the passkey and its rp id on the card and in the editor, never the key; removing it asks for the passphrase', async () => {
  await until(() => card(page, 'with-passkey').locator('ul.has li.on').allTextContents()).toEqual(['username set', 'passkey (example.com) set']);
  await startEdit(page, 'with-passkey');
  const editor = page.locator('#editor');
  expect(await editor.locator('#f-passkey-state').textContent()).toMatch(/stored for example\.com/);
  assertNoSecret(await page.content(), [pkcs8, ...encodings(pkcs8)], 'settings page');
  await editor.getByLabel('Remove the passkey').check();
  await editor.getByRole('button', { name: 'Save changes' }).click();
  const reauth = page.locator('#reauth');
  await until(() => reauth.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
  expect(await reauth.locator('#reauth-what li').allTextContents()).toEqual(['replaces the stored passkey']);
  await reauth.getByLabel('Vault passphrase').fill(PASS);
  await reauth.getByRole('button', { name: 'Confirm and save' }).click();
  await editorClosed(page).catch(async (e) => {
    throw new Error(`${String(e)}: ${(await page.locator('#editor [role=alert], #reauth [role=alert], #toast').allTextContents()).join(' | ')}`);
  });
  expect((await vaultList(s)).find((c) => c.label === 'with-passkey')).toMatchObject({ has_passkey: false, has_username: true });
  expect((await vaultList(s)).find((c) => c.label === 'with-passkey')).not.toHaveProperty('rp_id');
  await until(() => card(page, 'with-passkey').locator('ul.has li.on').allTextContents()).toEqual(['username set']);
});
