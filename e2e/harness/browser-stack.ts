/**
 * What the Chromium stack (e2e/browser/setup.ts, Playwright) and the Firefox stack
 * (e2e/firefox/setup.ts, puppeteer-core over WebDriver BiDi) have in common, so that a
 * scenario can be written once for both engines: the fixture server, the throwaway home,
 * `blindfill fill` through the real CLI, and a page seen through the few calls that
 * Playwright's and puppeteer's pages share.
 */
import { expect } from 'vitest';
import type { Home } from '../core/cli.js';
import type { Account, FixtureServer } from '../fixtures/server.js';

/** A frame as both Playwright and puppeteer-core see it, for page functions without arguments. */
export interface EngineFrame {
  evaluate<T>(fn: () => T): Promise<T>;
}

/** A page as both Playwright and puppeteer-core see it (each engine's own Page has far more). */
export interface EnginePage {
  goto(url: string): Promise<unknown>;
  url(): string;
  click(selector: string): Promise<void>;
  waitForSelector(selector: string): Promise<unknown>;
  frames(): EngineFrame[];
}

export interface FillResult {
  code: number;
  json?: Record<string, unknown>;
  stderr: string;
  stdout: string;
}

export interface BrowserStack {
  server: FixtureServer;
  home: Home;
  page: EnginePage;
  /** stdout and stderr of every CLI call made through fill(). */
  outputs: string[];
  fill(label: string, opts?: { submit?: boolean; totp?: boolean }): Promise<FillResult>;
  close(): Promise<void>;
}

/** The stack's fill(): `blindfill fill LABEL --json [--submit] [--totp]`, its output kept in `outputs`. */
export function cliFill(home: Home, outputs: string[]): BrowserStack['fill'] {
  return async (label, o = {}) => {
    const args = ['fill', label, '--json'];
    if (o.submit) args.push('--submit');
    if (o.totp) args.push('--totp');
    const r = await home.run(args);
    outputs.push(r.stdout, r.stderr);
    return { code: r.code, stderr: r.stderr, stdout: r.stdout, ...(r.code === 0 ? { json: JSON.parse(r.stdout) as Record<string, unknown> } : {}) };
  };
}

/**
 * The extension connects its native port at start-up: poll `blindfill status` every 100 ms
 * until the daemon sees a browser that `match`es, and throw `failure` after `polls` polls.
 */
export async function waitForBrowser(home: Home, match: (b: { browser: string }) => boolean, polls: number, failure: string): Promise<void> {
  for (let i = 1; ; i++) {
    const st = JSON.parse((await home.run(['status', '--json'])).stdout) as { browsers: Array<{ browser: string }> };
    if (st.browsers.some(match)) return;
    if (i === polls) throw new Error(failure);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `blindfill add --json-stdin` with these credentials; it must succeed. */
export async function addCredentials(home: Home, creds: object | object[]): Promise<void> {
  const r = await home.run(['add', '--json-stdin'], JSON.stringify(creds));
  expect(r.code).toBe(0);
}

/** For the next test: the fixture server forgets every login and knows `account` on every host. */
export function resetServer(s: { server: FixtureServer }, account: Account): void {
  s.server.reset();
  s.server.setAccount('*', account);
}

/** The values of every input on the page, in every frame and open shadow root. */
export async function allInputValues(page: EnginePage): Promise<string[]> {
  const out: string[] = [];
  for (const frame of page.frames()) {
    try {
      out.push(
        ...(await frame.evaluate(() => {
          const vals: string[] = [];
          const walk = (root: Document | ShadowRoot) => {
            for (const i of root.querySelectorAll('input')) vals.push((i as HTMLInputElement).value);
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

/** No input in any frame or open shadow root of the page holds anything. */
export async function expectNothingFilled(page: EnginePage): Promise<void> {
  expect((await allInputValues(page)).filter((v) => v !== '')).toEqual([]);
}
