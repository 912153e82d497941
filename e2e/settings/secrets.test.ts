/**
 * Issue #6: secrets are write-only in the settings page. A password and a TOTP seed set
 * through the page (typed, pasted, or read from a QR-code image) reach the vault and
 * work on a fixture site, but never come back: not in the page's DOM or input values,
 * not in any message the page receives, not in any storage the page can reach, in any
 * encoding. The page's runtime messaging is instrumented before the page's own script runs.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { allInputValues, type Stack, startStack } from '../browser/setup.js';
import { PASS } from '../core/cli.js';
import { assertNoSecret, makeCanary } from '../harness/canary.js';
import { card, closeDialogs, editorClosed, OPTIONS_URL, startAdd, startEdit, until, vaultList } from './helpers.js';

let s: Stack;
let page: Page;
let tmp: string;
const username = 'alice@example.test';
const password1 = makeCanary({ charset: 'full' });
const password2 = makeCanary({ charset: 'full' });
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const base32Seed = () => Array.from(randomBytes(32), (b) => B32[b % 32]).join('');
const seed1 = base32Seed();
const seed2 = base32Seed();
const SECRETS = [password1, password2, seed1, seed2, PASS];
const uri = (seed: string) => `otpauth://totp/Fixture:alice?secret=${seed}&issuer=Fixture&digits=6&period=30&algorithm=SHA1`;

/** Record every answer the page receives over runtime messaging (and any port or push). */
function instrument(): void {
  const w = window as unknown as { __bfSeen: string[]; __bfWrapped: boolean };
  w.__bfSeen = [];
  const rt = chrome.runtime;
  const seen = (m: unknown) => w.__bfSeen.push(JSON.stringify(m) ?? 'undefined');
  const orig = rt.sendMessage as unknown as (...a: unknown[]) => Promise<unknown>;
  const wrapped = (...args: unknown[]) =>
    Promise.resolve(orig.apply(rt, args)).then((r) => {
      seen(r);
      return r;
    });
  Object.defineProperty(rt, 'sendMessage', { value: wrapped, configurable: true, writable: true });
  rt.onMessage.addListener((m: unknown) => {
    seen(m);
  });
  const connect = rt.connect as unknown as (...a: unknown[]) => chrome.runtime.Port;
  Object.defineProperty(rt, 'connect', {
    value: (...a: unknown[]) => {
      const port = connect.apply(rt, a);
      port.onMessage.addListener(seen);
      return port;
    },
    configurable: true,
    writable: true,
  });
  w.__bfWrapped = rt.sendMessage === (wrapped as unknown);
}

/** Everything the page can keep: chrome.storage (local, sync, session), Web Storage, IndexedDB, Cache Storage, cookies. */
async function storageDump(p: Page): Promise<string> {
  return p.evaluate(async () => {
    const out: Record<string, unknown> = {};
    out.local = await chrome.storage.local.get(null);
    out.sync = await chrome.storage.sync.get(null);
    out.session = await chrome.storage.session.get(null);
    out.localStorage = { ...localStorage };
    out.sessionStorage = { ...sessionStorage };
    out.cookie = document.cookie;
    const idb: unknown[] = [];
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open(info.name!);
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      for (const store of db.objectStoreNames) {
        const all = await new Promise<unknown[]>((res, rej) => {
          const r = db.transaction(store).objectStore(store).getAll();
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        idb.push({ db: info.name, store, all });
      }
      db.close();
    }
    out.indexedDB = idb;
    const cached: string[] = [];
    for (const k of await caches.keys()) {
      const c = await caches.open(k);
      for (const req of await c.keys()) cached.push(req.url, await (await c.match(req))!.text());
    }
    out.caches = cached;
    return JSON.stringify(out);
  });
}

async function assertPageHoldsNoSecret(where: string): Promise<void> {
  assertNoSecret(await page.content(), SECRETS, `${where}: page.content()`);
  assertNoSecret((await allInputValues(page)).join('\n'), SECRETS, `${where}: input values`);
  const seen = await page.evaluate(() => (window as unknown as { __bfSeen: string[] }).__bfSeen);
  assertNoSecret(seen.join('\n'), SECRETS, `${where}: messages the page received`);
  assertNoSecret(await storageDump(page), SECRETS, `${where}: storage`);
}

async function qrPng(text: string): Promise<string> {
  const file = path.join(tmp, `qr-${randomBytes(4).toString('hex')}.png`);
  await QRCode.toFile(file, text, { type: 'png', margin: 2, scale: 6 });
  return file;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-settings-'));
  s = await startStack();
  page = await s.browser.context.newPage();
  await page.addInitScript(instrument);
  await page.goto(OPTIONS_URL);
  await page.waitForSelector('#view-list:not([hidden])');
  expect(await page.evaluate(() => (window as unknown as { __bfWrapped: boolean }).__bfWrapped)).toBe(true);
});
afterAll(async () => {
  await s?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});
afterEach(async () => {
  await closeDialogs(page);
});

describe('write-only secrets', () => {
  it('password and pasted otpauth URI: saved, then nowhere in the page', async () => {
    await startAdd(page);
    const editor = page.locator('#editor');
    await editor.getByLabel('Label', { exact: true }).fill('canary');
    await editor.getByLabel('Site 1', { exact: true }).fill(s.server.origin('bank.test'));
    await editor.getByLabel('Username', { exact: true }).fill(username);
    await editor.getByLabel('Password', { exact: true }).fill(password1);
    await editor.getByLabel('One-time codes (TOTP)').fill(uri(seed1));
    await editor.getByRole('button', { name: 'Add credential' }).click();
    await editorClosed(page);
    expect((await vaultList(s)).find((c) => c.label === 'canary')).toMatchObject({ has_username: true, has_password: true, has_totp: true });
    // The card says what is set, never what it is.
    expect(await card(page, 'canary').locator('.has li.on').allTextContents()).toEqual(['username set', 'password set', 'TOTP set']);
    const seen = await page.evaluate(() => (window as unknown as { __bfSeen: string[] }).__bfSeen);
    expect(seen.length).toBeGreaterThan(2);
    await assertPageHoldsNoSecret('after add');
  });

  it('replacing the password and setting TOTP from a QR image: nothing comes back, before or after saving', async () => {
    await startEdit(page, 'canary');
    const editor = page.locator('#editor');
    expect(await editor.locator('#f-totp-state').textContent()).toBe('configured');
    await editor.getByLabel('Password', { exact: true }).fill(password2);
    await editor.getByLabel('Choose a QR-code image').setInputFiles(await qrPng(uri(seed2)));
    await until(() => editor.locator('#f-totp-qr-status').isVisible()).toBe(true);
    expect(await editor.locator('#f-totp-qr-text').textContent()).toMatch(/QR code read: 6 digits every 30 s \(SHA1\)/);
    // Read but not yet sent: still not in the DOM (the page keeps it in one variable).
    assertNoSecret(await page.content(), [seed2], 'after QR decode: page.content()');
    assertNoSecret((await allInputValues(page)).join('\n'), [seed2], 'after QR decode: input values');
    await editor.getByRole('button', { name: 'Save changes' }).click();
    // Both replace stored values: the passphrase is asked first.
    const reauth = page.locator('#reauth');
    await until(() => reauth.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
    expect(await reauth.locator('#reauth-what li').allTextContents()).toEqual(['replaces the stored password', 'replaces the stored TOTP seed']);
    await reauth.getByLabel('Vault passphrase').fill(PASS);
    await reauth.getByRole('button', { name: 'Confirm and save' }).click();
    await editorClosed(page);
    await assertPageHoldsNoSecret('after edit');
  });

  it('the secrets set in the page work: password login, then the QR seed’s code', async () => {
    s.server.setAccount('*', { username, password: password2 });
    await s.page.bringToFront();
    await s.page.goto(s.server.url('bank.test', '/plain'));
    const r = await s.fill('canary', { submit: true });
    expect(r.json).toMatchObject({ ok: true, filled: ['username', 'password'], submitted: true });
    await s.server.waitForLogin('bank.test', { predicate: (l) => l.ok && l.complete });
    await s.page.waitForSelector('text=Welcome');

    // TOTP from the QR image: the fixture checks the code server-side.
    s.server.reset();
    s.server.setAccount('*', { username, password: password2, totp: { secret: seed2 } });
    await s.page.goto(s.server.url('bank.test', `/otp?user=${encodeURIComponent(username)}`));
    const t = await s.fill('canary', { totp: true, submit: true });
    expect(t.stderr).toBe('');
    expect(t.json).toMatchObject({ ok: true, filled: ['totp'], submitted: true });
    const login = await s.server.waitForLogin('bank.test', { predicate: (l) => l.step === 'otp' });
    expect(login).toMatchObject({ ok: true, complete: true, reason: 'ok', user: username });
    await page.bringToFront();
  });

  it('a passphrase typed for a widening change is not kept either', async () => {
    await startEdit(page, 'canary');
    const editor = page.locator('#editor');
    await editor.getByRole('button', { name: 'Add site' }).click();
    await editor.getByLabel('Site 2', { exact: true }).fill(s.server.origin('login.example.test'));
    await editor.getByRole('button', { name: 'Save changes' }).click();
    const reauth = page.locator('#reauth');
    await until(() => reauth.isVisible()).toBe(true);
    await reauth.getByLabel('Vault passphrase').fill(PASS);
    await reauth.getByLabel('Vault passphrase').press('Enter');
    await editorClosed(page);
    expect((await vaultList(s)).find((c) => c.label === 'canary')?.origins).toEqual([s.server.origin('bank.test'), s.server.origin('login.example.test')]);
    await assertPageHoldsNoSecret('after widening');
  });

  it('nothing in blindfill’s home (audit, logs) or CLI output holds them', async () => {
    assertNoSecret(s.home.readLogs(), SECRETS, 'BLINDFILL_HOME');
    assertNoSecret(s.outputs.join('\n'), SECRETS, 'CLI output');
  });
});

describe('QR import', () => {
  it('an image without a QR code, or with a non-TOTP one, is refused with a reason', async () => {
    await startEdit(page, 'canary');
    const editor = page.locator('#editor');
    const blank = path.join(tmp, 'blank.png');
    const png = new PNG({ width: 64, height: 64 });
    png.data.fill(255);
    fs.writeFileSync(blank, PNG.sync.write(png));
    await editor.getByLabel('Choose a QR-code image').setInputFiles(blank);
    await until(() => editor.locator('#f-totp-err').textContent()).toMatch(/No QR code found/);
    await editor.getByLabel('Choose a QR-code image').setInputFiles(await qrPng(`otpauth://hotp/x?secret=${base32Seed()}&counter=1`));
    await until(() => editor.locator('#f-totp-err').textContent()).toMatch(/not a TOTP setup code: .*hotp/);
    await editor.getByLabel('Choose a QR-code image').setInputFiles(await qrPng('https://example.com/not-a-seed'));
    await until(() => editor.locator('#f-totp-err').textContent()).toMatch(/not a TOTP setup code/);
    expect(await editor.locator('#f-totp-qr-status').isVisible()).toBe(false);
    // Discarding a read code leaves the stored one alone.
    await editor.getByLabel('Choose a QR-code image').setInputFiles(await qrPng(uri(base32Seed())));
    await until(() => editor.locator('#f-totp-qr-status').isVisible()).toBe(true);
    await editor.getByRole('button', { name: 'Discard' }).click();
    expect(await editor.locator('#f-totp-qr-status').isVisible()).toBe(false);
    await editor.getByRole('button', { name: 'Cancel' }).click();
    await editorClosed(page);
  });
});
