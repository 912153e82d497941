/**
 * Issue #9: the settings page offers the same import as `blindfill import`. In real
 * Chromium with the built extension, native host and daemon: export files in the
 * managers' real layouts (a Chrome CSV, a Bitwarden JSON) are chosen with the page's file
 * input, the preview shows what will be imported and what is skipped and why, the one
 * `add` batch lands in the vault (`blindfill list --json` agrees), and an imported
 * credential logs in to a fixture site through `blindfill fill`. A malformed file, a file
 * that is not text and a batch too big for native messaging write nothing. A canary
 * password from the files never shows up in the page (DOM, input values, messages it
 * receives), its console, blindfill's logs or the audit file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { allInputValues, type Stack, startStack } from '../browser/setup.js';
import { PASS } from '../core/cli.js';
import { assertNoSecret, makeCanary } from '../harness/canary.js';
import { bitwardenJson, chromeCsv, randomSeed } from '../onboarding/fixtures.js';
import { MAX_BROWSER_TO_HOST } from '../../shared/constants.js';
import { frameBytes, parseFile, prepare } from '../../extension/options/import-model.js';
import { addViaCli, card, closeDialogs, OPTIONS_URL, until, vaultList, vaultStatus } from './helpers.js';

let s: Stack;
let page: Page;
let tmp: string;
const consoleLines: string[] = [];

const username = 'alice@example.test';
/** The password of the Chrome export's bank login: a canary with every ASCII punctuation. */
const canary = makeCanary({ charset: 'full' });
const bwPassword = makeCanary({ charset: 'full' });
const seed = randomSeed();
const SECRETS = [canary, bwPassword, seed, PASS];

const EXISTING = { label: 'github', origins: ['https://github.com'], windows: [], policy: 'auto', has_username: false, has_password: true, has_totp: false, has_passkey: false, source: 'local' };

/** Record every answer and message the page receives over runtime messaging. */
function instrument(): void {
  const w = window as unknown as { __bfSeen: string[] };
  w.__bfSeen = [];
  const rt = chrome.runtime;
  const orig = rt.sendMessage as unknown as (...a: unknown[]) => Promise<unknown>;
  Object.defineProperty(rt, 'sendMessage', {
    value: (...args: unknown[]) =>
      Promise.resolve(orig.apply(rt, args)).then((r) => {
        w.__bfSeen.push(JSON.stringify(r) ?? 'undefined');
        return r;
      }),
    configurable: true,
    writable: true,
  });
  rt.onMessage.addListener((m: unknown) => {
    w.__bfSeen.push(JSON.stringify(m) ?? 'undefined');
  });
}

function writeTmp(name: string, content: string | Uint8Array): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content, { mode: 0o600 });
  return file;
}

const vaultBytes = () => fs.readFileSync(path.join(s.home.dir, 'vault.bfv'));
const dialog = () => page.locator('#import');
const submit = () => dialog().locator('#import-submit');

async function openImport(): Promise<void> {
  await page.getByRole('button', { name: 'Import…' }).click();
  await until(() => dialog().evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
}

async function choose(formatName: RegExp, file: string): Promise<void> {
  await dialog().getByRole('radio', { name: formatName }).check();
  await dialog().getByLabel('Choose the export file').setInputFiles(file);
}

/** The preview's rows, as the page shows them. */
async function previewRows(): Promise<{ will: string[][]; skipped: string[][] }> {
  const will = await dialog()
    .locator('#import-list li[data-label]')
    .evaluateAll((els) => els.map((e) => [e.querySelector('.preview-label')?.textContent ?? '', e.querySelector('.preview-origins')?.textContent ?? '']));
  const skipped = await dialog()
    .locator('#import-skipped li')
    .evaluateAll((els) => els.map((e) => [e.querySelector('.skip-name')?.textContent ?? '', e.querySelector('.skip-reason')?.textContent ?? '']));
  return { will, skipped };
}

async function assertPageHoldsNoSecret(where: string): Promise<void> {
  assertNoSecret(await page.content(), SECRETS, `${where}: page.content()`);
  assertNoSecret((await allInputValues(page)).join('\n'), SECRETS, `${where}: input values`);
  const seen = await page.evaluate(() => (window as unknown as { __bfSeen: string[] }).__bfSeen);
  assertNoSecret(seen.join('\n'), SECRETS, `${where}: messages the page received`);
  assertNoSecret(consoleLines.join('\n'), SECRETS, `${where}: console`);
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-settings-import-'));
  s = await startStack();
  // An existing label the import must not clash with.
  await addViaCli(s, { label: 'github', password: 'existing-pw-1', origins: ['https://github.com'] });
  page = await s.browser.context.newPage();
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
  await page.addInitScript(instrument);
  await page.goto(OPTIONS_URL);
  await page.waitForSelector('#view-list:not([hidden])');
});
afterAll(async () => {
  await s?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});
afterEach(async () => {
  await closeDialogs(page);
});

describe('import through the settings page', () => {
  it('Chrome CSV: preview (counts, skipped reasons), one batch, the vault agrees, a credential logs in', async () => {
    const file = writeTmp(
      'Chrome Passwords.csv',
      chromeCsv([
        { name: 'bank.test', url: s.server.url('bank.test', '/plain'), username, password: canary },
        { name: 'Shop', url: s.server.url('shop.example.test', '/login?next=/cart'), username: 'bob', password: 'shop-pw-12345' },
        { name: 'Old forum', url: 'http://forum.example.com/login', username: 'carol', password: 'forum-pw-1' },
        { name: 'com.example.app', url: 'android://hash@com.example.app/', username: 'dave', password: 'app-pw-1' },
        { name: 'No password', url: 'https://nopw.example.com/', username: 'erin' },
      ]),
    );
    await openImport();
    // The CLI's formats, each with its description.
    expect(await dialog().getByRole('radio').count()).toBe(9);
    await expect.poll(() => dialog().locator('label.choice').first().textContent()).toMatch(/Bitwarden.*\.json export \(unencrypted\)/);
    expect(await submit().isDisabled()).toBe(true);
    await choose(/^Chrome/, file);

    await until(() => dialog().locator('#import-summary').textContent()).toBe('2 credentials will be imported, 3 entries skipped.');
    expect(await previewRows()).toEqual({
      will: [
        ['bank', s.server.origin('bank.test').replace('https://', 'https://*.')],
        ['example-shop', s.server.origin('shop.example.test')],
      ],
      skipped: [
        ['Old forum', 'http: site (http://forum.example.com): blindfill fills only over HTTPS'],
        ['com.example.app', 'app URI (android://…), not a web site'],
        ['No password', 'no password, one-time code or passkey'],
      ],
    });
    expect(await dialog().locator('#import-file-name').textContent()).toBe('Chrome Passwords.csv');
    expect(await submit().textContent()).toBe('Import 2 credentials');
    // Read, not sent yet: the vault has not changed and the page holds no value in its DOM.
    expect(await vaultList(s)).toEqual([EXISTING]);
    await assertPageHoldsNoSecret('after the preview');

    await submit().click();
    await until(() => dialog().locator('#import-result').textContent()).toBe('Imported 2 credentials, skipped 3.');
    expect(await dialog().locator('#import-reminder').textContent()).toMatch(/still holds every password in the clear: delete it \(Chrome Passwords\.csv\)/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('import-result');

    const cred = (label: string, origins: string[], has: { u?: boolean; t?: boolean } = {}) => ({
      label,
      origins,
      windows: [],
      policy: 'auto',
      has_username: has.u ?? true,
      has_password: true,
      has_totp: has.t ?? false,
      has_passkey: false,
      source: 'local',
    });
    expect(await vaultList(s)).toEqual([cred('bank', [s.server.origin('bank.test').replace('https://', 'https://*.')]), cred('example-shop', [s.server.origin('shop.example.test')]), EXISTING]);
    // The list behind the dialog follows.
    await until(() => card(page, 'bank').count()).toBe(1);
    await until(() => card(page, 'example-shop').count()).toBe(1);
    await dialog().getByRole('button', { name: 'Done' }).click();
    await until(() => dialog().evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('import-open');

    // The imported password logs in (checked by the fixture server).
    s.server.setAccount('*', { username, password: canary });
    await s.page.bringToFront();
    await s.page.goto(s.server.url('bank.test', '/plain'));
    const r = await s.fill('bank', { submit: true });
    expect(r.stderr).toBe('');
    expect(r.json).toMatchObject({ ok: true, label: 'bank', filled: ['username', 'password'], submitted: true });
    const login = await s.server.waitForLogin('bank.test', { predicate: (l) => l.ok && l.complete });
    expect(login.user).toBe(username);
    // Wait for the welcome page: a later goto must not race the form's POST navigation.
    await s.page.locator('text=Welcome').first().waitFor({ timeout: 10_000 });
    await s.page.waitForLoadState('load');
    await page.bringToFront();
    await assertPageHoldsNoSecret('after the import');
  });

  it('Bitwarden JSON: logins with TOTP, cards and notes skipped, labels made unique against the vault', async () => {
    const file = writeTmp(
      'bitwarden_export.json',
      bitwardenJson(
        [
          { name: 'GitHub', uris: ['https://github.com/login', 'https://gist.github.com/'], username: 'alice', password: bwPassword, totp: seed },
          { name: 'Shop', url: s.server.url('shop.example.test', '/'), username: 'bob', password: 'other-shop-pw-1' },
          { name: 'Codes only', totp: `otpauth://totp/Codes:me?secret=${seed}&issuer=Codes` },
        ],
        [
          { id: 'c1', type: 3, name: 'Visa', card: { number: '4111111111111111' } },
          { id: 'n1', type: 2, name: 'Wifi', notes: 'the wifi password', secureNote: { type: 0 } },
        ],
      ),
    );
    await openImport();
    await choose(/^Bitwarden(?! \(CSV\))/, file);
    await until(() => dialog().locator('#import-summary').textContent()).toBe('2 credentials will be imported, 3 entries skipped.');
    expect(await previewRows()).toEqual({
      will: [
        ['github-2', 'https://*.github.com, https://gist.github.com'],
        ['example-shop-2', s.server.origin('shop.example.test')],
      ],
      skipped: [
        ['Codes only', 'no URL'],
        ['Visa', 'not a login (card)'],
        ['Wifi', 'not a login (secure note)'],
      ],
    });
    await submit().click();
    await until(() => dialog().locator('#import-result').textContent()).toBe('Imported 2 credentials, skipped 3.');
    const list = await vaultList(s);
    expect(list.map((c) => c.label)).toEqual(['bank', 'example-shop', 'example-shop-2', 'github', 'github-2']);
    expect(list.find((c) => c.label === 'github-2')).toEqual({
      label: 'github-2',
      origins: ['https://*.github.com', 'https://gist.github.com'],
      windows: [],
      policy: 'auto',
      has_username: true,
      has_password: true,
      has_totp: true,
      has_passkey: false,
      source: 'local',
    });
    expect(list.find((c) => c.label === 'example-shop-2')).toMatchObject({ origins: [s.server.origin('shop.example.test')], has_password: true, has_totp: false });
    await assertPageHoldsNoSecret('after the Bitwarden import');
  });

  it('a malformed file, the wrong format, a file that is not text: a reason, and nothing written', async () => {
    const before = vaultBytes();
    const labels = (await vaultList(s)).map((c) => c.label);
    const good = chromeCsv([
      { name: 'One', url: 'https://one.example.com/', username: 'u1', password: canary },
      { name: 'Two', url: 'https://two.example.com/', username: 'u2', password: 'two-pw-123' },
    ]);
    // Damaged midway: a quoted field that never closes.
    const damaged = writeTmp('damaged.csv', good.replace('"Two"', '"Two'));
    await openImport();
    await choose(/^Chrome/, damaged);
    await until(() => dialog().locator('#import-err').textContent()).toMatch(/^damaged\.csv: malformed CSV.*Nothing was imported\.$/);
    expect(await dialog().locator('#import-preview').isHidden()).toBe(true);
    expect(await submit().isDisabled()).toBe(true);

    // A good CSV read as Bitwarden JSON.
    const csv = writeTmp('passwords.csv', good);
    await choose(/^Bitwarden(?! \(CSV\))/, csv);
    await until(() => dialog().locator('#import-err').textContent()).toMatch(/not valid JSON.*Nothing was imported/);
    expect(await submit().isDisabled()).toBe(true);
    // Switching to the right format reads the same file again: now it previews.
    await dialog().getByRole('radio', { name: /^Chrome/ }).check();
    await until(() => dialog().locator('#import-summary').textContent()).toBe('2 credentials will be imported.');
    expect(await dialog().locator('#import-err').isHidden()).toBe(true);

    // Not text at all (a zip), and UTF-16 without its byte-order mark.
    await choose(/^Chrome/, writeTmp('export.zip', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x08, 0x00, 0xff, 0xfe, 0x80])));
    await until(() => dialog().locator('#import-err').textContent()).toMatch(/export\.zip is not a text file/);
    expect(await submit().isDisabled()).toBe(true);
    await choose(/^Chrome/, writeTmp('utf16-no-bom.csv', Buffer.from(good, 'utf16le')));
    await until(() => dialog().locator('#import-err').textContent()).toMatch(/not a text file/);
    // With its BOM, UTF-16 reads like the CLI reads it.
    await choose(/^Chrome/, writeTmp('utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(good, 'utf16le')])));
    await until(() => dialog().locator('#import-summary').textContent()).toBe('2 credentials will be imported.');
    // Closed without importing: nothing was sent.
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    expect(vaultBytes().equals(before)).toBe(true);
    expect((await vaultList(s)).map((c) => c.label)).toEqual(labels);
    await assertPageHoldsNoSecret('after refused files');
  });

  it('a batch too big for one native-messaging message is refused with the CLI command; nothing is sent', async () => {
    const before = vaultBytes();
    const rows = Array.from({ length: 1100 }, (_, i) => ({ name: `bulk ${i}`, url: `https://bulk${i}.example.com/`, username: `user${i}`, password: `${canary}${'x'.repeat(3900)}` }));
    const file = writeTmp('big export.csv', chromeCsv(rows));
    expect(fs.statSync(file).size).toBeGreaterThan(4 * 1024 * 1024);
    await openImport();
    await choose(/^Chrome/, file);
    await until(() => dialog().locator('#import-summary').textContent()).toBe('1100 credentials found: too many to import from this page.');
    const refusal = dialog().locator('#import-refusal');
    await until(() => refusal.isVisible()).toBe(true);
    expect(await refusal.textContent()).toContain("blindfill import --format chrome 'big export.csv'");
    expect(await refusal.textContent()).toMatch(/too much for one message from the browser to blindfill \(4 MiB\)\. Nothing was imported\./);
    expect(await submit().isDisabled()).toBe(true);
    // Enter in the form does not send it either.
    await dialog().getByRole('radio', { name: /^Chrome/ }).press('Enter');
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    expect(vaultBytes().equals(before)).toBe(true);
    // The native port is still up (no oversized frame killed it).
    expect((await vaultStatus(s)).credentials).toBe(5);
    expect(JSON.parse((await s.home.run(['status', '--json'])).stdout).browsers.length).toBeGreaterThan(0);
  });

  it('a batch just under the limit goes through in one message', async () => {
    const count = (await vaultStatus(s)).credentials;
    // As many rows as fit: sized with the page's own estimate, then imported for real.
    const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `near ${i}`, url: `https://near${i}.example.com/`, username: `user${i}`, password: `${canary}${'y'.repeat(3900)}` }));
    const bytes = (n: number) => {
      const parsed = parseFile('chrome', chromeCsv(rows(n)), 'near.csv');
      if (!parsed.ok) throw new Error(parsed.message);
      return frameBytes(prepare(parsed.entries, [], 'chrome', 'near.csv').plan.credentials);
    };
    let n = 900;
    while (bytes(n + 10) <= MAX_BROWSER_TO_HOST - 1024) n += 10;
    const size = bytes(n);
    expect(size).toBeGreaterThan(MAX_BROWSER_TO_HOST - 64 * 1024);
    expect(size).toBeLessThanOrEqual(MAX_BROWSER_TO_HOST - 1024);
    const file = writeTmp('near.csv', chromeCsv(rows(n)));
    await openImport();
    await choose(/^Chrome/, file);
    await until(() => dialog().locator('#import-summary').textContent()).toBe(`${n} credentials will be imported.`);
    expect(await submit().textContent()).toBe(`Import ${n} credentials`);
    await submit().click();
    await until(() => dialog().locator('#import-result').textContent()).toBe(`Imported ${n} credentials, skipped 0.`);
    expect((await vaultStatus(s)).credentials).toBe(count + n);
    expect((await vaultList(s)).find((c) => c.label === `example-near-${n - 1}`)).toMatchObject({ origins: [`https://near${n - 1}.example.com`], has_password: true });
  });

  it('keyboard only at 400 px: open, choose a format and a file, import, Escape', async () => {
    await page.setViewportSize({ width: 400, height: 800 });
    try {
      const file = writeTmp('kb.csv', chromeCsv([{ name: 'Keyboard', url: 'https://keyboard.example.com/', username: 'k', password: 'kb-pw-12345' }]));
      await page.locator('#import-open').focus();
      await page.keyboard.press('Enter');
      await until(() => dialog().isVisible()).toBe(true);
      // Focus starts on the first format; arrows move through them.
      await until(() => page.evaluate(() => document.activeElement?.id)).toBe('import-format-bitwarden');
      await page.keyboard.press('ArrowDown');
      await until(() => page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe('chrome');
      await page.keyboard.press('Tab');
      await until(() => page.evaluate(() => document.activeElement?.id)).toBe('import-file');
      const chooser = page.waitForEvent('filechooser');
      await page.keyboard.press('Space');
      await (await chooser).setFiles(file);
      await until(() => submit().isEnabled()).toBe(true);
      // Every control of the dialog has an accessible name (Chromium's accessibility tree).
      const cdp = await s.browser.context.newCDPSession(page);
      const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { ignored: boolean; role?: { value: string }; name?: { value: string } }[] };
      const controls = nodes.filter((n) => !n.ignored && ['button', 'radio', 'textbox', 'checkbox'].includes(n.role?.value ?? ''));
      expect(controls.filter((n) => n.role?.value === 'radio').map((n) => n.name?.value.split(' ')[0])).toEqual(['Bitwarden', 'Chrome', 'Edge', 'Firefox', '1Password', 'KeePassXC', 'otpauth://', 'Bitwarden', 'KeePassXC']);
      expect(controls.filter((n) => !n.name?.value.trim()).map((n) => n.role?.value)).toEqual([]);
      await cdp.detach();
      // Nothing sticks out sideways at this width.
      expect(await dialog().evaluate((d) => d.scrollWidth <= d.clientWidth + 1)).toBe(true);
      await until(() => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await page.keyboard.press('Tab');
      await until(() => page.evaluate(() => document.activeElement?.id)).toBe('import-cancel');
      await page.keyboard.press('Tab');
      await until(() => page.evaluate(() => document.activeElement?.id)).toBe('import-submit');
      await page.keyboard.press('Enter');
      await until(() => dialog().locator('#import-result').textContent()).toBe('Imported 1 credential, skipped 0.');
      await page.keyboard.press('Escape');
      await until(() => dialog().isVisible()).toBe(false);
      await until(() => page.evaluate(() => document.activeElement?.id)).toBe('import-open');
      expect((await vaultList(s)).find((c) => c.label === 'example-keyboard')).toMatchObject({ origins: ['https://keyboard.example.com'], has_password: true });
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('the canary passwords are nowhere: page, console, blindfill’s logs, audit', async () => {
    await assertPageHoldsNoSecret('at the end');
    assertNoSecret(s.home.readLogs(), SECRETS, 'BLINDFILL_HOME (daemon.log, host.log, audit.log)');
    assertNoSecret(s.outputs.join('\n'), SECRETS, 'CLI output');
    // The audit names what was imported, and nothing of the batch that was refused.
    const audit = fs.readFileSync(path.join(s.home.dir, 'audit.log'), 'utf8');
    expect(audit).toContain('"bank"');
    expect(audit).not.toMatch(/bulk-\d/);
    expect((await s.home.run(['audit', 'verify'])).code).toBe(0);
  });
});
