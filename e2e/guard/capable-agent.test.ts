/**
 * A capable agent behind `blindfill guard` with its defaults: the real Playwright MCP
 * driving real Chromium with the built extension and native host. After fill_credential,
 * the agent tries to get the password out in a form no scrubber knows — reversed, through
 * browser_evaluate, browser_run_code_unsafe, a javascript: URL, or character by character
 * through browser_find — and each is refused (TOOL_WITHHELD) without reaching Playwright.
 * It then makes Playwright MCP write page snapshots (after a click, and to a named file):
 * every file the child wrote, anywhere in its work directory, the configured output
 * directory and the agent's cwd, and every message the agent received, hold the password
 * in no form the harness checks, reversed and split forms included.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, type Home, initVault, makeHome, ROOT } from '../core/cli.js';
import { type FixtureServer, startFixtureServer } from '../fixtures/server.js';
import { findSecrets, makeCanary } from '../harness/canary.js';
import { type McpSession, startMcp } from '../mcp/mcp-client.js';
import { EXTENSION, PLAYWRIGHT_MCP, playwrightMcpConfig } from './playwright-mcp.js';

let server: FixtureServer;
let home: Home;
let agent: McpSession;
let work: string;
let runtime: string;
const username = 'capable-user@example.test';
const password = makeCanary();
const reversed = [...password].reverse().join('');
const half = Math.floor(password.length / 2);
/** The password and what a code tool would make of it: reversed, and each half. */
const forms = [password, reversed, password.slice(0, half), password.slice(half)];
const REVERSE = '[...document.querySelector("#password").value].reverse().join("")';

async function call(name: string, args: Record<string, unknown> = {}) {
  const r = await agent.client.callTool({ name, arguments: args }, undefined, { timeout: 90_000 });
  const content = (r.content as Array<{ type: string; text?: string }>) ?? [];
  const structured = (r.structuredContent ?? {}) as Record<string, unknown>;
  return { isError: r.isError === true, structured, text: `${content.map((c) => c.text ?? '').join('\n')}\n${JSON.stringify(structured)}` };
}

async function waitForExtension(): Promise<void> {
  for (let i = 0; i < 150; i++) {
    const st = JSON.parse((await home.run(['status', '--json'])).stdout) as { browsers: unknown[] };
    if (st.browsers.length > 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the extension never connected to the daemon');
}

const workDir = () => {
  const d = /work directory (\S+)/.exec(agent.stderr())?.[1];
  if (!d) throw new Error('the guard did not say where its work directory is');
  return d;
};

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(EXTENSION, 'manifest.json')) || !fs.existsSync(BIN)) throw new Error('build first: node scripts/build.mjs');
  server = await startFixtureServer();
  server.setAccount('bank.test', { username, password });
  home = makeHome();
  await initVault(home);
  const added = await home.run(['add', '--json-stdin'], JSON.stringify({ label: 'bank', username, password, origins: [server.origin('bank.test')] }));
  expect(added.code, added.stderr).toBe(0);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-capable-'));
  runtime = path.join(work, 'runtime');
  fs.mkdirSync(runtime, { mode: 0o700 });
  const profile = path.join(work, 'profile');
  fs.mkdirSync(profile);
  execFileSync(process.execPath, [BIN, 'host', 'install', '--browser', 'chromium', '--user-data-dir', profile], { env: home.env });
  const config = path.join(work, 'playwright-mcp.json');
  // The config names an output directory of its own: the guard's work directory wins.
  fs.writeFileSync(config, JSON.stringify(playwrightMcpConfig(profile, path.join(work, 'out')), null, 2));
  agent = await startMcp({ ...home.env, XDG_RUNTIME_DIR: runtime }, ['guard', '--', process.execPath, PLAYWRIGHT_MCP, '--config', config]);
});

afterAll(async () => {
  await agent?.close();
  await home?.stop();
  await server?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('a capable agent through the guard (defaults)', () => {
  it('is not offered Playwright MCP\'s code tools', async () => {
    const names = (await agent.client.listTools()).tools.map((t) => t.name);
    for (const n of ['browser_navigate', 'browser_snapshot', 'browser_click', 'browser_type', 'browser_take_screenshot', 'fill_credential']) expect(names).toContain(n);
    for (const n of ['browser_evaluate', 'browser_run_code_unsafe', 'browser_find']) expect(names).not.toContain(n);
  });

  it('after a fill, reversal through a code tool, a javascript: URL or browser_find is refused', async () => {
    expect((await call('browser_navigate', { url: server.url('bank.test', '/echo') })).isError).toBe(false);
    await waitForExtension();
    const fill = await call('fill_credential', { label: 'bank' });
    expect(fill.isError, fill.text).toBe(false);
    expect(fill.structured.filled).toEqual(['username', 'password']);

    const attempts: Array<[string, Record<string, unknown>]> = [
      ['browser_evaluate', { function: `() => ${REVERSE}` }],
      ['browser_run_code_unsafe', { code: `async (page) => page.evaluate(() => ${REVERSE})` }],
      ['browser_run_code', { code: `async (page) => page.evaluate(() => ${REVERSE})` }],
      ['browser_navigate', { url: `javascript:document.title=${REVERSE}` }],
      ['browser_tabs', { action: 'new', url: `javascript:document.title=${REVERSE}` }],
      ['browser_find', { regex: `/Password.*${password.slice(0, 3)}/` }],
      ['browser_snapshot', { filename: path.join(work, 'snapshot.yml') }],
    ];
    for (const [name, args] of attempts) {
      const r = await call(name, args);
      expect(r.isError, name).toBe(true);
      expect(r.structured.code, name).toBe('TOOL_WITHHELD');
    }
    expect(fs.existsSync(path.join(work, 'snapshot.yml'))).toBe(false);
    // The page is as it was: no reversed value in its title.
    const snap = await call('browser_snapshot');
    expect(snap.text).toMatch(/textbox "Password" \[ref=e\d+\]: "?\[blindfill:bank\]"?/);
    expect(findSecrets(snap.text, forms)).toEqual([]);
  });

  it('the snapshot Playwright MCP saves after a click, and one saved by name, are scrubbed', async () => {
    const snap = await call('browser_snapshot');
    const ref = /textbox "Password" \[ref=(e\d+)\]/.exec(snap.text)?.[1];
    expect(ref).toBeDefined();
    const click = await call('browser_click', { element: 'Password', target: ref });
    expect(click.isError, click.text).toBe(false);
    const link = /\[Snapshot\]\(([^)]+\.yml)\)/.exec(click.text)?.[1];
    expect(link, 'the click result names a snapshot file').toBeDefined();
    const saved = path.resolve(workDir(), link!);
    expect(saved.startsWith(path.join(workDir(), 'output') + path.sep)).toBe(true);
    const body = fs.readFileSync(saved, 'utf8');
    expect(body).toMatch(/textbox "Password" \[.*\]: "?\[blindfill:bank\]"?/);
    expect(findSecrets(body, forms)).toEqual([]);

    const named = await call('browser_snapshot', { filename: 'form.yml' });
    expect(named.isError, named.text).toBe(false);
    const namedBody = fs.readFileSync(path.join(workDir(), 'form.yml'), 'utf8');
    expect(namedBody).toContain('[blindfill:bank]');
    expect(findSecrets(namedBody, forms)).toEqual([]);
  });

  it('nothing the agent received, and no file the child wrote, holds the password in any checked form', () => {
    const files = [...listFiles(workDir()), ...listFiles(path.join(work, 'out')), ...listFiles(path.join(ROOT, '.playwright-mcp'))];
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) expect(findSecrets(fs.readFileSync(f), forms), f).toEqual([]);
    expect(listFiles(path.join(work, 'out'))).toEqual([]);
    expect(fs.existsSync(path.join(ROOT, '.playwright-mcp'))).toBe(false);
    const all = `${agent.transcript.join('\n')}\n${agent.stderr()}`;
    expect(findSecrets(all, forms)).toEqual([]);
  });

  it('the work directory is removed when the guard exits', async () => {
    const dir = workDir();
    await agent.close();
    for (let i = 0; i < 100 && fs.existsSync(dir); i++) await new Promise((r) => setTimeout(r, 100));
    expect(fs.existsSync(dir)).toBe(false);
  });
});
