/**
 * Issue #4: an agent (the MCP SDK's Client over stdio, spawning the built `blindfill mcp`)
 * logs in with only the MCP tools plus Playwright navigation and clicks, while real
 * Chromium runs the real extension. Each site confirms the login server-side, and the
 * whole JSON-RPC transcript holds no secret in any form, nor any valid one-time code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTotp, totpCodesAround } from '../../shared/totp.js';
import { allInputValues, type Stack, startStack } from '../browser/setup.js';
import { makeCanary, namedEncodings } from '../harness/canary.js';
import { type McpSession, startMcp } from './mcp-client.js';

let s: Stack;
let agent: McpSession;
const username = 'agent-user@example.test';
const password = makeCanary();
const seed = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

beforeAll(async () => {
  s = await startStack();
  const o = (h: string) => s.server.origin(h);
  await s.home.run(['add', '--json-stdin'], JSON.stringify([
    { label: 'bank', username, password, origins: [o('bank.test')] },
    { label: 'shop', username, password, totp: seed, origins: [o('shop.example.test')] },
  ]));
  agent = await startMcp(s.home.env);
});
afterAll(async () => {
  await agent?.close();
  await s?.close();
});

const welcome = async (host: string, page?: string) => {
  const l = await s.server.waitForLogin(host, { predicate: (x) => x.ok && x.complete });
  if (page) expect(l.page).toBe(page);
  await s.page.waitForSelector('text=Welcome');
};

describe('an agent logs in through MCP', () => {
  it('discovers labels', async () => {
    const r = await agent.call('list_credentials', {});
    expect((r.structured.credentials as Array<{ label: string }>).map((c) => c.label)).toEqual(['bank', 'shop']);
  });

  it('plain login', async () => {
    s.server.setAccount('bank.test', { username, password });
    await s.page.goto(s.server.url('bank.test', '/plain'));
    const r = await agent.call('fill_credential', { label: 'bank', submit: true });
    expect(r.isError).toBe(false);
    expect(r.structured).toEqual({ ok: true, label: 'bank', origin: s.server.origin('bank.test'), filled: ['username', 'password'], submitted: true });
    await welcome('bank.test', 'plain');
  });

  it('identifier-first login: fill, click Next, fill again', async () => {
    s.server.reset();
    s.server.setAccount('bank.test', { username, password });
    await s.page.goto(s.server.url('bank.test', '/identifier-first'));
    const a = await agent.call('fill_credential', { label: 'bank' });
    expect(a.structured).toMatchObject({ ok: true, filled: ['username'] });
    await Promise.all([s.page.waitForURL(/password/), s.page.getByRole('button', { name: /next/i }).click()]);
    const b = await agent.call('fill_credential', { label: 'bank', submit: true });
    expect(b.structured).toMatchObject({ ok: true, filled: ['password'], submitted: true });
    await welcome('bank.test', 'identifier-first');
  });

  it('password then TOTP on the code page', async () => {
    s.server.setAccount('shop.example.test', { username, password, totp: { secret: seed } });
    await s.page.goto(s.server.url('shop.example.test', '/plain'));
    const a = await agent.call('fill_credential', { label: 'shop', submit: true });
    expect(a.structured).toMatchObject({ ok: true, submitted: true });
    await s.page.waitForURL(/\/otp/);
    const b = await agent.call('fill_totp', { label: 'shop', submit: true });
    expect(b.structured).toMatchObject({ ok: true, label: 'shop', filled: ['totp'], submitted: true });
    await welcome('shop.example.test');
    expect(s.server.logins('shop.example.test').some((l) => l.step === 'otp' && l.ok)).toBe(true);
  });
});

describe('refusals through MCP, nothing filled', () => {
  it('ORIGIN_MISMATCH on a look-alike host', async () => {
    await s.page.goto(s.server.url('bank.test.evil.test', '/plain'));
    const r = await agent.call('fill_credential', { label: 'bank', submit: true });
    expect(r).toMatchObject({ isError: true, structured: { ok: false, code: 'ORIGIN_MISMATCH' } });
    expect((await allInputValues(s.page)).filter(Boolean)).toEqual([]);
  });

  it('NO_FILLABLE_FIELD on a page without a login form', async () => {
    await s.page.goto(s.server.url('bank.test', '/nothing'));
    const r = await agent.call('fill_credential', { label: 'bank' });
    expect(r.structured).toMatchObject({ ok: false, code: 'NO_FILLABLE_FIELD' });
  });

  it('NO_FILLABLE_FIELD for fill_totp on a page with no code field', async () => {
    await s.page.goto(s.server.url('shop.example.test', '/plain'));
    const r = await agent.call('fill_totp', { label: 'shop' });
    expect(r.structured).toMatchObject({ ok: false, code: 'NO_FILLABLE_FIELD' });
    expect((await allInputValues(s.page)).filter(Boolean)).toEqual([]);
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
    const text = `${agent.transcript.join('\n')}\n${agent.stderr()}`;
    expect(agent.transcript.length).toBeGreaterThan(20);
    for (const secret of [password, seed]) for (const e of namedEncodings(secret)) expect(text.includes(e.value), e.form).toBe(false);
    const p = parseTotp(seed);
    if (!p.ok) throw new Error('bad seed');
    for (const code of totpCodesAround(p.value, Date.now(), 4)) expect(new RegExp(`(?<!\\d)${code}(?!\\d)`).test(text), 'a one-time code').toBe(false);
  });
});
