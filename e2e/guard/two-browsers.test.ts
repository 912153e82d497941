/**
 * Two real browsers with the extension, both connected to one daemon: the person's own
 * Chromium, and the Chromium that Playwright MCP starts behind `blindfill guard`. A fill
 * from the agent behind the guard lands in the guard's browser only — also when it is
 * asked for before that browser has connected (it waits for it rather than falling back
 * to the only browser connected, the person's). The person's page receives nothing.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allInputValues, launchOwnerChromium, waitForBrowsers } from '../browser/setup.js';
import { BIN, type Home, initVault, makeHome } from '../core/cli.js';
import { type FixtureServer, startFixtureServer } from '../fixtures/server.js';
import type { LaunchedChromium } from '../harness/browser.js';
import { findSecrets, makeCanary } from '../harness/canary.js';
import { type McpSession, startMcp } from '../mcp/mcp-client.js';
import { EXTENSION, PLAYWRIGHT_MCP, playwrightMcpConfig } from './playwright-mcp.js';

let server: FixtureServer;
let home: Home;
let person: LaunchedChromium;
let agent: McpSession;
let work: string;
let guardProfile: string;
const username = 'two-browsers@example.test';
const password = makeCanary();

async function call(name: string, args: Record<string, unknown> = {}) {
  const r = await agent.client.callTool({ name, arguments: args }, undefined, { timeout: 90_000 });
  const content = (r.content as Array<{ type: string; text?: string }>) ?? [];
  const structured = (r.structuredContent ?? {}) as Record<string, unknown>;
  return { isError: r.isError === true, structured, text: `${content.map((c) => c.text ?? '').join('\n')}\n${JSON.stringify(structured)}` };
}

/** Every value in the person's page inputs that is not empty. */
const personValues = async () => (await allInputValues(person.page)).filter((v) => v !== '');

beforeAll(async () => {
  if (!fs.existsSync(path.join(EXTENSION, 'manifest.json')) || !fs.existsSync(BIN)) throw new Error('build first: node scripts/build.mjs');
  server = await startFixtureServer();
  server.setAccount('bank.test', { username, password });
  home = makeHome({ BLINDFILL_BROWSER_WAIT_MS: '20000' });
  await initVault(home);
  const added = await home.run(['add', '--json-stdin'], JSON.stringify({ label: 'bank', username, password, origins: [server.origin('bank.test')] }));
  expect(added.code, added.stderr).toBe(0);
  person = await launchOwnerChromium(server, home);
  await waitForBrowsers(home, 1);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-two-'));
  const runtime = path.join(work, 'runtime');
  fs.mkdirSync(runtime, { mode: 0o700 });
  guardProfile = path.join(work, 'profile');
  fs.mkdirSync(guardProfile);
  execFileSync(process.execPath, [BIN, 'host', 'install', '--browser', 'chromium', '--user-data-dir', guardProfile], { env: home.env });
  const config = path.join(work, 'playwright-mcp.json');
  fs.writeFileSync(config, JSON.stringify(playwrightMcpConfig(guardProfile, path.join(work, 'out')), null, 2));
  agent = await startMcp({ ...home.env, XDG_RUNTIME_DIR: runtime }, ['guard', '--', process.execPath, PLAYWRIGHT_MCP, '--config', config]);
}, 120_000);

afterAll(async () => {
  await agent?.close();
  await person?.close();
  await home?.stop();
  await server?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
  if (agent) expect(findSecrets(`${agent.transcript.join('\n')}\n${agent.stderr()}`, [password])).toEqual([]);
});

describe("the person's browser and the guard's browser, both connected", () => {
  it("a fill asked for before the guard's browser connects waits for it, and the person's page gets nothing", async () => {
    await person.page.goto(server.url('bank.test', '/plain'));
    // Only the person's browser is connected now: the guard's starts with its first page.
    expect(await waitForBrowsers(home, 1)).toMatchObject([{ guarded: false }]);
    const nav = await call('browser_navigate', { url: server.url('bank.test', '/plain') });
    expect(nav.isError, nav.text).toBe(false);
    const fill = await call('fill_credential', { label: 'bank' });
    expect(fill.isError, fill.text).toBe(false);
    expect(fill.structured).toMatchObject({ ok: true, filled: ['username', 'password'] });
    const snap = await call('browser_snapshot');
    expect(snap.text).toMatch(/textbox "Password" \[ref=\w+\]: "?\[blindfill:bank\]"?/);
    expect(await personValues()).toEqual([]);
    const browsers = await waitForBrowsers(home, 2);
    expect(browsers.map((b) => b.guarded).sort()).toEqual([false, true]);
    expect(browsers.find((b) => b.guarded)?.profile).toBe(guardProfile);
  });

  it("with both connected, the guard's fills (and the agent's own CLI) go to the guard's browser; the person names theirs", async () => {
    await person.page.reload();
    const nav = await call('browser_navigate', { url: server.url('bank.test', '/plain') });
    expect(nav.isError, nav.text).toBe(false);
    expect((await call('browser_snapshot')).text).not.toContain('[blindfill:bank]');
    const fill = await call('fill_credential', { label: 'bank', submit: true });
    expect(fill.structured, fill.text).toMatchObject({ ok: true, filled: ['username', 'password'], submitted: true });
    await server.waitForLogin('bank.test', { predicate: (l) => l.ok && l.user === username });
    expect(await personValues()).toEqual([]);

    // A process of the agent's (the guard's parent started it): bound to the same browser.
    expect((await call('browser_navigate', { url: server.url('bank.test', '/plain') })).isError).toBe(false);
    const cli = await home.run(['fill', 'bank', '--json']);
    expect(cli.code, cli.stderr).toBe(0);
    expect((await call('browser_snapshot')).text).toMatch(/textbox "Password" \[ref=\w+\]: "?\[blindfill:bank\]"?/);
    expect(await personValues()).toEqual([]);

    // The person's own browser is filled only when named.
    const mine = await home.run(['fill', 'bank', '--json', '--browser-profile', person.userDataDir]);
    expect(mine.code, mine.stderr).toBe(0);
    expect(await person.page.locator('input[type=password]').inputValue()).toBe(password);
  });
});
