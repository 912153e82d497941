/**
 * One real stack for a browser test file: fixture HTTPS sites, a throwaway vault with the
 * real daemon, Chromium with the built extension and the native host registered.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright';
import { BIN, type Home, initVault, makeHome, ROOT } from '../core/cli.js';
import { type LaunchedChromium, launchChromium } from '../harness/browser.js';
import { type FixtureServer, startFixtureServer } from '../fixtures/server.js';

export interface Stack {
  server: FixtureServer;
  home: Home;
  browser: LaunchedChromium;
  page: Page;
  /** stdout and stderr of every CLI call made through fill(). */
  outputs: string[];
  fill(label: string, opts?: { submit?: boolean; totp?: boolean }): Promise<{ code: number; json?: Record<string, unknown>; stderr: string; stdout: string }>;
  close(): Promise<void>;
}

export async function startStack(opts: { homeEnv?: NodeJS.ProcessEnv } = {}): Promise<Stack> {
  const server = await startFixtureServer();
  const home = makeHome(opts.homeEnv);
  await initVault(home);
  const browser = await launchChromium({
    extensionDir: path.join(ROOT, 'dist/chromium'),
    env: { ...process.env, ...home.env },
    beforeLaunch: (dir) => {
      execFileSync(process.execPath, [BIN, 'host', 'install', '--browser', 'chromium', '--user-data-dir', dir], { env: home.env });
    },
  });
  // The extension connects its native port at start-up: wait until the daemon sees it.
  for (let i = 0; i < 100; i++) {
    const st = JSON.parse((await home.run(['status', '--json'])).stdout) as { browsers: unknown[] };
    if (st.browsers.length > 0) break;
    if (i === 99) throw new Error('the extension never connected to the daemon');
    await new Promise((r) => setTimeout(r, 100));
  }
  const stack: Stack = {
    server,
    home,
    browser,
    page: browser.page,
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
      await browser.close();
      await home.stop();
      await server.close();
    },
  };
  return stack;
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
