/**
 * What an agent does through MCP the same way in Chromium (e2e/mcp/mcp-login.test.ts) and
 * in Firefox (e2e/firefox/mcp.test.ts), written once. Each test file keeps its own stack
 * and agent, its engine-specific tests, and hands these an adapter: how its engine clicks
 * and waits.
 */
import { expect, it } from 'vitest';
import { parseTotp, totpCodesAround } from '../../shared/totp.js';
import type { FixtureServer } from '../fixtures/server.js';
import { type BrowserStack, expectNothingFilled } from '../harness/browser-stack.js';
import { makeCanary, namedEncodings } from '../harness/canary.js';
import type { McpSession } from './mcp-client.js';

export interface McpEngine {
  /** The file's stack and agent (started in its beforeAll). */
  stack(): BrowserStack;
  agent(): McpSession;
  /** Wait until the page shows the fixture's welcome page. */
  welcomeShown(): Promise<void>;
  /** Click the identifier page's Next button and wait for the page it leads to (a URL matching `to`). */
  clickNext(to: RegExp): Promise<void>;
  /** Watch for the navigation that what follows causes: the function returned waits until the page is at a URL matching `to`. */
  navigation(to: RegExp): () => Promise<void>;
}

export interface McpAccount {
  username: string;
  password: string;
  /** The TOTP seed of the `shop` credential. */
  seed: string;
}

/** A fresh account for a test file: a new canary password each time. */
export function mcpAccount(): McpAccount {
  return { username: 'agent-user@example.test', password: makeCanary(), seed: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' };
}

/** The credentials the scenarios use: `bank` for bank.test, `shop` (with TOTP) for shop.example.test. */
export function mcpCredentials(server: FixtureServer, a: McpAccount): object[] {
  return [
    { label: 'bank', username: a.username, password: a.password, origins: [server.origin('bank.test')] },
    { label: 'shop', username: a.username, password: a.password, totp: a.seed, origins: [server.origin('shop.example.test')] },
  ];
}

/** The server accepted a complete login on host (on its fixture page `page`, when given), and the browser shows the welcome page. */
export async function welcome(e: McpEngine, host: string, page?: string): Promise<void> {
  const l = await e.stack().server.waitForLogin(host, { predicate: (x) => x.ok && x.complete });
  if (page) expect(l.page).toBe(page);
  await e.welcomeShown();
}

/** The logins both engines run alike, with mcpCredentials(). */
export function defineMcpLogins(e: McpEngine, a: McpAccount): void {
  it('plain login', async () => {
    const s = e.stack();
    s.server.setAccount('bank.test', { username: a.username, password: a.password });
    await s.page.goto(s.server.url('bank.test', '/plain'));
    const r = await e.agent().call('fill_credential', { label: 'bank', submit: true });
    expect(r.isError).toBe(false);
    expect(r.structured).toEqual({ ok: true, label: 'bank', origin: s.server.origin('bank.test'), filled: ['username', 'password'], submitted: true, outcome: 'signed_in' });
    await welcome(e, 'bank.test', 'plain');
  });

  it('identifier-first login: fill, click Next, fill again', async () => {
    const s = e.stack();
    s.server.reset();
    s.server.setAccount('bank.test', { username: a.username, password: a.password });
    await s.page.goto(s.server.url('bank.test', '/identifier-first'));
    const first = await e.agent().call('fill_credential', { label: 'bank' });
    expect(first.structured).toMatchObject({ ok: true, filled: ['username'] });
    expect(first.structured).not.toHaveProperty('outcome');
    await e.clickNext(/password/);
    const second = await e.agent().call('fill_credential', { label: 'bank', submit: true });
    expect(second.structured).toMatchObject({ ok: true, filled: ['password'], submitted: true, outcome: 'signed_in' });
    await welcome(e, 'bank.test', 'identifier-first');
  });

  it('password then TOTP on the code page', async () => {
    const s = e.stack();
    s.server.setAccount('shop.example.test', { username: a.username, password: a.password, totp: { secret: a.seed } });
    await s.page.goto(s.server.url('shop.example.test', '/plain'));
    const onCodePage = e.navigation(/\/otp/);
    const first = await e.agent().call('fill_credential', { label: 'shop', submit: true });
    expect(first.structured).toMatchObject({ ok: true, submitted: true, outcome: 'needs_mfa' });
    await onCodePage();
    const second = await e.agent().call('fill_totp', { label: 'shop', submit: true });
    expect(second.structured).toMatchObject({ ok: true, label: 'shop', filled: ['totp'], submitted: true, outcome: 'signed_in' });
    await welcome(e, 'shop.example.test');
    expect(s.server.logins('shop.example.test').some((l) => l.step === 'otp' && l.ok)).toBe(true);
  });
}

/** The refusals both engines run alike, with mcpCredentials(). */
export function defineMcpRefusals(e: McpEngine): void {
  it('ORIGIN_MISMATCH on a look-alike host', async () => {
    const s = e.stack();
    await s.page.goto(s.server.url('bank.test.evil.test', '/plain'));
    const r = await e.agent().call('fill_credential', { label: 'bank', submit: true });
    expect(r).toMatchObject({ isError: true, structured: { ok: false, code: 'ORIGIN_MISMATCH' } });
    await expectNothingFilled(s.page);
  });

  it('NO_FILLABLE_FIELD for fill_totp on a page with no code field', async () => {
    const s = e.stack();
    await s.page.goto(s.server.url('shop.example.test', '/plain'));
    const r = await e.agent().call('fill_totp', { label: 'shop' });
    expect(r.structured).toMatchObject({ ok: false, code: 'NO_FILLABLE_FIELD' });
    await expectNothingFilled(s.page);
  });
}

/** The whole JSON-RPC transcript and the server's stderr hold no secret in any encoding, and no one-time code of the seed valid now (±4 periods). */
export function expectCleanTranscript(agent: McpSession, { password, seed }: McpAccount): void {
  const text = `${agent.transcript.join('\n')}\n${agent.stderr()}`;
  for (const secret of [password, seed]) for (const e of namedEncodings(secret)) expect(text.includes(e.value), e.form).toBe(false);
  const p = parseTotp(seed);
  if (!p.ok) throw new Error('bad seed');
  for (const code of totpCodesAround(p.value, Date.now(), 4)) expect(new RegExp(`(?<!\\d)${code}(?!\\d)`).test(text), 'a one-time code').toBe(false);
}
