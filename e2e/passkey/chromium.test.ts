/**
 * Passkeys in real Chromium with the built extension, the real native host and daemon,
 * the agent's calls through the real `blindfill mcp`, and a relying party built on
 * @simplewebauthn/server verifying every registration and sign-in.
 */
import net from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Home } from '../core/cli.js';
import type { WebAuthnRp } from '../fixtures/webauthn-rp.js';
import type { LaunchedChromium } from '../harness/browser.js';
import type { McpSession } from '../mcp/mcp-client.js';
import { adaptPlaywright as adapt, type PasskeyChromium, startPasskeyChromium } from './chromium-stack.js';
import { definePasskeyScenarios, finalStatus, GET_WITH, type PasskeyStack } from './scenarios.js';

describe('passkeys in Chromium', () => {
  let rp: WebAuthnRp;
  let home: Home;
  let browser: LaunchedChromium;
  let mcp: McpSession;
  let page: Page;
  const outputs: string[] = [];

  let stackOf: PasskeyChromium;
  beforeAll(async () => {
    stackOf = await startPasskeyChromium();
    ({ rp, home, browser, mcp, page } = stackOf);
  });

  afterAll(async () => {
    await stackOf?.close();
  });

  const stack = (): PasskeyStack => ({ rp, home, mcp: () => mcp, page: () => adapt(page), outputs });
  definePasskeyScenarios(stack);

  it('a process on the owner socket cannot ask for an assertion itself, even while a tab is armed (UNTRUSTED_CALLER)', async () => {
    await page.goto(rp.url('rp.test'));
    const armed = await mcp.call('use_passkey', { label: 'rp-alice' });
    expect(armed.isError, armed.text).toBe(false);
    const request = {
      t: 'req',
      id: 1,
      op: 'passkey_get',
      tab_id: 1,
      origin: rp.origin('rp.test'),
      top_origin: rp.origin('rp.test'),
      cross_origin: false,
      frame_allowed: null,
      options: { challenge: 'AAAA' },
    };
    const answer = await new Promise<string>((resolve, reject) => {
      const sock = net.createConnection(path.join(home.dir, 'run', 'daemon.sock'));
      let buf = '';
      sock.on('data', (d) => {
        buf += d.toString('utf8');
        if (buf.includes('\n')) {
          sock.end();
          resolve(buf.split('\n')[0]!);
        }
      });
      sock.on('error', reject);
      sock.write(`${JSON.stringify(request)}\n`);
    });
    expect(JSON.parse(answer)).toMatchObject({ ok: false, code: 'UNTRUSTED_CALLER' });
    // The arm is still there for the browser: the page's own call signs in.
    await page.click('#signin');
    expect(await finalStatus(adapt(page))).toMatch(/^signed in alice counter \d+$/);
  });

  it('a cross-origin frame the top page allows (allow="publickey-credentials-get") gets an assertion with crossOrigin and topOrigin', async () => {
    const inner = rp.url('login.rp.test');
    await page.goto(rp.url('rp.test', `/frame?allow=1&src=${encodeURIComponent(inner)}`));
    const p = adapt(page);
    await p.evaluateInFrame<string>(inner, `document.readyState`);
    expect((await mcp.call('use_passkey', { label: 'rp-alice' })).isError).toBe(false);
    const r = await p.evaluateInFrame<string>(inner, GET_WITH('rp.test'));
    expect(r).toMatch(/^ok:public-key:/);
    expect(JSON.parse(r.replace(/^ok:public-key:/, ''))).toMatchObject({ type: 'webauthn.get', origin: rp.origin('login.rp.test'), crossOrigin: true, topOrigin: rp.origin('rp.test') });
  });

  it('with nothing armed, the page\'s call reaches the browser\'s own WebAuthn (a CDP virtual authenticator registers it)', async () => {
    const other = await browser.context.newPage();
    try {
      const cdp = await browser.context.newCDPSession(other);
      await cdp.send('WebAuthn.enable', { enableUI: false });
      const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
      });
      await other.goto(rp.url('login.rp.test'));
      await other.fill('#username', 'bob');
      const labels = async () => (JSON.parse((await home.run(['list', '--json'])).stdout) as { credentials: Array<{ label: string }> }).credentials.map((c) => c.label);
      const before = await labels();
      await other.click('#register');
      expect(await finalStatus(adapt(other))).toBe('registered bob');
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      expect(credentials).toHaveLength(1);
      expect(await labels()).toEqual(before);
      // The RP saw the browser's own authenticator: user verified, unlike blindfill's auto policy.
      expect(rp.events.at(-1)).toMatchObject({ kind: 'register', ok: true, username: 'bob', userVerified: true });
    } finally {
      await other.close();
      await page.bringToFront();
    }
  });

  it('a page loaded before the shim was registered (an extension just installed) is armed too: the shim is injected at arming', async () => {
    const sw = browser.serviceWorker!;
    await sw.evaluate(() => chrome.scripting.unregisterContentScripts());
    try {
      await page.goto(rp.url('rp.test'));
      expect(await page.evaluate(`Object.getOwnPropertySymbols(CredentialsContainer.prototype).some((s) => s.description === 'blindfill.passkey-shim')`)).toBe(false);
      const use = await mcp.call('use_passkey', { label: 'rp-alice' });
      expect(use.isError, use.text).toBe(false);
      await page.click('#signin');
      expect(await finalStatus(adapt(page))).toMatch(/^signed in alice counter \d+$/);
    } finally {
      // The worker registers them again when it next starts; this file ends here.
    }
  });
});
