/**
 * One real Firefox stack for a test file (the Firefox twin of e2e/browser/setup.ts):
 * fixture HTTPS sites, a throwaway vault with the real daemon, Debian's firefox-esr
 * driven by puppeteer-core over WebDriver BiDi with the built dist/firefox/ installed as
 * a temporary add-on, and the native host registered by the real
 * `blindfill host install --browser firefox`.
 *
 * Firefox reads native messaging manifests only from ~/.mozilla/native-messaging-hosts/
 * (no per-profile directory), so every process of the stack (the CLI that installs the
 * host, the daemon, and Firefox, which starts the host) runs with HOME set to a temp
 * directory. Names resolve to 127.0.0.1 through the `network.dns.forceResolve` pref;
 * the fixture server's self-signed certificate is accepted through the BiDi session's
 * acceptInsecureCerts capability.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { BIN, type Home, initVault, makeHome, ROOT } from '../core/cli.js';
import { type FixtureServer, startFixtureServer } from '../fixtures/server.js';

export const FIREFOX_PATH = process.env.BLINDFILL_FIREFOX ?? '/usr/bin/firefox-esr';
export const FIREFOX_ADDON_ID = 'blindfill@blindfill.dev';
/** The add-on's moz-extension:// host, pinned (extensions.webextensions.uuids) so tests can open its pages. */
export const FIREFOX_ADDON_UUID = '6b1f0c2e-5a4d-4e0b-9c1a-b1d0f1110001';

export interface FirefoxStack {
  server: FixtureServer;
  home: Home;
  /** The HOME of every process of the stack (holds .mozilla/native-messaging-hosts/). */
  userHome: string;
  browser: Browser;
  page: Page;
  /** moz-extension://UUID/ of the installed add-on. */
  extensionBase: string;
  /** The path `host install --browser firefox` printed. */
  hostManifest: string;
  /** stdout and stderr of every CLI call made through fill(). */
  outputs: string[];
  fill(label: string, opts?: { submit?: boolean; totp?: boolean }): Promise<{ code: number; json?: Record<string, unknown>; stderr: string; stdout: string }>;
  close(): Promise<void>;
}

export interface FirefoxStackOptions {
  /** The unpacked add-on to install (default dist/firefox). */
  extensionDir?: string;
  /** More Firefox prefs. */
  prefs?: Record<string, unknown>;
  /** More environment for the CLI, daemon and host (e.g. BLINDFILL_TEST_FILL_DELAY_MS). */
  homeEnv?: NodeJS.ProcessEnv;
}

/**
 * A copy of dist/firefox whose background first runs a shim that makes
 * chrome.scripting look like Firefox before documentIds support: results carry no
 * documentId and a documentIds target is refused. Test-only: it exercises the
 * extension's stand-in document ids (extension/background/frame-ids.ts) in real Firefox.
 */
export function withoutDocumentIds(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-ff-ext-'));
  fs.cpSync(path.join(ROOT, 'dist/firefox'), dir, { recursive: true });
  const shim = [
    '// test-only: chrome.scripting without documentIds (as Firefox before it had them)',
    'const scripting = chrome.scripting;',
    'const original = scripting.executeScript.bind(scripting);',
    'scripting.executeScript = async (injection) => {',
    "  if (injection && injection.target && 'documentIds' in injection.target) throw new Error('documentIds is not supported');",
    '  const results = await original(injection);',
    "  // Mark the documents reached by frameIds, so a test can tell the fallback ran.",
    "  if (injection && injection.target && Array.isArray(injection.target.frameIds)) {",
    "    await original({ target: injection.target, func: () => document.documentElement.setAttribute('data-bf-frameids', 'yes') });",
    '  }',
    '  return (results ?? []).map(({ documentId, ...rest }) => rest);',
    '};',
    'globalThis.__blindfillShim = true;',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'no-document-ids.js'), shim);
  const manifestPath = path.join(dir, 'manifest.json');
  const m = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { background: { scripts: string[] } };
  m.background.scripts = ['no-document-ids.js', ...m.background.scripts];
  fs.writeFileSync(manifestPath, JSON.stringify(m, null, 2));
  return dir;
}

/**
 * A copy of dist/firefox whose page scripts see no `location.ancestorOrigins` (as in
 * Firefox before it had them): before each file injection the background shim shadows
 * `location` on the extension's content-script global (the isolated world only; the page
 * is untouched) with a view that lacks ancestorOrigins. Test-only.
 */
export function withoutAncestorOrigins(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-ff-ext-'));
  fs.cpSync(path.join(ROOT, 'dist/firefox'), dir, { recursive: true });
  const shim = [
    '// test-only: page scripts without location.ancestorOrigins (as Firefox before it had them)',
    'function hideAncestorOrigins() {',
    '  if (globalThis.__bfNoAncestorOrigins) return;',
    '  const real = window.location;',
    '  const view = new Proxy({}, {',
    "    get(_, k) { if (k === 'ancestorOrigins') return undefined; const v = real[k]; return typeof v === 'function' ? v.bind(real) : v; },",
    "    has(_, k) { return k !== 'ancestorOrigins' && k in real; },",
    '  });',
    "  Object.defineProperty(globalThis, 'location', { value: view, configurable: true });",
    '  globalThis.__bfNoAncestorOrigins = true;',
    '}',
    'const scripting = chrome.scripting;',
    'const original = scripting.executeScript.bind(scripting);',
    'scripting.executeScript = async (injection) => {',
    '  if (injection && Array.isArray(injection.files)) await original({ target: injection.target, func: hideAncestorOrigins });',
    '  return original(injection);',
    '};',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'no-ancestor-origins.js'), shim);
  const manifestPath = path.join(dir, 'manifest.json');
  const m = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { background: { scripts: string[] } };
  m.background.scripts = ['no-ancestor-origins.js', ...m.background.scripts];
  fs.writeFileSync(manifestPath, JSON.stringify(m, null, 2));
  return dir;
}

export async function startFirefoxStack(opts: FirefoxStackOptions = {}): Promise<FirefoxStack> {
  const server = await startFixtureServer();
  const userHome = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-ff-home-'));
  const home = makeHome({ ...opts.homeEnv, HOME: userHome });
  let browser: Browser | undefined;
  try {
    await initVault(home);
    const hostManifest = execFileSync(process.execPath, [BIN, 'host', 'install', '--browser', 'firefox'], { env: home.env }).toString().trim();
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: true,
      protocol: 'webDriverBiDi',
      acceptInsecureCerts: true,
      defaultViewport: { width: 1280, height: 800 },
      extraPrefsFirefox: {
        'network.dns.forceResolve': '127.0.0.1',
        'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ADDON_ID]: FIREFOX_ADDON_UUID }),
        // No "is this your default browser", no first-run pages, no telemetry uploads.
        'browser.shell.checkDefaultBrowser': false,
        'datareporting.policy.dataSubmissionEnabled': false,
        'toolkit.telemetry.reportingpolicy.firstRun': false,
        ...opts.prefs,
      },
      env: { ...home.env, HOME: userHome } as Record<string, string>,
      timeout: 60_000,
    });
    const id = await browser.installExtension(opts.extensionDir ?? path.join(ROOT, 'dist/firefox'));
    if (id !== FIREFOX_ADDON_ID) throw new Error(`the add-on installed as ${id}`);
    // The background script connects its native port at start-up: wait until the daemon sees it.
    for (let i = 0; ; i++) {
      const st = JSON.parse((await home.run(['status', '--json'])).stdout) as { browsers: Array<{ browser: string }> };
      if (st.browsers.some((b) => b.browser === 'firefox')) break;
      if (i === 150) throw new Error('the Firefox add-on never connected to the daemon');
      await new Promise((r) => setTimeout(r, 100));
    }
    const page = (await browser.pages())[0] ?? (await browser.newPage());
    const b = browser;
    const stack: FirefoxStack = {
      server,
      home,
      userHome,
      browser: b,
      page,
      extensionBase: `moz-extension://${FIREFOX_ADDON_UUID}/`,
      hostManifest,
      outputs: [],
      async fill(label, o = {}) {
        const args = ['fill', label, '--json'];
        if (o.submit) args.push('--submit');
        if (o.totp) args.push('--totp');
        const r = await home.run(args);
        stack.outputs.push(r.stdout, r.stderr);
        return { code: r.code, stderr: r.stderr, stdout: r.stdout, ...(r.code === 0 ? { json: JSON.parse(r.stdout) as Record<string, unknown> } : {}) };
      },
      async close() {
        await b.close().catch(() => undefined);
        await home.stop();
        await server.close();
        fs.rmSync(userHome, { recursive: true, force: true });
      },
    };
    return stack;
  } catch (e) {
    await browser?.close().catch(() => undefined);
    await home.stop();
    await server.close();
    throw e;
  }
}

/** The values of every input on the page, in every frame and open shadow root. */
export async function allInputValues(page: Page): Promise<string[]> {
  const out: string[] = [];
  for (const frame of page.frames()) {
    try {
      out.push(
        ...(await frame.evaluate(() => {
          const vals: string[] = [];
          const walk = (root: Document | ShadowRoot) => {
            root.querySelectorAll('input').forEach((i) => vals.push((i as HTMLInputElement).value));
            root.querySelectorAll('*').forEach((el) => {
              if (el.shadowRoot) walk(el.shadowRoot);
            });
          };
          walk(document);
          return vals;
        })),
      );
    } catch {
      /* detached frame */
    }
  }
  return out;
}

/** Wait until some frame of the page shows text (the fixture's "Welcome, USER"). */
export async function waitForText(page: Page, text: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    for (const f of page.frames()) {
      const found = await f.evaluate((t) => document.body?.innerText.includes(t) ?? false, text).catch(() => false);
      if (found) return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no frame shows "${text}"`);
}
