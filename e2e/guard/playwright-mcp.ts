/** Playwright MCP (@playwright/mcp, installed) for the guard's e2e tests. */
import path from 'node:path';
import { ROOT } from '../core/cli.js';
import { CHROMIUM_PATH } from '../harness/browser.js';

export const PLAYWRIGHT_MCP = path.join(ROOT, 'node_modules/@playwright/mcp/cli.js');
export const EXTENSION = path.join(ROOT, 'dist/chromium');

/** The Playwright MCP config: system Chromium, our extension, a profile with the native host. */
export function playwrightMcpConfig(userDataDir: string, outputDir: string): Record<string, unknown> {
  return {
    browser: {
      browserName: 'chromium',
      userDataDir,
      launchOptions: {
        executablePath: CHROMIUM_PATH,
        headless: false, // --headless=new below: the old headless mode cannot load extensions
        args: [
          '--headless=new',
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--ignore-certificate-errors',
          '--host-resolver-rules=MAP * 127.0.0.1',
          `--disable-extensions-except=${EXTENSION}`,
          `--load-extension=${EXTENSION}`,
        ],
        ignoreDefaultArgs: ['--disable-extensions'],
      },
      contextOptions: { ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 } },
    },
    outputDir,
  };
}

