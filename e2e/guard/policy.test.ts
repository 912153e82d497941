/**
 * `blindfill guard`'s tool policy and the child's surroundings, in front of a small MCP
 * server (e2e/guard/code-tools-server.mjs) that records every call it receives:
 * - code tools are left out of tools/list, and a call to one — listed or not — is refused
 *   (isError TOOL_WITHHELD) and never reaches the child; `--allow-tool NAME` offers one
 *   and stderr says what that gives up;
 * - a javascript: URL and a file argument outside the work directory are refused;
 * - the child runs without BLINDFILL_* in its environment, in a private 0700 work
 *   directory (its cwd and output directory) under $XDG_RUNTIME_DIR, whose files are
 *   scrubbed before the answer reaches the agent and which is gone when the guard exits.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Home, initVault, makeHome, PASS, ROOT } from '../core/cli.js';
import { findSecrets, makeCanary } from '../harness/canary.js';
import { type McpSession, startMcp } from '../mcp/mcp-client.js';

const SERVER = path.join(ROOT, 'e2e/guard/code-tools-server.mjs');
const secret = makeCanary();
const reversed = [...secret].reverse().join('');
let home: Home;
let runtime: string;
let calls: string;

beforeAll(async () => {
  home = makeHome();
  await initVault(home);
  const r = await home.run(['add', '--json-stdin'], JSON.stringify({ label: 'acme', password: secret, origins: ['https://acme.test'] }));
  expect(r.code, r.stderr).toBe(0);
  runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-xdg-'));
  fs.chmodSync(runtime, 0o700);
  calls = path.join(runtime, 'calls.txt');
});

afterAll(async () => {
  await home?.stop();
  if (runtime) fs.rmSync(runtime, { recursive: true, force: true });
});

const start = (allow: string[] = []) =>
  startMcp({ ...home.env, XDG_RUNTIME_DIR: runtime, FAKE_SECRET: secret, FAKE_CALLS: calls, NODE_PATH: path.join(ROOT, 'node_modules') }, [
    'guard',
    ...allow.flatMap((n) => ['--allow-tool', n]),
    '--',
    process.execPath,
    SERVER,
  ]);
const received = () => (fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8').split('\n').filter(Boolean) : []);
const workDirOf = (agent: McpSession) => /work directory (\S+)/.exec(agent.stderr())?.[1];

describe('blindfill guard -- a server with code tools', () => {
  let agent: McpSession;
  beforeAll(async () => {
    agent = await start();
  });
  afterAll(async () => {
    await agent?.close();
  });

  it('leaves the code tools out of the list', async () => {
    const names = (await agent.client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(['list_credentials', 'fill_credential', 'fill_totp', 'type_credential', 'create_credential', 'change_password', 'use_passkey', 'create_passkey', 'where', 'snapshot', 'navigate']);
  });

  it('refuses calls of them, listed or not, without passing them to the child', async () => {
    for (const [name, args] of [
      ['browser_evaluate', { function: '() => [...document.querySelector("#password").value].reverse().join("")' }],
      ['browser_run_code_unsafe', { code: 'async (page) => 1' }],
      ['innocent', { expression: '1' }],
      ['browser_run_code', { code: 'x' }],
      ['run_shell_command', { cmd: 'id' }],
    ] as const) {
      const r = await agent.call(name, args);
      expect(r.isError, name).toBe(true);
      expect(r.structured.code, name).toBe('TOOL_WITHHELD');
      expect(r.text).toContain(`--allow-tool ${name}`);
    }
    expect(received()).toEqual([]);
  });

  it('refuses a javascript: URL and a file outside the work directory', async () => {
    const js = await agent.call('navigate', { url: ' JavaScript:alert(1)' });
    expect(js.structured.code).toBe('TOOL_WITHHELD');
    const file = await agent.call('snapshot', { filename: path.join(runtime, 'leak.yml') });
    expect(file.structured.code).toBe('TOOL_WITHHELD');
    expect(fs.existsSync(path.join(runtime, 'leak.yml'))).toBe(false);
    expect(received()).toEqual([]);
    expect((await agent.call('navigate', { url: 'https://acme.test/' })).isError).toBe(false);
    expect(received()).toEqual(['navigate https://acme.test/']);
  });

  it('runs the child without BLINDFILL_* in a private work directory under $XDG_RUNTIME_DIR', async () => {
    const r = await agent.call('where', {});
    const where = r.structured as { cwd: string; env: string[]; outputDir: string };
    expect(where.env).toEqual([]);
    expect(home.env.BLINDFILL_HOME).toBeDefined();
    expect(path.dirname(where.cwd)).toBe(path.join(runtime, 'blindfill'));
    expect(where.cwd).toBe(workDirOf(agent));
    expect(fs.statSync(where.cwd).mode & 0o777).toBe(0o700);
    expect(where.outputDir).toBe(path.join(where.cwd, 'output'));
  });

  it('every file the child wrote is scrubbed before the answer arrives', async () => {
    const r = await agent.call('snapshot', { filename: 'named.yml' });
    expect(r.isError, r.text).toBe(false);
    const dir = workDirOf(agent)!;
    const files = listFiles(dir);
    expect(files.map((f) => path.relative(dir, f)).sort()).toEqual(['.playwright-mcp/page-2.yml', 'named.yml', 'output/page-1.yml']);
    for (const f of files) {
      const body = fs.readFileSync(f);
      expect(findSecrets(body, [secret]), f).toEqual([]);
      expect(body.toString()).toContain('[blindfill:acme]');
    }
    // Nothing landed where the agent runs.
    expect(fs.existsSync(path.join(ROOT, '.playwright-mcp'))).toBe(false);
  });

  it('while the vault is locked, files the child writes are deleted, not left unscrubbed', async () => {
    expect((await home.run(['lock'])).code).toBe(0);
    try {
      const r = await agent.call('snapshot', { filename: 'locked.yml' });
      expect(r.isError).toBe(true);
      expect(r.structured.code).toBe('VAULT_LOCKED');
      expect(received().at(-1)).toBe('snapshot');
      const dir = workDirOf(agent)!;
      expect(fs.existsSync(path.join(dir, 'locked.yml'))).toBe(false);
      for (const f of listFiles(dir)) expect(findSecrets(fs.readFileSync(f), [secret]), f).toEqual([]);
      expect(agent.stderr()).toContain('deleted unscrubbed (VAULT_LOCKED)');
    } finally {
      expect((await home.run(['unlock', '--passphrase-stdin'], PASS)).code).toBe(0);
    }
  });

  it('the work directory is gone when the guard exits', async () => {
    const dir = workDirOf(agent)!;
    await agent.close();
    for (let i = 0; i < 50 && fs.existsSync(dir); i++) await new Promise((r) => setTimeout(r, 100));
    expect(fs.existsSync(dir)).toBe(false);
  });
});

describe('blindfill guard --allow-tool NAME', () => {
  it('offers that tool, passes its calls, and says on stderr what it gives up', async () => {
    fs.rmSync(calls, { force: true });
    const agent = await start(['browser_evaluate']);
    try {
      const names = (await agent.client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('browser_evaluate');
      expect(names).not.toContain('browser_run_code_unsafe');
      expect(agent.stderr()).toMatch(/--allow-tool browser_evaluate: offered to the agent, which gives up this: runs the agent's JavaScript in the page/);
      const r = await agent.call('browser_evaluate', { function: '() => 1' });
      expect(r.isError).toBe(false);
      expect(received()).toEqual(['browser_evaluate']);
      // What the guard cannot do once such a tool is offered: a reversed secret passes.
      expect(r.text).toBe(reversed);
      expect((await agent.call('browser_run_code_unsafe', { code: 'x' })).structured.code).toBe('TOOL_WITHHELD');
    } finally {
      await agent.close();
    }
  });
});

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}
