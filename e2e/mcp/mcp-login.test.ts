/**
 * Issue #4: an agent (the MCP SDK's Client over stdio, spawning the built `blindfill mcp`)
 * logs in with only the MCP tools plus Playwright navigation and clicks, while real
 * Chromium runs the real extension. Each site confirms the login server-side, and the
 * whole JSON-RPC transcript holds no secret in any form, nor any valid one-time code.
 * What runs alike in Firefox (e2e/firefox/mcp.test.ts) is in ./mcp-scenarios.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allInputValues, launchOwnerChromium, type Stack, startStack, waitForBrowsers } from '../browser/setup.js';
import { totpCodesAround, parseTotp } from '../../shared/totp.js';
import { type McpSession, startMcp } from './mcp-client.js';
import { defineMcpLogins, defineMcpRefusals, expectCleanTranscript, mcpAccount, mcpCredentials, type McpEngine } from './mcp-scenarios.js';

let s: Stack;
let agent: McpSession;
const account = mcpAccount();

beforeAll(async () => {
  s = await startStack();
  await s.home.run(['add', '--json-stdin'], JSON.stringify(mcpCredentials(s.server, account)));
  agent = await startMcp(s.home.env);
});
afterAll(async () => {
  await agent?.close();
  await s?.close();
});

const chromium: McpEngine = {
  stack: () => s,
  agent: () => agent,
  welcomeShown: async () => {
    await s.page.waitForSelector('text=Welcome');
  },
  clickNext: async (to) => {
    await Promise.all([s.page.waitForURL(to), s.page.getByRole('button', { name: /next/i }).click()]);
  },
  navigation: (to) => () => s.page.waitForURL(to),
};

describe('an agent logs in through MCP', () => {
  it('discovers labels', async () => {
    const r = await agent.call('list_credentials', {});
    expect((r.structured.credentials as Array<{ label: string }>).map((c) => c.label)).toEqual(['bank', 'shop']);
  });

  defineMcpLogins(chromium, account);
});

describe('two browsers connected: browser_profile in the tool input picks one', () => {
  it('fill_credential without it is AMBIGUOUS_BROWSER and fills neither; with it only the named browser is filled; fill_totp likewise', async () => {
    const second = await launchOwnerChromium(s.server, s.home);
    try {
      const browsers = await waitForBrowsers(s.home, 2);
      expect(browsers.map((b) => b.profile)).toContain(second.userDataDir);
      await s.page.goto(s.server.url('bank.test', '/plain'));
      await second.page.goto(s.server.url('bank.test', '/plain'));
      const unbound = await agent.call('fill_credential', { label: 'bank' });
      expect(unbound.structured).toMatchObject({ ok: false, code: 'AMBIGUOUS_BROWSER' });
      for (const p of [s.page, second.page]) expect((await allInputValues(p)).filter((v) => v !== '')).toEqual([]);

      const named = await agent.call('fill_credential', { label: 'bank', browser_profile: second.userDataDir });
      expect(named.structured).toMatchObject({ ok: true, label: 'bank', filled: ['username', 'password'] });
      expect(await second.page.locator('input[type=password]').inputValue()).toBe(account.password);
      expect((await allInputValues(s.page)).filter((v) => v !== '')).toEqual([]);

      // A profile no connected browser has: nothing fits (NO_BROWSER), nothing filled.
      const none = await agent.call('fill_credential', { label: 'bank', browser_profile: '/nonexistent/profile' });
      expect(none.structured).toMatchObject({ ok: false, code: 'NO_BROWSER' });

      const otp = `${s.server.url('shop.example.test', '/otp')}?user=${encodeURIComponent(account.username)}`;
      await s.page.goto(otp);
      await second.page.goto(otp);
      const code = await agent.call('fill_totp', { label: 'shop', browser_profile: s.browser.userDataDir });
      expect(code.structured).toMatchObject({ ok: true, label: 'shop', filled: ['totp'] });
      const seed = parseTotp(account.seed);
      if (!seed.ok) throw new Error(seed.message);
      const codes = totpCodesAround(seed.value, Date.now(), 2);
      expect((await allInputValues(s.page)).some((v) => codes.includes(v))).toBe(true);
      expect((await allInputValues(second.page)).some((v) => codes.includes(v))).toBe(false);
    } finally {
      await second.close();
    }
    await waitForBrowsers(s.home, 1);
  }, 90_000);
});

describe('refusals through MCP, nothing filled', () => {
  defineMcpRefusals(chromium);

  it('NO_FILLABLE_FIELD on a page without a login form', async () => {
    await s.page.goto(s.server.url('bank.test', '/nothing'));
    const r = await agent.call('fill_credential', { label: 'bank' });
    expect(r.structured).toMatchObject({ ok: false, code: 'NO_FILLABLE_FIELD' });
  });

  it('TIMEOUT when the page never answers (its main thread is stuck)', async () => {
    const url = s.server.url('bank.test', '/stuck');
    await s.page.route(url, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: '<title>Stuck</title><form><input name=u><input type=password name=p></form><script>setTimeout(()=>{const e=Date.now()+7000;while(Date.now()<e){}},50)</script>',
      }),
    );
    await s.page.goto(url);
    await new Promise((r) => setTimeout(r, 200));
    const r = await agent.call('fill_credential', { label: 'bank' });
    expect(r.structured).toMatchObject({ ok: false, code: 'TIMEOUT' });
    await s.page.unroute(url);
    await new Promise((r) => setTimeout(r, 100));
  }, 60_000);

  it('UNKNOWN_LABEL and VAULT_LOCKED', async () => {
    expect((await agent.call('fill_credential', { label: 'nope' })).structured).toMatchObject({ code: 'UNKNOWN_LABEL' });
    await s.home.run(['lock']);
    expect((await agent.call('fill_credential', { label: 'bank' })).structured).toMatchObject({ code: 'VAULT_LOCKED' });
  });
});

describe('the transcript', () => {
  it('holds no secret in any encoding and no valid one-time code', () => {
    expect(agent.transcript.length).toBeGreaterThan(20);
    expectCleanTranscript(agent, account);
  });
});
