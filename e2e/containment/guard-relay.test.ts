/**
 * The separate-user deployment with a browser tool: a real second OS user (made here; CI
 * runs as root) runs `blindfill guard --socket PATH`, a byte relay. The owner registered the
 * tool (`agent allow --guard browser -- node @playwright/mcp …`); the daemon starts it as the
 * owner behind the guard on the agent's connection. The agent logs in through the real
 * Playwright MCP + Chromium + extension, and gets nothing of the password; the guard, its
 * child and the browser run as the owner, and their files are out of the agent's reach.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForBrowsers } from '../browser/setup.js';
import { BIN, type Home, initVault, makeHome } from '../core/cli.js';
import { type FixtureServer, startFixtureServer } from '../fixtures/server.js';
import { findSecrets, makeCanary } from '../harness/canary.js';
import { PLAYWRIGHT_MCP, playwrightMcpConfig } from '../guard/playwright-mcp.js';

const AGENT = 'bfagent';
const username = 'relay-user@example.test';
const password = makeCanary();
let server: FixtureServer;
let home: Home;
let work: string;
let profile: string;
let sockPath: string;
/** Everything any agent-side process received. */
const seen: string[] = [];

const asAgent = ['setpriv', '--reuid', AGENT, '--regid', AGENT, '--clear-groups', 'env', '-i', 'PATH=/usr/bin:/bin', 'HOME=/tmp'];
function agentRun(args: string[]) {
  const r = spawnSync(asAgent[0]!, [...asAgent.slice(1), process.execPath, BIN, ...args], { encoding: 'utf8', input: '', timeout: 60_000 });
  seen.push(r.stdout, r.stderr);
  return r;
}

/** An MCP client whose server is the agent user's relay. */
async function agentMcp() {
  const transcript: string[] = [];
  let stderr = '';
  const transport = new StdioClientTransport({
    command: asAgent[0]!,
    args: [...asAgent.slice(1), process.execPath, BIN, 'guard', '--socket', sockPath, '--name', 'browser'],
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const client = new Client({ name: 'blindfill-e2e-agent-user', version: '1.0.0' });
  await client.connect(transport);
  const onmessage = transport.onmessage!;
  transport.onmessage = (m: JSONRPCMessage) => {
    transcript.push(JSON.stringify(m));
    onmessage(m);
  };
  let closed = false;
  transport.onclose = () => (closed = true);
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const r = await client.callTool({ name, arguments: args }, undefined, { timeout: 90_000 });
    const content = (r.content as Array<{ type: string; text?: string }>) ?? [];
    return { isError: r.isError === true, structured: (r.structuredContent ?? {}) as Record<string, unknown>, text: content.map((c) => c.text ?? '').join('\n') };
  };
  return {
    client,
    call,
    closed: () => closed,
    done: () => seen.push(...transcript, stderr),
  };
}

const uidOf = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

beforeAll(async () => {
  expect(process.getuid?.()).toBe(0); // CI runs as root: it makes the agent user
  if (spawnSync('id', [AGENT]).status !== 0) execFileSync('useradd', ['-M', '-s', '/usr/sbin/nologin', AGENT]);
  server = await startFixtureServer();
  server.setAccount('bank.test', { username, password });
  home = makeHome({ BLINDFILL_BROWSER_WAIT_MS: '20000' });
  await initVault(home);
  const added = await home.run(['add', '--json-stdin'], JSON.stringify({ label: 'bank', username, password, origins: [server.origin('bank.test')] }));
  expect(added.code, added.stderr).toBe(0);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-relay-'));
  fs.chmodSync(work, 0o700);
  profile = path.join(work, 'profile');
  fs.mkdirSync(profile);
  execFileSync(process.execPath, [BIN, 'host', 'install', '--browser', 'chromium', '--user-data-dir', profile], { env: home.env });
  const config = path.join(work, 'playwright-mcp.json');
  fs.writeFileSync(config, JSON.stringify(playwrightMcpConfig(profile, path.join(work, 'out')), null, 2));
  const allowed = await home.run(['agent', 'allow', '--user', AGENT, '--guard', 'browser', '--', process.execPath, PLAYWRIGHT_MCP, '--config', config]);
  expect(allowed.code, allowed.stderr).toBe(0);
  sockPath = allowed.stdout.trim();
}, 120_000);

afterAll(async () => {
  await home?.run(['agent', 'revoke', '--user', AGENT]);
  await home?.stop();
  await server?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
  for (const [i, text] of seen.entries()) expect(findSecrets(text, [password]), `agent-side output #${i}`).toEqual([]);
});

describe('the agent user reaches its browser tool only through the relay', () => {
  it('the relay gives no command of its own: a command, --allow-tool or an unregistered name is refused', () => {
    const cmd = agentRun(['guard', '--socket', sockPath, '--', '/bin/sh', '-c', 'id']);
    expect(cmd.status).toBe(2);
    expect(cmd.stderr).toMatch(/^error UNTRUSTED_CALLER:/);
    expect(agentRun(['guard', '--socket', sockPath, '--allow-tool', 'browser_evaluate']).stderr).toMatch(/^error UNTRUSTED_CALLER:/);
    const unknown = agentRun(['guard', '--socket', sockPath, '--name', 'shell']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/^error INVALID_REQUEST: no browser tool "shell"/);
  });

  it('logs in through Playwright MCP run as the owner; the browser, the guard and their files are not the agent\'s', async () => {
    const agent = await agentMcp();
    try {
      const names = (await agent.client.listTools()).tools.map((t) => t.name);
      for (const n of ['browser_navigate', 'browser_snapshot', 'fill_credential']) expect(names).toContain(n);
      for (const n of ['browser_evaluate', 'browser_run_code_unsafe']) expect(names).not.toContain(n);

      expect((await agent.call('browser_navigate', { url: server.url('bank.test', '/plain') })).isError).toBe(false);
      const fill = await agent.call('fill_credential', { label: 'bank' });
      expect(fill.structured, fill.text).toMatchObject({ ok: true, filled: ['username', 'password'] });
      expect((await agent.call('browser_snapshot')).text).toMatch(/textbox "Password" \[ref=\w+\]: "?\[blindfill:bank\]"?/);
      const code = await agent.call('browser_evaluate', { function: '() => document.querySelector("input[type=password]").value' });
      expect(code.structured.code).toBe('TOOL_WITHHELD');

      // The agent user's own CLI fill goes to the browser its guard runs (bound by its uid).
      expect((await agent.call('browser_navigate', { url: server.url('bank.test', '/plain') })).isError).toBe(false);
      const cli = agentRun(['fill', 'bank', '--submit', '--json', '--socket', sockPath]);
      expect(cli.status, cli.stderr).toBe(0);
      await server.waitForLogin('bank.test', { predicate: (l) => l.ok && l.user === username });

      // Who runs what: the browser (and its parents up to the daemon) is the owner's.
      const [browser] = await waitForBrowsers(home, 1);
      expect(browser).toMatchObject({ guarded: true, profile });
      expect(uidOf(browser!.pid!)).toBe(0);
      const agentUid = Number(execFileSync('id', ['-u', AGENT], { encoding: 'utf8' }).trim());
      expect(uidOf(browser!.pid!)).not.toBe(agentUid);
      for (const p of [profile, path.join(profile, 'Default'), path.join(home.dir, 'vault.bfv')]) {
        const r = spawnSync(asAgent[0]!, [...asAgent.slice(1), 'ls', p], { encoding: 'utf8' });
        expect(r.status, p).not.toBe(0);
      }
      // Another uid cannot read the browser's memory or environment.
      const r = spawnSync(asAgent[0]!, [...asAgent.slice(1), 'cat', `/proc/${browser!.pid}/environ`], { encoding: 'utf8' });
      expect(r.status).not.toBe(0);
    } finally {
      agent.done();
      await agent.client.close();
    }
  }, 180_000);

  it('revoking the agent ends its guard and the browser it ran', async () => {
    const agent = await agentMcp();
    try {
      expect((await agent.call('browser_navigate', { url: server.url('bank.test', '/plain') })).isError).toBe(false);
      await waitForBrowsers(home, 1);
      expect((await home.run(['agent', 'revoke', '--user', AGENT])).code).toBe(0);
      await waitForBrowsers(home, 0);
      for (let i = 0; i < 100 && !agent.closed(); i++) await new Promise((res) => setTimeout(res, 100));
      expect(agent.closed()).toBe(true);
    } finally {
      agent.done();
      await agent.client.close().catch(() => undefined);
    }
  }, 120_000);
});
