/**
 * `blindfill mcp-config --client …` prints a config that parses, points at files that
 * exist, carries BLINDFILL_HOME only when it is set, and actually starts the MCP server.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, type Home, makeHome, runBin } from '../core/cli.js';

let home: Home;
beforeEach(() => {
  home = makeHome();
});
afterEach(async () => {
  await home.stop();
});

interface Server {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** Start the configured server as the client would and ask it for its tools. */
function toolsOf(s: Server): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(s.command, s.args, { env: { ...cleanEnv(), ...(s.env ?? {}) }, stdio: ['pipe', 'pipe', 'pipe'] });
    let buf = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('no answer from the MCP server'));
    }, 30_000);
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      for (const line of buf.split('\n').slice(0, -1)) {
        const msg = JSON.parse(line) as { id?: number; result?: { tools?: { name: string }[] } };
        if (msg.id === 1) {
          child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
          child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' })}\n`);
        }
        if (msg.id === 2) {
          clearTimeout(timer);
          child.kill();
          resolve((msg.result?.tools ?? []).map((t) => t.name).sort());
        }
      }
      buf = buf.slice(buf.lastIndexOf('\n') + 1);
    });
    child.stdin.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } } })}\n`,
    );
  });
}

describe('mcp-config', () => {
  it.each(['claude-desktop', 'cursor'])('%s: JSON with absolute node and program paths and BLINDFILL_HOME', async (client) => {
    const r = await home.run(['mcp-config', '--client', client]);
    expect(r.code).toBe(0);
    const cfg = JSON.parse(r.stdout) as { mcpServers: { blindfill: Server } };
    const s = cfg.mcpServers.blindfill;
    expect(s.command).toBe(process.execPath);
    expect(s.args).toEqual([fs.realpathSync(BIN), 'mcp']);
    for (const p of [s.command, s.args[0]!]) expect(fs.existsSync(p)).toBe(true);
    expect(s.env).toEqual({ BLINDFILL_HOME: home.dir });
    expect(r.stderr).toMatch(client === 'cursor' ? /\.cursor\/mcp\.json/ : /claude_desktop_config\.json/);
    expect(await toolsOf(s)).toEqual(['change_password', 'create_credential', 'create_passkey', 'fill_credential', 'fill_totp', 'list_credentials', 'type_credential', 'use_passkey']);
  });

  it('claude-code: a `claude mcp add` line with the same absolute paths', async () => {
    const r = await home.run(['mcp-config', '--client', 'claude-code']);
    expect(r.code).toBe(0);
    const line = r.stdout.trim();
    expect(line).toBe(`claude mcp add blindfill --scope user -e BLINDFILL_HOME=${home.dir} -- ${process.execPath} ${fs.realpathSync(BIN)} mcp`);
  });

  it('without BLINDFILL_HOME: no env entry; a bad client is refused', async () => {
    const r = await runBin(['mcp-config', '--client', 'cursor'], cleanEnv());
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).mcpServers.blindfill.env).toBeUndefined();
    const bad = await home.run(['mcp-config', '--client', 'vscode']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error INVALID_REQUEST: --client must be one of claude-code, claude-desktop, cursor/);
  });
});
