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
 * directory. Names resolve to 127.0.0.1 through the `network.dns.forceResolve` pref.
 * The fixture server's CA is trusted in the profile's own NSS store (cert9.db, with
 * certutil: harness/nss.ts), so Firefox validates the sites' certificates itself; no
 * acceptInsecureCerts (Firefox would report every such connection as accepted despite
 * errors, and the extension refuses those: INSECURE_CONNECTION).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { BIN, initVault, makeHome, ROOT } from '../core/cli.js';
import { startFixtureServer } from '../fixtures/server.js';
import { type BrowserStack, cliFill, waitForBrowser } from '../harness/browser-stack.js';
import { trustInNssDb } from '../harness/nss.js';

export { allInputValues } from '../harness/browser-stack.js';

export const FIREFOX_PATH = process.env.BLINDFILL_FIREFOX ?? '/usr/bin/firefox-esr';
export const FIREFOX_ADDON_ID = 'blindfill@blindfill.dev';
/** The add-on's moz-extension:// host, pinned (extensions.webextensions.uuids) so tests can open its pages. */
export const FIREFOX_ADDON_UUID = '6b1f0c2e-5a4d-4e0b-9c1a-b1d0f1110001';

export interface FirefoxStack extends BrowserStack {
  /** The HOME of every process of the stack (holds .mozilla/native-messaging-hosts/). */
  userHome: string;
  browser: Browser;
  page: Page;
  /** moz-extension://UUID/ of the installed add-on. */
  extensionBase: string;
  /** The path `host install --browser firefox` printed. */
  hostManifest: string;
}

export interface FirefoxStackOptions {
  /** The unpacked add-on to install (default dist/firefox). */
  extensionDir?: string;
  /** More Firefox prefs. */
  prefs?: Record<string, unknown>;
  /**
   * The BiDi session's acceptInsecureCerts: Firefox then loads a page whose certificate it
   * rejects as if the person had accepted the risk (the CA stays trusted either way).
   */
  acceptInsecureCerts?: boolean;
  /** More environment for the CLI, daemon and host (e.g. BLINDFILL_TEST_FILL_DELAY_MS). */
  homeEnv?: NodeJS.ProcessEnv;
  /** More CAs the profile trusts (another fixture server's, e.g. the WebAuthn relying party). */
  extraCas?: string[];
}

/**
 * A copy of dist/firefox whose background first runs a shim that makes
 * chrome.scripting look like Firefox before documentIds support: results carry no
 * documentId and a documentIds target is refused. Test-only: it exercises the
 * extension's stand-in document ids (extension/background/frame-ids.ts) in real Firefox.
 */
export function withoutDocumentIds(): string {
  return withBackgroundShim('no-document-ids.js', [
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
  ]);
}

/**
 * A copy of dist/firefox whose page scripts see no `location.ancestorOrigins` (as in
 * Firefox before it had them): before each file injection the background shim shadows
 * `location` on the extension's content-script global (the isolated world only; the page
 * is untouched) with a view that lacks ancestorOrigins. Test-only.
 */
export function withoutAncestorOrigins(): string {
  return withBackgroundShim('no-ancestor-origins.js', [
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
  ]);
}

/** A temporary copy of dist/firefox whose background runs `lines`, as the script `name`, before its own scripts. */
function withBackgroundShim(name: string, lines: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-ff-ext-'));
  fs.cpSync(path.join(ROOT, 'dist/firefox'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, name), [...lines, ''].join('\n'));
  const manifestPath = path.join(dir, 'manifest.json');
  const m = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { background: { scripts: string[] } };
  m.background.scripts = [name, ...m.background.scripts];
  fs.writeFileSync(manifestPath, JSON.stringify(m, null, 2));
  return dir;
}

export async function startFirefoxStack(opts: FirefoxStackOptions = {}): Promise<FirefoxStack> {
  const server = await startFixtureServer();
  const userHome = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-ff-home-'));
  const profileDir = path.join(userHome, 'profile');
  trustInNssDb(profileDir, server.certPem);
  for (const [i, ca] of (opts.extraCas ?? []).entries()) trustInNssDb(profileDir, ca, `blindfill extra CA ${i}`);
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
      userDataDir: profileDir,
      acceptInsecureCerts: opts.acceptInsecureCerts === true,
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
    await waitForBrowser(home, (b) => b.browser === 'firefox', 151, 'the Firefox add-on never connected to the daemon');
    const page = (await browser.pages())[0] ?? (await browser.newPage());
    const b = browser;
    const outputs: string[] = [];
    return {
      server,
      home,
      userHome,
      browser: b,
      page,
      extensionBase: `moz-extension://${FIREFOX_ADDON_UUID}/`,
      hostManifest,
      outputs,
      fill: cliFill(home, outputs),
      async close() {
        await b.close().catch(() => undefined);
        await home.stop();
        await server.close();
        fs.rmSync(userHome, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await browser?.close().catch(() => undefined);
    await home.stop();
    await server.close();
    throw e;
  }
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
