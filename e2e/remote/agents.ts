/** An "agent machine" for the remote-vault tests: its own home, daemon and Chromium with the extension. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright';
import { BIN, type Home, initVault, makeHome, ROOT } from '../core/cli.js';
import { waitForBrowser } from '../harness/browser-stack.js';
import { type LaunchedChromium, launchChromium } from '../harness/browser.js';
import type { FixtureServer } from '../fixtures/server.js';
import type { BaoCluster } from './openbao.js';

export interface AgentMachine {
  home: Home;
  browser: LaunchedChromium;
  page: Page;
  outputs: string[];
  /** `blindfill fill LABEL --submit --json` on the page at `url`. */
  fill(label: string, url: string): Promise<{ code: number; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

export async function startAgent(server: FixtureServer, env: NodeJS.ProcessEnv): Promise<AgentMachine> {
  const home = makeHome(env);
  await initVault(home);
  const browser = await launchChromium({
    extensionDir: path.join(ROOT, 'dist/chromium'),
    env: { ...process.env, ...home.env },
    trustCa: server.certPem,
    beforeLaunch: (dir) => {
      execFileSync(process.execPath, [BIN, 'host', 'install', '--browser', 'chromium', '--user-data-dir', dir], { env: home.env });
    },
  });
  await waitForBrowser(home, () => true, 100, 'the extension never connected to the daemon');
  const outputs: string[] = [];
  return {
    home,
    browser,
    page: browser.page,
    outputs,
    async fill(label, url) {
      await browser.page.goto(url);
      const r = await home.run(['fill', label, '--submit', '--json']);
      outputs.push(r.stdout, r.stderr);
      // A submitted fill navigates: let it land before the next goto.
      if (r.code === 0) await browser.page.waitForSelector('text=Welcome', { timeout: 10_000 }).catch(() => undefined);
      return r;
    },
    async close() {
      await browser.close();
      await home.stop();
    },
  };
}

/** `blindfill remote add` with the secret-id on stdin. */
export async function addRemote(home: Home, bao: BaoCluster, name: string, roleId: string, secretId: string, urls = bao.urls()) {
  return home.run(['remote', 'add', name, '--openbao', urls.join(','), '--mount', 'team', '--path', 'apps', '--role-id', roleId, '--ca-file', bao.caFile], `${secretId}\n`);
}

/** Poll `list --json` until `pred` holds; returns how long it took (ms). */
export async function waitForList(home: Home, pred: (creds: Array<{ label: string; source?: string }>) => boolean, ms = 15_000): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    const r = await home.run(['list', '--json']);
    if (r.code === 0 && pred((JSON.parse(r.stdout) as { credentials: Array<{ label: string; source?: string }> }).credentials)) return Date.now() - t0;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error('the list never reached the expected state');
}
