/**
 * The passkey tests' Chromium stack: the WebAuthn fixture relying party, a throwaway vault
 * with the real daemon, Chromium trusting the RP's CA with the built extension and the
 * native host registered, and the agent's real `blindfill mcp`.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright';
import { BIN, type Home, initVault, makeHome, ROOT } from '../core/cli.js';
import { startWebAuthnRp, type WebAuthnRp } from '../fixtures/webauthn-rp.js';
import { waitForBrowser } from '../harness/browser-stack.js';
import { type LaunchedChromium, launchChromium } from '../harness/browser.js';
import { type McpSession, startMcp } from '../mcp/mcp-client.js';
import type { PasskeyPage } from './scenarios.js';

export interface PasskeyChromium {
  rp: WebAuthnRp;
  home: Home;
  browser: LaunchedChromium;
  page: Page;
  mcp: McpSession;
  close(): Promise<void>;
}

export async function startPasskeyChromium(homeEnv: NodeJS.ProcessEnv = {}): Promise<PasskeyChromium> {
  const rp = await startWebAuthnRp();
  const home = makeHome({ BLINDFILL_PASSKEY_ARM_MS: '2500', ...homeEnv });
  await initVault(home);
  const browser = await launchChromium({
    extensionDir: path.join(ROOT, 'dist/chromium'),
    env: { ...process.env, ...home.env },
    trustCa: rp.certPem,
    beforeLaunch: (dir) => {
      execFileSync(process.execPath, [BIN, 'host', 'install', '--browser', 'chromium', '--user-data-dir', dir], { env: home.env });
    },
  });
  await waitForBrowser(home, () => true, 100, 'the extension never connected to the daemon');
  const mcp = await startMcp(home.env);
  return {
    rp,
    home,
    browser,
    page: browser.page,
    mcp,
    async close() {
      await mcp.close();
      await browser.close();
      await home.stop();
      await rp.close();
    },
  };
}

export function adaptPlaywright(page: Page): PasskeyPage {
  return {
    goto: async (url) => {
      await page.goto(url);
    },
    click: (sel) => page.click(sel),
    evaluate: (expr) => page.evaluate(expr),
    async evaluateInFrame(prefix, expr) {
      for (let i = 0; i < 100; i++) {
        const f = page.frames().find((fr) => fr !== page.mainFrame() && fr.url().startsWith(prefix));
        if (f) {
          await f.waitForLoadState('domcontentloaded');
          return f.evaluate(expr);
        }
        await page.waitForEvent('framenavigated', { timeout: 5_000 }).catch(() => undefined);
      }
      throw new Error(`no frame at ${prefix}`);
    },
    async content() {
      const parts = [await page.content()];
      for (const f of page.frames()) parts.push(await f.evaluate(() => document.documentElement.outerHTML).catch(() => ''));
      return parts.join('\n');
    },
  };
}
