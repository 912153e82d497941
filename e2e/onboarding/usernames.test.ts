/**
 * Telling credentials apart: the vault's owner sees usernames (`blindfill list`, `list
 * --json --usernames`), never a password; the agent does not (MCP list_credentials, a
 * connection that says it is the MCP server, a process under `blindfill guard` or
 * `blindfill mcp`), and `list --json` keeps the contract's fields. Real CLI, daemon and
 * MCP server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestOnce } from '../../native-host/ipc/client.js';
import { resolvePaths } from '../../native-host/paths.js';
import { assertNoSecret, makeCanary } from '../harness/canary.js';
import { BIN, type Home, initVault, makeHome } from '../core/cli.js';
import { type McpSession, startMcp } from '../mcp/mcp-client.js';

let home: Home;
let mcp: McpSession | undefined;
let dir: string;
const password = makeCanary();
const USER = 'alice.owner@example.test';
const outputs: string[] = [];

beforeAll(async () => {
  home = makeHome();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-usernames-'));
  await initVault(home);
  const r = await home.run(
    ['add', '--json-stdin'],
    JSON.stringify([
      { label: 'shop-personal', username: USER, password, origins: ['https://shop.test'] },
      { label: 'shop-work', username: 'bob@work.test', password: `${password}x`, origins: ['https://shop.test'] },
      { label: 'codes', totp: 'JBSWY3DPEHPK3PXPJBSWY3DP' },
    ]),
  );
  expect(r.code).toBe(0);
});
afterAll(async () => {
  await mcp?.close();
  assertNoSecret(outputs.join('\n'), [password], 'list outputs');
  await home?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('usernames', () => {
  it('the owner sees them in `blindfill list`; list --json keeps the contract, --usernames adds them', async () => {
    const plain = await home.run(['list']);
    outputs.push(plain.stdout, plain.stderr);
    expect(plain.code).toBe(0);
    expect(plain.stdout.split('\n').filter(Boolean)).toEqual([
      'codes\t-\tauto\ttotp\t(nowhere)',
      `shop-personal\t${USER}\tauto\tuser+password\thttps://shop.test`,
      'shop-work\tbob@work.test\tauto\tuser+password\thttps://shop.test',
    ]);
    const json = await home.run(['list', '--json']);
    outputs.push(json.stdout);
    expect(json.stdout).not.toContain(USER);
    for (const c of JSON.parse(json.stdout).credentials) {
      expect(Object.keys(c).sort()).toEqual(['has_passkey', 'has_password', 'has_totp', 'has_username', 'label', 'origins', 'policy', 'source', 'windows']);
    }
    const named = await home.run(['list', '--json', '--usernames']);
    outputs.push(named.stdout);
    const byLabel = Object.fromEntries(JSON.parse(named.stdout).credentials.map((c: { label: string; username?: string }) => [c.label, c.username]));
    expect(byLabel).toEqual({ codes: undefined, 'shop-personal': USER, 'shop-work': 'bob@work.test' });
  });

  it('the agent does not: MCP list_credentials has labels only', async () => {
    mcp = await startMcp(home.env);
    const r = await mcp.call('list_credentials', {});
    expect(r.isError).toBe(false);
    const creds = r.structured.credentials as Record<string, unknown>[];
    expect(creds.map((c) => c.label)).toEqual(['codes', 'shop-personal', 'shop-work']);
    for (const c of creds) expect(c).not.toHaveProperty('username');
    const transcript = mcp.transcript.join('\n');
    expect(transcript).not.toContain(USER);
    expect(transcript).not.toContain('bob@work.test');
    assertNoSecret(transcript, [password], 'MCP transcript');
  });

  it('a connection that says it is the MCP server is refused usernames, and the refusal is audited', async () => {
    const paths = resolvePaths(home.env);
    const r = await requestOnce({ paths, selfCommand: [process.execPath, BIN], autostart: false }, { caller: 'mcp', op: 'list', usernames: true });
    expect(r).toMatchObject({ ok: false, code: 'UNTRUSTED_CALLER' });
    expect(JSON.stringify(r)).not.toContain(USER);
    expect(fs.readFileSync(path.join(home.dir, 'audit.log'), 'utf8')).toMatch(/"code":"UNTRUSTED_CALLER".*"detail":"list usernames"/);
  });

  it('a process under `blindfill guard` (by its command line, read from /proc) is refused; its list has no usernames', async () => {
    // A stand-in ancestor whose command line is `node …/blindfill.cjs guard …`, which starts the real CLI.
    const fake = path.join(dir, 'blindfill.cjs');
    fs.writeFileSync(
      fake,
      `const { spawnSync } = require('node:child_process');
const r = spawnSync(process.execPath, [${JSON.stringify(BIN)}, ...process.argv.slice(3)], { env: process.env, encoding: 'utf8' });
process.stdout.write(r.stdout); process.stderr.write(r.stderr); process.exit(r.status ?? 1);\n`,
    );
    const underGuard = (args: string[]) => runFake(fake, ['guard', ...args]);
    const plain = await underGuard(['list']);
    outputs.push(plain.stdout, plain.stderr);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('shop-personal\t-\tauto');
    expect(plain.stdout).not.toContain(USER);
    const named = await underGuard(['list', '--json', '--usernames']);
    outputs.push(named.stdout, named.stderr);
    expect(named.code).not.toBe(0);
    expect(named.stderr).toMatch(/^error UNTRUSTED_CALLER: .*blindfill guard/);
    expect(named.stdout).toBe('');
    // The same stand-in named anything else is just a parent: usernames are shown.
    const other = await runFake(fake, ['status', 'list']);
    expect(other.stdout).toContain(`shop-personal\t${USER}`);
  });
});

async function runFake(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env: home.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
