/**
 * The built extension in real Chromium: `vite build` into a temporary directory (the same
 * config as `npx vite build` → dist/chromium), loaded with --load-extension. Checks the
 * fixed ID, the packaged page scripts, that nothing runs on a page that is never filled,
 * and the worker's probe/fill path end to end (requests are handed to the worker's
 * handler directly; the native host and daemon are tested elsewhere).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page, type Worker } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_ID } from '../shared/constants.js';
import { DETECTOR_FILE, FILLER_FILE, PASSKEY_BRIDGE_FILE, PASSKEY_SHIM_FILE } from './page/names.js';
import { CHROMIUM, CHROMIUM_FLAGS, html, REPO, serve, type Site } from './testing/harness.js';

const PASS = 'Tr0ub4dor&3-never-echoed';
const USER = 'bob@example.com';

let tmp: string;
let dist: string;
let ctx: BrowserContext;
let sw: Worker;
let site: Site;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'blindfill-ext-'));
  dist = path.join(tmp, 'chromium');
  execFileSync(process.execPath, [path.join(REPO, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', dist, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: REPO,
    stdio: 'pipe',
  });
  site = await serve();
  ctx = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
    executablePath: CHROMIUM,
    headless: false, // --headless=new is in the flags
    args: [...CHROMIUM_FLAGS, `--disable-extensions-except=${dist}`, `--load-extension=${dist}`],
    viewport: { width: 1000, height: 700 },
  });
  sw = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent('serviceworker'));
}, 120_000);

afterAll(async () => {
  await ctx?.close();
  await site?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

type Req = Record<string, unknown>;
const handle = (req: Req): Promise<Record<string, unknown>> =>
  sw.evaluate((r) => (self as unknown as { blindfill: { handle(x: unknown): Promise<Record<string, unknown>> } }).blindfill.handle(r), req);

async function openPage(body: string): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(site.origin + site.add(html(body)));
  await page.bringToFront();
  return page;
}

const LOGIN = `<form><input id=u name=email><input id=p type=password><button type=submit>Sign in</button></form>
  <script>window.__sub = 0; document.addEventListener('submit', (e) => { e.preventDefault(); __sub++; });</script>`;

describe('package', () => {
  it('loads with the fixed extension ID', () => {
    expect(sw.url()).toBe(`chrome-extension://${EXTENSION_ID}/service-worker-loader.js`);
  });

  it('keeps the key, declares no content script and no web-accessible resource, ships the page scripts', () => {
    const m = JSON.parse(fs.readFileSync(path.join(dist, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    const src = JSON.parse(fs.readFileSync(path.join(REPO, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(m.key).toBe(src.key);
    expect(m.content_scripts).toBeUndefined();
    expect(m.web_accessible_resources).toBeUndefined();
    for (const f of [DETECTOR_FILE, FILLER_FILE, PASSKEY_SHIM_FILE, PASSKEY_BRIDGE_FILE]) {
      const code = fs.readFileSync(path.join(dist, f), 'utf8');
      expect(code).not.toMatch(/^\s*(import|export)\s/m);
      expect(code).not.toMatch(/\bconsole\./);
    }
  });

  it('the native link is trying to reach com.blindfill.host', async () => {
    const state = await sw.evaluate(() => (self as unknown as { blindfill: { link: { state(): unknown } } }).blindfill.link.state());
    expect(state).toMatchObject({ connected: expect.any(Boolean) });
  });
});

describe('worker, end to end in Chromium', () => {
  it('nothing of ours runs on a page until a probe', async () => {
    const page = await openPage(LOGIN);
    const typeOfDetector = () =>
      sw.evaluate(async () => {
        const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
        const [r] = await chrome.scripting.executeScript({ target: { tabId: tab!.id! }, func: () => typeof (globalThis as Record<string, unknown>).__blindfillDetect });
        return r!.result;
      });
    expect(await typeOfDetector()).toBe('undefined');
    expect(await handle({ type: 'probe', origins: [site.origin], want: ['username', 'password'] })).toMatchObject({ ok: true });
    expect(await typeOfDetector()).toBe('function');
    // The page's own world never sees it.
    expect(await page.evaluate(() => typeof (globalThis as Record<string, unknown>).__blindfillDetect)).toBe('undefined');
    await page.close();
  });

  it('probe then fill with submit on the active tab; values reach the page, not the answer', async () => {
    const other = await openPage(`<p>another tab</p>`);
    const page = await openPage(LOGIN);
    const probe = await handle({ type: 'probe', origins: [site.origin], want: ['username', 'password'] });
    expect(probe).toMatchObject({ ok: true, origin: site.origin, targets: [{ frameId: 0, fields: ['username', 'password'] }] });
    const fill = await handle({
      type: 'fill',
      tabId: probe.tabId,
      origins: [site.origin],
      targets: probe.targets,
      values: { username: USER, password: PASS },
      submit: true,
    });
    expect(fill).toEqual({ ok: true, origin: site.origin, filled: ['username', 'password'], submitted: true });
    expect(JSON.stringify(fill)).not.toContain(PASS);
    expect(await page.$eval('#p', (e) => (e as HTMLInputElement).value)).toBe(PASS);
    expect(await page.$eval('#u', (e) => (e as HTMLInputElement).value)).toBe(USER);
    expect(await page.evaluate(() => (window as unknown as { __sub: number }).__sub)).toBe(1);
    // The tab that was brought to front last is the one probed.
    await other.bringToFront();
    expect(await handle({ type: 'probe', origins: [site.origin], want: ['password'] })).toMatchObject({ ok: false, code: 'NO_FILLABLE_FIELD' });
    await other.close();
    await page.close();
  });

  it('ORIGIN_MISMATCH on a tab of another origin', async () => {
    const page = await openPage(LOGIN);
    expect(await handle({ type: 'probe', origins: ['https://example.com'], want: ['password'] })).toMatchObject({ ok: false, code: 'ORIGIN_MISMATCH' });
    await page.close();
  });

  it('cross-origin frames: kept only when the top origin matches too; filled by documentId', async () => {
    const inner = site.add(html(`<form><input id=u name=email><input id=p type=password></form>`));
    const page = await openPage(`<h1>top</h1><iframe src="${site.altOrigin}${inner}" width=600 height=300></iframe>`);
    const frame = page.frames().find((f) => f.url().startsWith(site.altOrigin))!;
    await frame.waitForSelector('#p');
    // Credential for the frame's origin only: the tab (top) does not match.
    expect(await handle({ type: 'probe', origins: [site.altOrigin], want: ['password'] })).toMatchObject({ ok: false, code: 'ORIGIN_MISMATCH' });
    // Credential for the top only: the frame's own origin does not match.
    const topOnly = await handle({ type: 'probe', origins: [site.origin], want: ['password'] });
    expect(topOnly).toMatchObject({ ok: false, code: 'NO_FILLABLE_FIELD' });
    expect(String(topOnly.message)).toContain(site.altOrigin);
    // Both: the frame is the target.
    const probe = await handle({ type: 'probe', origins: [site.origin, site.altOrigin], want: ['username', 'password'] });
    expect(probe).toMatchObject({ ok: true, targets: [{ fields: ['username', 'password'] }] });
    const targets = probe.targets as Array<{ frameId: number; documentId: string }>;
    expect(targets[0]!.frameId).toBeGreaterThan(0);
    const fill = await handle({ type: 'fill', tabId: probe.tabId, origins: [site.origin, site.altOrigin], targets, values: { password: PASS }, submit: false });
    expect(fill).toEqual({ ok: true, origin: site.origin, filled: ['password'], submitted: false });
    expect(await frame.$eval('#p', (e) => (e as HTMLInputElement).value)).toBe(PASS);
    await page.close();
  });

  it('a frame that navigated after the probe is a new document: ORIGIN_MISMATCH, nothing filled', async () => {
    const inner = site.add(html(`<form><input id=u name=email><input id=p type=password></form>`));
    const page = await openPage(`<iframe id=f src="${inner}" width=600 height=300></iframe>`);
    const frame = page.frames().find((f) => f.url().endsWith(inner))!;
    await frame.waitForSelector('#p');
    const probe = await handle({ type: 'probe', origins: [site.origin], want: ['password'] });
    expect(probe).toMatchObject({ ok: true });
    await frame.goto(site.origin + inner); // same URL, new document
    await frame.waitForSelector('#p');
    const fill = await handle({ type: 'fill', tabId: probe.tabId, origins: [site.origin], targets: probe.targets, values: { password: PASS }, submit: false });
    expect(fill).toMatchObject({ ok: false, code: 'ORIGIN_MISMATCH' });
    expect(String(fill.message)).toMatch(/page changed/);
    expect(await frame.$eval('#p', (e) => (e as HTMLInputElement).value)).toBe('');
    await page.close();
  });

  it('the whole tab navigated to another origin between probe and fill: ORIGIN_MISMATCH', async () => {
    const page = await openPage(LOGIN);
    const probe = await handle({ type: 'probe', origins: [site.origin], want: ['password'] });
    expect(probe).toMatchObject({ ok: true });
    await page.goto(site.altOrigin + site.add(html(LOGIN)));
    const fill = await handle({ type: 'fill', tabId: probe.tabId, origins: [site.origin], targets: probe.targets, values: { password: PASS }, submit: false });
    expect(fill).toMatchObject({ ok: false, code: 'ORIGIN_MISMATCH' });
    expect(await page.$eval('#p', (e) => (e as HTMLInputElement).value)).toBe('');
    await page.close();
  });

  it('TIMEOUT when the page does not answer (main thread busy)', async () => {
    const page = await openPage(`${LOGIN}<script>setTimeout(() => { const end = Date.now() + 8000; while (Date.now() < end); }, 200);</script>`);
    await new Promise((r) => setTimeout(r, 400));
    const t0 = Date.now();
    expect(await handle({ type: 'probe', origins: [site.origin], want: ['password'] })).toMatchObject({ ok: false, code: 'TIMEOUT' });
    expect(Date.now() - t0).toBeLessThan(7000);
    await page.close();
  }, 30_000);
});
