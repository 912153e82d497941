/**
 * One real stack for a browser test file: fixture HTTPS sites, a throwaway vault with the
 * real daemon, Chromium with the built extension and the native host registered.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright';
import { BIN, type Home, initVault, makeHome, ROOT } from '../core/cli.js';
import { type BrowserStack, cliFill, waitForBrowser } from '../harness/browser-stack.js';
import { type LaunchedChromium, launchChromium } from '../harness/browser.js';
import { startFixtureServer } from '../fixtures/server.js';

export { allInputValues } from '../harness/browser-stack.js';

export interface Stack extends BrowserStack {
  browser: LaunchedChromium;
  page: Page;
}

/** A Chromium of the vault owner's with the built extension, its native host registered in its own profile. */
export function launchOwnerChromium(server: { certPem: string }, home: Home): Promise<LaunchedChromium> {
  return launchChromium({
    extensionDir: path.join(ROOT, 'dist/chromium'),
    env: { ...process.env, ...home.env },
    trustCa: server.certPem,
    beforeLaunch: (dir) => {
      execFileSync(process.execPath, [BIN, 'host', 'install', '--browser', 'chromium', '--user-data-dir', dir], { env: home.env });
    },
  });
}

/** Poll `status` until `n` browsers are connected; their entries. */
export async function waitForBrowsers(home: Home, n: number): Promise<Array<{ profile?: string; pid?: number; guarded?: boolean }>> {
  let browsers: Array<{ profile?: string; pid?: number; guarded?: boolean }> = [];
  for (let i = 0; i < 200; i++) {
    browsers = (JSON.parse((await home.run(['status', '--json'])).stdout) as { browsers: typeof browsers }).browsers;
    if (browsers.length === n) return browsers;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`expected ${n} connected browsers, status shows ${browsers.length}`);
}

export async function startStack(opts: { homeEnv?: NodeJS.ProcessEnv } = {}): Promise<Stack> {
  const server = await startFixtureServer();
  // Chromium trusts the fixture CA (no --ignore-certificate-errors): the extension sees
  // the sites as a person's browser sees a valid site.
  const home = makeHome(opts.homeEnv);
  await initVault(home);
  const browser = await launchOwnerChromium(server, home);
  await waitForBrowser(home, () => true, 100, 'the extension never connected to the daemon');
  const outputs: string[] = [];
  return {
    server,
    home,
    browser,
    page: browser.page,
    outputs,
    fill: cliFill(home, outputs),
    async close() {
      await browser.close();
      await home.stop();
      await server.close();
    },
  };
}
