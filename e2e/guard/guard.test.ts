/**
 * Issue #8: the real Playwright MCP (@playwright/mcp) behind `blindfill guard`, driving
 * real Chromium (/usr/bin/chromium) with the built blindfill extension and native host.
 * The agent (the SDK's Client, recording the JSON-RPC transcript) logs in with
 * fill_credential, then reads the filled password field back with browser_snapshot and
 * browser_evaluate, and reads a careless page that echoes the password (and the current
 * one-time code) into its text, attributes, a link, a script and base64/hex blocks.
 * The transcript holds no secret in any covered form, and shows [blindfill:LABEL] where
 * they were. While the vault is locked, results are withheld (isError VAULT_LOCKED).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTotp, totpCodesAround } from '../../shared/totp.js';
import { BIN, type Home, initVault, makeHome, PASS } from '../core/cli.js';
import { type FixtureServer, startFixtureServer } from '../fixtures/server.js';
import { findSecrets, makeCanary } from '../harness/canary.js';
import { type McpSession, startMcp } from '../mcp/mcp-client.js';
import { EXTENSION, PLAYWRIGHT_MCP, playwrightMcpConfig } from './playwright-mcp.js';

let server: FixtureServer;
let home: Home;
let agent: McpSession;
let work: string;
const username = 'guard-user@example.test';
const password = makeCanary();
const seed = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

const allSecrets = () => [password, seed];

function validCodes(): string[] {
  const p = parseTotp(seed);
  if (!p.ok) throw new Error('bad seed');
  return totpCodesAround(p.value, Date.now(), 4);
}

/** Text of a tool result as the agent received it (content texts and structuredContent). */
async function call(name: string, args: Record<string, unknown> = {}) {
  const r = await agent.client.callTool({ name, arguments: args }, undefined, { timeout: 90_000 });
  const content = (r.content as Array<{ type: string; text?: string; data?: string }>) ?? [];
  return { isError: r.isError === true, content, text: `${content.map((c) => c.text ?? '').join('\n')}\n${JSON.stringify(r.structuredContent ?? {})}` };
}

async function waitForExtension(): Promise<void> {
  for (let i = 0; i < 150; i++) {
    const st = JSON.parse((await home.run(['status', '--json'])).stdout) as { browsers: unknown[] };
    if (st.browsers.length > 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the extension never connected to the daemon');
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(EXTENSION, 'manifest.json')) || !fs.existsSync(BIN)) throw new Error('build first: node scripts/build.mjs');
  server = await startFixtureServer();
  server.setAccount('bank.test', { username, password });
  server.setAccount('shop.example.test', { username, password: `${password}-shop`, totp: { secret: seed } });
  home = makeHome();
  await initVault(home);
  const added = await home.run(['add', '--json-stdin'], JSON.stringify([
    { label: 'bank', username, password, origins: [server.origin('bank.test')] },
    { label: 'shop', username, password: `${password}-shop`, totp: seed, origins: [server.origin('shop.example.test')] },
  ]));
  expect(added.code, added.stderr).toBe(0);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-guard-'));
  const profile = path.join(work, 'profile');
  fs.mkdirSync(profile);
  execFileSync(process.execPath, [BIN, 'host', 'install', '--browser', 'chromium', '--user-data-dir', profile], { env: home.env });
  const config = path.join(work, 'playwright-mcp.json');
  fs.writeFileSync(config, JSON.stringify(playwrightMcpConfig(profile, path.join(work, 'out')), null, 2));
  // browser_evaluate is offered here (the owner's choice) to show what the scrubber catches
  // in its results; capable-agent.test.ts runs the default, where it is withheld.
  agent = await startMcp(home.env, ['guard', '--allow-tool', 'browser_evaluate', '--', process.execPath, PLAYWRIGHT_MCP, '--config', config]);
});

afterAll(async () => {
  await agent?.close();
  await home?.stop();
  await server?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('Playwright MCP behind blindfill guard', () => {
  it('offers blindfill\'s four tools and Playwright\'s in one list', async () => {
    const { tools } = await agent.client.listTools();
    const names = tools.map((t) => t.name);
    expect(names.slice(0, 4)).toEqual(['list_credentials', 'fill_credential', 'fill_totp', 'type_credential']);
    for (const n of ['browser_navigate', 'browser_snapshot', 'browser_evaluate', 'browser_take_screenshot']) expect(names).toContain(n);
  });

  it('fill_credential, then the filled password field read back by snapshot and evaluate comes back scrubbed', async () => {
    const nav = await call('browser_navigate', { url: server.url('bank.test', '/echo') });
    expect(nav.isError, nav.text).toBe(false);
    await waitForExtension();
    const fill = await call('fill_credential', { label: 'bank' });
    expect(fill.isError, fill.text).toBe(false);
    expect(fill.text).toContain('"filled":["username","password"]');

    const value = await call('browser_evaluate', { function: '() => document.querySelector("#password").value' });
    expect(value.isError, value.text).toBe(false);
    expect(value.text).toContain('[blindfill:bank]');
    expect(findSecrets(value.text, allSecrets())).toEqual([]);

    const json = await call('browser_evaluate', { function: '() => JSON.stringify({ v: document.querySelector("#password").value })' });
    expect(json.text).toContain('[blindfill:bank]');

    const snap = await call('browser_snapshot');
    expect(snap.isError, snap.text).toBe(false);
    // The accessibility snapshot shows the password field's value: it is the placeholder.
    expect(snap.text).toMatch(/textbox "Password" \[ref=e\d+\]: "?\[blindfill:bank\]"?/);
    expect(findSecrets(snap.text, allSecrets())).toEqual([]);
  });

  it('a page that echoes the password into its text, attributes, links, scripts, base64 and hex', async () => {
    const fill = await call('fill_credential', { label: 'bank', submit: true });
    expect(fill.isError, fill.text).toBe(false);
    await server.waitForLogin('bank.test', { predicate: (l) => l.page === 'echo' && l.ok });
    await call('browser_wait_for', { text: 'Your password is' });

    const snap = await call('browser_snapshot');
    expect(snap.text).toContain('Your password is: [blindfill:bank]');
    expect(snap.text).toMatch(/\/nothing\?pw=\[blindfill:bank\]/);

    const html = await call('browser_evaluate', { function: '() => document.documentElement.outerHTML' });
    expect(html.text).toContain('Your password is: [blindfill:bank]');
    expect(html.text).toContain('value=\\"[blindfill:bank]\\"');
    for (const id of ['b64', 'hex']) {
      const r = await call('browser_evaluate', { function: `() => document.getElementById(${JSON.stringify(id)}).textContent` });
      expect(r.text, id).toContain('[blindfill:bank]');
    }
    const script = await call('browser_evaluate', { function: '() => window.__echo' });
    expect(script.text).toContain('[blindfill:bank]');
    const text = await call('browser_evaluate', { function: '() => document.body.innerText' });
    expect(text.text).toContain('[blindfill:bank]');
    for (const r of [snap, html, script, text]) expect(findSecrets(r.text, allSecrets())).toEqual([]);
  });

  it('the one-time code valid now, shown by a page, is scrubbed too', async () => {
    await call('browser_navigate', { url: server.url('shop.example.test', '/echo') });
    const fill = await call('fill_credential', { label: 'shop', submit: true });
    expect(fill.isError, fill.text).toBe(false);
    await server.waitForLogin('shop.example.test', { predicate: (l) => l.page === 'echo' && l.ok });
    await call('browser_wait_for', { text: 'Your current code' });
    const snap = await call('browser_snapshot');
    expect(snap.text).toContain('Your current code: [blindfill:shop]');
    for (const code of validCodes()) expect(new RegExp(`(?<!\\d)${code}(?!\\d)`).test(snap.text), 'a one-time code').toBe(false);
  });

  it('screenshots pass through unchanged (images are not scrubbed)', async () => {
    const shot = await call('browser_take_screenshot', {});
    expect(shot.isError, shot.text).toBe(false);
    const img = shot.content.find((c) => c.type === 'image');
    expect(img?.data?.length ?? 0).toBeGreaterThan(1000);
  });

  it('while the vault is locked, results are withheld (isError VAULT_LOCKED), never passed unscrubbed', async () => {
    expect((await home.run(['lock'])).code).toBe(0);
    const snap = await call('browser_snapshot');
    expect(snap.isError).toBe(true);
    expect(snap.text).toContain('VAULT_LOCKED');
    expect(snap.text).not.toContain('Your password is');
    const ev = await call('browser_evaluate', { function: '() => document.body.innerText' });
    expect(ev.isError).toBe(true);
    expect(ev.text).toContain('VAULT_LOCKED');
    expect((await home.run(['unlock', '--passphrase-stdin'], PASS)).code).toBe(0);
    const again = await call('browser_snapshot');
    expect(again.isError, again.text).toBe(false);
    expect(again.text).toContain('[blindfill:shop]');
  });
});

describe('the transcript', () => {
  it('holds no secret in any covered form, no valid one-time code, and shows [blindfill:LABEL]', () => {
    const transcript = agent.transcript.join('\n');
    const all = `${transcript}\n${agent.stderr()}`;
    expect(agent.transcript.length).toBeGreaterThan(20);
    expect(findSecrets(all, [...allSecrets(), `${password}-shop`])).toEqual([]);
    for (const code of validCodes()) expect(new RegExp(`(?<!\\d)${code}(?!\\d)`).test(all), 'a one-time code').toBe(false);
    const results = agent.transcript.filter((l) => l.startsWith('<')).join('\n');
    expect(results).toContain('[blindfill:bank]');
    expect(results).toContain('[blindfill:shop]');
  });
});
