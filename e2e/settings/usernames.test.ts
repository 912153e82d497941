/**
 * The settings page shows each credential's username (the owner's page), never its
 * password; real Chromium, extension, native host and daemon.
 */
import type { Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../browser/setup.js';
import { makeCanary } from '../harness/canary.js';
import { addViaCli, card, openSettings, until } from './helpers.js';

let s: Stack;
let page: Page;
const password = makeCanary();

beforeAll(async () => {
  s = await startStack();
  await addViaCli(s, [
    { label: 'shop-personal', username: 'alice@example.test', password, origins: ['https://shop.test'] },
    { label: 'shop-work', username: 'bob@work.test', password: `${password}2`, origins: ['https://shop.test'] },
    { label: 'codes', totp: 'JBSWY3DPEHPK3PXPJBSWY3DP' },
  ]);
  page = await openSettings(s);
});
afterAll(async () => {
  await s?.close();
});

describe('settings page usernames', () => {
  it('each card names its username; none where there is none; no password anywhere', async () => {
    await until(() => card(page, 'shop-work').count()).toBe(1);
    const username = (label: string) => card(page, label).locator('dd.username').textContent();
    expect(await username('shop-personal')).toBe('alice@example.test');
    expect(await username('shop-work')).toBe('bob@work.test');
    expect(await username('codes')).toBe('none');
    expect(await card(page, 'shop-work').locator('dt', { hasText: 'Username' }).count()).toBe(1);
    expect(await page.content()).not.toContain(password);
  });
});
