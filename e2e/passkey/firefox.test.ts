/**
 * The passkey scenarios in Debian's firefox-esr (WebDriver BiDi through puppeteer-core)
 * with dist/firefox installed: the shim runs in the page's MAIN world through
 * scripting.registerContentScripts (Firefox 128+), the bridge in the isolated world.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebAuthnRp, type WebAuthnRp } from '../fixtures/webauthn-rp.js';
import { type FirefoxStack, startFirefoxStack } from '../firefox/setup.js';
import { type McpSession, startMcp } from '../mcp/mcp-client.js';
import { definePasskeyScenarios, GET_WITH, type PasskeyPage, type PasskeyStack } from './scenarios.js';

function adapt(page: Page): PasskeyPage {
  return {
    goto: async (url) => {
      await page.goto(url);
    },
    click: (sel) => page.click(sel),
    evaluate: (expr) => page.evaluate(expr) as never,
    async evaluateInFrame(prefix, expr) {
      for (let i = 0; i < 100; i++) {
        const f = page.frames().find((fr) => fr !== page.mainFrame() && fr.url().startsWith(prefix));
        if (f) {
          await f.waitForFunction(() => document.readyState !== 'loading');
          return f.evaluate(expr) as never;
        }
        await new Promise((r) => setTimeout(r, 50));
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

describe('passkeys in Firefox', () => {
  let rp: WebAuthnRp;
  let ff: FirefoxStack;
  let mcp: McpSession;
  const outputs: string[] = [];

  beforeAll(async () => {
    rp = await startWebAuthnRp();
    ff = await startFirefoxStack({ extraCas: [rp.certPem], homeEnv: { BLINDFILL_PASSKEY_ARM_MS: '2500' } });
    mcp = await startMcp(ff.home.env);
  });

  afterAll(async () => {
    await mcp?.close();
    await ff?.close();
    await rp?.close();
  });

  const stack = (): PasskeyStack => ({ rp, home: ff.home, mcp: () => mcp, page: () => adapt(ff.page), outputs });
  definePasskeyScenarios(stack);

  it('with nothing armed, the page\'s call reaches Firefox\'s own WebAuthn, not blindfill', async () => {
    const other = await ff.browser.newPage();
    try {
      await other.goto(rp.url('login.rp.test'));
      // Firefox's own authenticator has no credential and no token here: it refuses or waits;
      // either way the answer is not blindfill's, and nothing reaches the daemon.
      const logBefore = ff.home.readLogs().length;
      const answer = await Promise.race([adapt(other).evaluate<string>(GET_WITH('rp.test')), new Promise<string>((r) => setTimeout(() => r('pending'), 2_000))]);
      expect(answer).not.toMatch(/blindfill/);
      expect(ff.home.readLogs().slice(logBefore)).not.toMatch(/passkey/);
      // The same document, once armed, is answered by blindfill: the shim was there all along.
      await other.bringToFront();
      const use = await mcp.call('use_passkey', { label: 'rp-alice' });
      expect(use.structured).toMatchObject({ ok: true, origin: rp.origin('login.rp.test') });
      expect(await adapt(other).evaluate<string>(GET_WITH('rp.test'))).toMatch(/^ok:public-key:.*"type":"webauthn.get"/);
    } finally {
      await other.close();
      await ff.page.bringToFront();
    }
  });
});
