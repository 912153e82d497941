/**
 * What the browser rows share: the fixture site, a vault with one fillable credential
 * ("site", bound to https://bank.test:PORT) plus fillers, Chromium with the built
 * extension and the native host registered, and a real MCP client.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Page } from 'playwright';
import type { FixtureServer } from '../../e2e/fixtures/server.js';
import { type LaunchedChromium, launchChromium } from '../../e2e/harness/browser.js';
import type { Home } from './home.js';
import { BIN, DIST, waitFor } from './proc.js';

export const SITE_HOST = 'bank.test';
export const USERNAME = 'bench-user@example.test';
export const PASSWORD = 'Bench-only password 7f3a!';

/** `count` credentials: "site" (fillable on the fixture) and count-1 fillers on other hosts. */
export function credentials(server: FixtureServer, count: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [{ label: 'site', username: USERNAME, password: PASSWORD, origins: [server.origin(SITE_HOST)] }];
  for (let i = 1; i < count; i++) {
    const n = String(i).padStart(5, '0');
    out.push({
      label: `filler-${n}`,
      username: `user${n}@example.test`,
      // Random-looking (deterministic) like real passwords: templated ones that share long
      // runs slow the guard's matcher down badly (see docs/PERFORMANCE.md, row 7).
      password: createHash('sha256').update(`bench filler ${n}`).digest('base64url').slice(0, 20),
      origins: [`https://site-${n}.example.test`],
    });
  }
  return out;
}

export interface BrowserStack {
  browser: LaunchedChromium;
  page: Page;
  /** ms from the start of launchChromium to the extension's service worker running. */
  launchMs: number;
  close(): Promise<void>;
}

export async function startBrowser(home: Home): Promise<BrowserStack> {
  const t0 = performance.now();
  const browser = await launchChromium({
    extensionDir: path.join(DIST, 'chromium'),
    env: { ...process.env, ...home.env },
    beforeLaunch: (dir: string) => {
      execFileSync(process.execPath, [BIN, 'host', 'install', '--browser', 'chromium', '--user-data-dir', dir], { env: home.env, stdio: 'ignore' });
    },
  });
  const launchMs = performance.now() - t0;
  return { browser, page: browser.page, launchMs, close: () => browser.close() };
}

/** Poll `status --json` until the daemon lists a connected browser. */
export async function waitConnected(home: Home, timeoutMs = 15_000): Promise<void> {
  await waitFor(
    'the extension to connect to the daemon',
    async () => {
      const r = await home.run(['status', '--json']);
      if (r.code !== 0) return null;
      return (JSON.parse(r.stdout) as { browsers: unknown[] }).browsers.length > 0;
    },
    timeoutMs,
    50,
  );
}

export interface Mcp {
  call(name: string, args: Record<string, unknown>): Promise<{ isError: boolean; structured: Record<string, unknown>; text?: string }>;
  close(): Promise<void>;
}

export async function startMcp(env: NodeJS.ProcessEnv): Promise<Mcp> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], env: env as Record<string, string>, stderr: 'ignore' });
  const client = new Client({ name: 'blindfill-bench', version: '1.0.0' });
  await client.connect(transport);
  return {
    async call(name, args) {
      const r = await client.callTool({ name, arguments: args });
      const text = ((r.content as Array<{ text?: string }> | undefined) ?? []).map((c) => c.text ?? '').join('\n');
      return { isError: r.isError === true, structured: (r.structuredContent ?? {}) as Record<string, unknown>, text };
    },
    close: () => client.close(),
  };
}

/** Values of #username and #password on the page (for checking, never printed). */
export async function fieldValues(page: Page): Promise<[string, string]> {
  return page.evaluate(() => [
    (document.querySelector('#username') as HTMLInputElement | null)?.value ?? '',
    (document.querySelector('#password') as HTMLInputElement | null)?.value ?? '',
  ]) as Promise<[string, string]>;
}

/** A fresh login page: navigate (not reload: a reload may restore form state). */
export async function freshLoginPage(page: Page, server: FixtureServer): Promise<void> {
  await page.goto(server.url(SITE_HOST, '/plain'), { waitUntil: 'load' });
}
