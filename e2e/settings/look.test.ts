/**
 * Issue #6: how the settings page and popup look and how they work without a mouse.
 * Screenshots at 400 px and 1400 px, light and dark, into docs/screenshots/ (looked at by
 * a person; the test checks they were made and stay small). An automated accessibility
 * smoke: every control has an accessible name (Chromium's own accessibility tree), Tab
 * reaches every control of each view and dialog with a visible focus ring, Enter submits,
 * Escape closes, and focus returns where it came from.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import type { CDPSession, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../browser/setup.js';
import { ROOT } from '../core/cli.js';
import { addViaCli, closeDialogs, editorClosed, openPopup, openSettings, startEdit, until, vaultList } from './helpers.js';

const SHOTS = path.join(ROOT, 'docs/screenshots');
let s: Stack;
let page: Page;
let qrFile: string;

beforeAll(async () => {
  qrFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bf-look-')), 'qr.png');
  await QRCode.toFile(qrFile, 'otpauth://totp/Bank:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Bank', { margin: 2, scale: 6 });
  s = await startStack();
  await addViaCli(s, [
    { label: 'github-personal', username: 'alice', password: 'pw-1-abcdef', totp: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', origins: ['https://github.com'] },
    { label: 'acme-vpn', username: 'alice', password: 'pw-2-abcdef', windows: ['Acme VPN — Sign in'], sequence: '{USERNAME}{TAB}{PASSWORD}{ENTER}', policy: 'confirm' },
    { label: 'bank.example', username: 'alice', password: 'pw-3-abcdef', origins: ['https://bank.example.com', 'https://*.login.bank.example.com'], policy: 'confirm' },
    { label: 'staging-admin', password: 'pw-4-abcdef', origins: ['http://localhost:8080'] },
  ]);
  page = await openSettings(s);
  await page.waitForSelector('#view-list:not([hidden])');
});
afterAll(async () => {
  await s?.close();
  if (qrFile) fs.rmSync(path.dirname(qrFile), { recursive: true, force: true });
});

/**
 * Save a screenshot as docs/screenshots/NAME.png. A file that differs from the committed
 * one in only a few pixels (rendering noise) is left alone, so a test run does not dirty
 * the tree; a real change of the design replaces it.
 */
async function shot(p: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  const png = await p.screenshot({ animations: 'disabled', caret: 'hide' });
  expect(png.length).toBeLessThan(250_000);
  if (fs.existsSync(file) && nearlySame(fs.readFileSync(file), png)) return;
  fs.writeFileSync(file, png);
}

function nearlySame(a: Buffer, b: Buffer): boolean {
  const x = PNG.sync.read(a);
  const y = PNG.sync.read(b);
  if (x.width !== y.width || x.height !== y.height) return false;
  let diff = 0;
  for (let i = 0; i < x.data.length; i += 4) {
    if (x.data[i] !== y.data[i] || x.data[i + 1] !== y.data[i + 1] || x.data[i + 2] !== y.data[i + 2]) diff++;
  }
  return diff <= x.width * x.height * 0.002;
}

describe('screenshots (docs/screenshots/)', () => {
  // Every view at both widths; each dialog at one width in light and the other in dark.
  const dialogShots = (width: number, scheme: string) => (width === 400) === (scheme === 'light');
  for (const width of [400, 1400]) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`${width} px, ${scheme}: list, editor, passphrase dialog`, async () => {
        await page.setViewportSize({ width, height: width === 400 ? 860 : 900 });
        await page.emulateMedia({ colorScheme: scheme });
        await page.evaluate(() => {
          window.scrollTo(0, 0);
          (document.activeElement as HTMLElement | null)?.blur();
        });
        // Nothing overflows sideways at this width.
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        await shot(page, `settings-list-${width}-${scheme}`);

        await startEdit(page, 'bank.example');
        const editor = page.locator('#editor');
        // Show a refusal beside a field, as a person would see it.
        await editor.getByRole('button', { name: 'Add site' }).click();
        await editor.getByLabel('Site 3', { exact: true }).fill('http://bank.example.net');
        await editor.getByRole('button', { name: 'Save changes' }).click();
        await until(() => editor.getByLabel('Site 3', { exact: true }).getAttribute('aria-invalid')).toBe('true');
        await editor.getByLabel('Site 3', { exact: true }).focus();
        expect(await editor.evaluate((d) => d.scrollWidth <= d.clientWidth + 1)).toBe(true);
        if (dialogShots(width, scheme)) await shot(page, `settings-editor-${width}-${scheme}`);

        // The write-only values, with a QR code read and a password typed (masked).
        await editor.locator('#more summary').click();
        await editor.getByLabel('Password', { exact: true }).fill('typed-not-shown');
        await editor.getByLabel('Choose a QR-code image').setInputFiles(qrFile);
        await until(() => editor.locator('#f-totp-qr-status').isVisible()).toBe(true);
        await editor.locator('.dialog-body').evaluate((b) => b.scrollTo(0, b.scrollHeight));
        await editor.locator('#f-password').focus();
        if (!dialogShots(width, scheme)) await shot(page, `settings-values-${width}-${scheme}`);

        await editor.getByLabel('Site 3', { exact: true }).fill('https://bank.example.net');
        await editor.getByRole('button', { name: 'Save changes' }).click();
        await until(() => page.locator('#reauth').isVisible()).toBe(true);
        if (!dialogShots(width, scheme)) await shot(page, `settings-passphrase-${width}-${scheme}`);
        await closeDialogs(page);
        await editorClosed(page);
      });
    }
  }

  it('locked view and popup, light and dark', async () => {
    const popup = await openPopup(s);
    for (const scheme of ['light', 'dark'] as const) {
      await popup.emulateMedia({ colorScheme: scheme });
      await popup.setViewportSize({ width: 320, height: await popup.evaluate(() => document.body.scrollHeight) });
      await shot(popup, `popup-${scheme}`);
    }
    await popup.close();
    await s.home.run(['lock']);
    await page.reload();
    await page.waitForSelector('#view-locked:not([hidden])');
    for (const [width, scheme] of [
      [400, 'dark'],
      [1400, 'light'],
    ] as const) {
      await page.setViewportSize({ width, height: width === 400 ? 860 : 900 });
      await page.emulateMedia({ colorScheme: scheme });
      await shot(page, `settings-locked-${width}-${scheme}`);
    }
    await page.locator('#view-locked').getByLabel('Vault passphrase').fill('correct horse battery staple');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#view-list:not([hidden])');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: 'light' });
  });
});

// ---- accessibility smoke -------------------------------------------------------------

interface AxNode {
  ignored: boolean;
  role?: { value: string };
  name?: { value: string };
  backendDOMNodeId?: number;
}
const CONTROL_ROLES = new Set(['textbox', 'checkbox', 'radio', 'button', 'link', 'combobox', 'spinbutton', 'slider', 'switch', 'searchbox', 'menuitem', 'tab', 'DisclosureTriangle']);

/** Controls (per Chromium's accessibility tree) with no accessible name. */
async function unnamedControls(p: Page, cdp: CDPSession): Promise<string[]> {
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] };
  const bad: string[] = [];
  let controls = 0;
  for (const n of nodes) {
    if (n.ignored || !n.role || !CONTROL_ROLES.has(n.role.value)) continue;
    controls++;
    if (!n.name?.value.trim()) bad.push(`${n.role.value} #${n.backendDOMNodeId}`);
  }
  expect(controls).toBeGreaterThan(0);
  // Every <input> in the page that is rendered must be in the tree with a name, too.
  const inputs = await p.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea')]
      .filter((e) => (e as HTMLElement).getClientRects().length > 0 && !(e as HTMLElement).closest('[inert], dialog:not([open])'))
      .map((e) => e.id || e.outerHTML.slice(0, 80)),
  );
  for (const id of inputs) {
    const name = await p.locator(`[id="${id}"]`).evaluate((e) => {
      const el = e as HTMLInputElement;
      if (el.getAttribute('aria-label')) return el.getAttribute('aria-label');
      const by = el.getAttribute('aria-labelledby');
      if (by) return by.split(/\s+/).map((x) => document.getElementById(x)?.textContent ?? '').join(' ');
      return [...(el.labels ?? [])].map((l) => l.textContent ?? '').join(' ');
    });
    if (!name?.trim()) bad.push(`input #${id}`);
  }
  return bad;
}

/** The controls Tab should reach now: visible, enabled, not inert (inside the open modal if any). */
async function reachable(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const modal = [...document.querySelectorAll('dialog[open]')].pop();
    const root: ParentNode = modal ?? document;
    const els = [...root.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])')];
    const seenRadio = new Set<string>();
    const out: string[] = [];
    for (const e of els) {
      if ((e as HTMLButtonElement).disabled || e.getClientRects().length === 0) continue;
      if (getComputedStyle(e).visibility === 'hidden') continue;
      if (e.closest('details:not([open])') && e.tagName !== 'SUMMARY') continue;
      if (e instanceof HTMLInputElement && e.type === 'radio') {
        // A radio group is one Tab stop.
        if (seenRadio.has(e.name)) continue;
        seenRadio.add(e.name);
        out.push(`radio:${e.name}`);
        continue;
      }
      const key = e.id || `${e.tagName.toLowerCase()}:${(e.getAttribute('aria-label') ?? e.textContent ?? '').trim()}#${out.length}`;
      e.dataset.axKey = key;
      out.push(key);
    }
    return out;
  });
}

/** Press Tab `steps` times (call reachable() first: it marks the controls); what was focused, and which showed no focus ring. */
async function tabCycle(p: Page, steps: number): Promise<{ seen: string[]; noRing: string[] }> {
  const seen: string[] = [];
  const noRing: string[] = [];
  for (let i = 0; i < steps; i++) {
    await p.keyboard.press('Tab');
    const r = await p.evaluate(() => {
      const e = document.activeElement as HTMLElement | null;
      if (!e || e === document.body) return null;
      const key = e instanceof HTMLInputElement && e.type === 'radio' ? `radio:${e.name}` : (e.dataset.axKey ?? e.id ?? e.tagName);
      const ring = (x: Element | null) => {
        if (!x) return false;
        const cs = getComputedStyle(x);
        return cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2;
      };
      return { key, ring: ring(e) || ring(e.parentElement) };
    });
    if (!r) continue;
    if (!seen.includes(r.key)) seen.push(r.key);
    if (!r.ring) noRing.push(r.key);
  }
  return { seen, noRing };
}

describe('accessibility smoke', () => {
  let cdp: CDPSession;
  beforeAll(async () => {
    cdp = await s.browser.context.newCDPSession(page);
    await page.bringToFront();
  });

  it('list view: every control is named; Tab reaches each with a visible focus ring', async () => {
    expect(await unnamedControls(page, cdp)).toEqual([]);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const want = await reachable(page);
    const { seen, noRing } = await tabCycle(page, want.length + 3);
    expect(want.filter((w) => !seen.includes(w))).toEqual([]);
    expect(noRing).toEqual([]);
  });

  it('editor: named, reachable, Escape closes and focus goes back to Edit', async () => {
    const edit = page.locator('li.card[data-label="github-personal"]').getByRole('button', { name: 'Edit' });
    await edit.focus();
    await page.keyboard.press('Enter');
    await until(() => page.locator('#editor').isVisible()).toBe(true);
    await page.locator('#more summary').click();
    expect(await unnamedControls(page, cdp)).toEqual([]);
    const want = await reachable(page);
    expect(want).toEqual(expect.arrayContaining(['f-label', 'f-username', 'f-password', 'f-password-generate', 'f-totp', 'f-totp-qr', 'f-sequence', 'radio:policy', 'add-origin', 'add-window', 'editor-save']));
    const { seen, noRing } = await tabCycle(page, want.length + 3);
    expect(want.filter((w) => !seen.includes(w))).toEqual([]);
    expect(noRing).toEqual([]);
    await page.keyboard.press('Escape');
    await editorClosed(page);
    await until(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Edit');
  });

  it('keyboard only: add a credential with Tab, typing and Enter', async () => {
    await page.locator('#add').focus();
    await page.keyboard.press('Enter');
    await until(() => page.locator('#editor').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-label');
    await page.keyboard.type('keyboard-only');
    await page.keyboard.press('Tab');
    await page.keyboard.type('https://keyboard.example');
    await page.keyboard.press('Enter');
    await editorClosed(page);
    expect((await vaultList(s)).find((c) => c.label === 'keyboard-only')).toMatchObject({ origins: ['https://keyboard.example'], has_password: false });
    // Focus returns to the button that opened the editor.
    await until(() => page.evaluate(() => document.activeElement?.id)).toBe('add');
  });

  it('passphrase and remove dialogs, locked view and popup: every control named', async () => {
    await startEdit(page, 'acme-vpn');
    await page.locator('#editor').getByLabel(/Fill when asked/).check();
    await page.locator('#editor').getByRole('button', { name: 'Save changes' }).click();
    await until(() => page.locator('#reauth').isVisible()).toBe(true);
    expect(await unnamedControls(page, cdp)).toEqual([]);
    const { seen } = await tabCycle(page, 6);
    expect(seen).toEqual(expect.arrayContaining(['reauth-pass', 'reauth-cancel', 'reauth-submit']));
    await closeDialogs(page);

    await page.locator('li.card[data-label="acme-vpn"]').getByRole('button', { name: 'Remove…' }).click();
    await until(() => page.locator('#remove').isVisible()).toBe(true);
    // Removing needs the passphrase: focus starts in its field.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('remove-pass');
    expect(await unnamedControls(page, cdp)).toEqual([]);
    await page.keyboard.press('Escape');
    await until(() => page.locator('#remove').isVisible()).toBe(false);

    await s.home.run(['lock']);
    await page.reload();
    await page.waitForSelector('#view-locked:not([hidden])');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('unlock-pass');
    expect(await unnamedControls(page, cdp)).toEqual([]);

    const popup = await openPopup(s);
    const pcdp = await s.browser.context.newCDPSession(popup);
    expect(await unnamedControls(popup, pcdp)).toEqual([]);
    await popup.close();
  });
});
