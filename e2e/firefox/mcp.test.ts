/**
 * Issue #10: an agent (the MCP SDK's Client over stdio, spawning the built `blindfill mcp`)
 * logs in through real Firefox (firefox-esr, headless, WebDriver BiDi) with only the MCP
 * tools plus navigation and clicks. Each site confirms the login server-side, and the
 * whole JSON-RPC transcript holds no secret in any form, nor any valid one-time code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTotp, totpCodesAround } from '../../shared/totp.js';
import { makeCanary, namedEncodings } from '../harness/canary.js';
import { type McpSession, startMcp } from '../mcp/mcp-client.js';
import { allInputValues, type FirefoxStack, startFirefoxStack, waitForText } from './setup.js';

let s: FirefoxStack;
let agent: McpSession;
const username = 'agent-user@example.test';
const password = makeCanary();
const seed = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

beforeAll(async () => {
  s = await startFirefoxStack();
  const o = (h: string) => s.server.origin(h);
  const r = await s.home.run(['add', '--json-stdin'], JSON.stringify([
    { label: 'bank', username, password, origins: [o('bank.test')] },
    { label: 'shop', username, password, totp: seed, origins: [o('shop.example.test')] },
  ]));
  expect(r.code).toBe(0);
  agent = await startMcp(s.home.env);
});
afterAll(async () => {
  await agent?.close();
  await s?.close();
});

const welcome = async (host: string, page?: string) => {
  const l = await s.server.waitForLogin(host, { predicate: (x) => x.ok && x.complete });
  if (page) expect(l.page).toBe(page);
  await waitForText(s.page, 'Welcome');
};

describe('an agent logs in through MCP, in Firefox', () => {
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
    await Promise.all([s.page.waitForNavigation(), s.page.click('button[type=submit]')]);
    expect(s.page.url()).toMatch(/password/);
    const b = await agent.call('fill_credential', { label: 'bank', submit: true });
    expect(b.structured).toMatchObject({ ok: true, filled: ['password'], submitted: true });
    await welcome('bank.test', 'identifier-first');
  });

  it('password then TOTP on the code page', async () => {
    s.server.setAccount('shop.example.test', { username, password, totp: { secret: seed } });
    await s.page.goto(s.server.url('shop.example.test', '/plain'));
    const nav = s.page.waitForNavigation();
    const a = await agent.call('fill_credential', { label: 'shop', submit: true });
    expect(a.structured).toMatchObject({ ok: true, submitted: true });
    await nav;
    expect(s.page.url()).toMatch(/\/otp/);
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

  it('NO_FILLABLE_FIELD for fill_totp on a page with no code field', async () => {
    await s.page.goto(s.server.url('shop.example.test', '/plain'));
    const r = await agent.call('fill_totp', { label: 'shop' });
    expect(r.structured).toMatchObject({ ok: false, code: 'NO_FILLABLE_FIELD' });
    expect((await allInputValues(s.page)).filter(Boolean)).toEqual([]);
  });
});

describe('the transcript', () => {
  it('holds no secret in any encoding and no valid one-time code', () => {
    const text = `${agent.transcript.join('\n')}\n${agent.stderr()}`;
    expect(agent.transcript.length).toBeGreaterThan(10);
    for (const secret of [password, seed]) for (const e of namedEncodings(secret)) expect(text.includes(e.value), e.form).toBe(false);
    const p = parseTotp(seed);
    if (!p.ok) throw new Error('bad seed');
    for (const code of totpCodesAround(p.value, Date.now(), 4)) expect(new RegExp(`(?<!\\d)${code}(?!\\d)`).test(text), 'a one-time code').toBe(false);
  });
});
