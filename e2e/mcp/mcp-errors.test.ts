/**
 * Every refusal the MCP tools can give without a browser, through a real MCP client:
 * isError results with the contract's codes, and a transcript that holds no secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCanary, namedEncodings } from '../harness/canary.js';
import { type Home, initVault, makeHome, PASS } from '../core/cli.js';
import { type McpSession, startMcp } from './mcp-client.js';

let home: Home;
let mcp: McpSession;
const password = makeCanary();
const seed = 'KRUGKIDROVUWG2ZAMJZG653OEBTG66BAN5SWQ';

beforeAll(async () => {
  home = makeHome();
  await initVault(home);
  await home.run(['add', '--json-stdin'], JSON.stringify([
    { label: 'site', username: 'alice', password, totp: seed, origins: ['https://bank.test'] },
    { label: 'nowhere', password },
    { label: 'only-totp', totp: seed, origins: ['https://bank.test'] },
  ]));
  mcp = await startMcp(home.env);
});
afterAll(async () => {
  await mcp?.close();
  await home?.stop();
});

describe('MCP tools without a browser', () => {
  it('lists tools with schemas and annotations that teach the flow', async () => {
    const { tools } = await mcp.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['change_password', 'create_credential', 'create_passkey', 'fill_credential', 'fill_totp', 'list_credentials', 'type_credential', 'use_passkey']);
    for (const t of tools) {
      expect(t.inputSchema.type).toBe('object');
      expect(t.outputSchema?.type).toBe('object');
      expect(t.annotations).toBeDefined();
    }
    const fill = tools.find((t) => t.name === 'fill_credential')!;
    expect(fill.description).toMatch(/identifier-first/i);
    expect(fill.description).toMatch(/never ask the user/i);
  });

  it('list_credentials gives labels and no secret', async () => {
    const r = await mcp.call('list_credentials', {});
    expect(r.isError).toBe(false);
    expect((r.structured.credentials as Array<{ label: string }>).map((c) => c.label)).toEqual(['nowhere', 'only-totp', 'site']);
  });

  it.each([
    ['fill_credential', { label: 'nope' }, 'UNKNOWN_LABEL'],
    ['fill_totp', { label: 'nope' }, 'UNKNOWN_LABEL'],
    ['type_credential', { label: 'nope' }, 'UNKNOWN_LABEL'],
    ['fill_credential', { label: 'site' }, 'NO_BROWSER'],
    ['fill_totp', { label: 'site', submit: true }, 'NO_BROWSER'],
    ['fill_credential', { label: 'nowhere' }, 'ORIGIN_MISMATCH'],
    ['fill_credential', { label: 'only-totp' }, 'NO_FILLABLE_FIELD'],
    ['fill_credential', { label: 'Not A Label' }, 'INVALID_REQUEST'],
  ])('%s %j → %s', async (tool, args, code) => {
    const r = await mcp.call(tool, args);
    expect(r.isError).toBe(true);
    expect(r.structured).toMatchObject({ ok: false, code });
    expect(typeof r.structured.message).toBe('string');
  });

  it('UNKNOWN_LABEL does not suggest other labels', async () => {
    const r = await mcp.call('fill_credential', { label: 'sit' });
    expect(r.structured.code).toBe('UNKNOWN_LABEL');
    expect(`${r.text} ${r.structured.message}`).not.toMatch(/site|nowhere|only-totp/);
  });

  it('VAULT_LOCKED once the vault is locked', async () => {
    await home.run(['lock']);
    for (const tool of ['list_credentials', 'fill_credential', 'fill_totp', 'type_credential']) {
      const r = await mcp.call(tool, tool === 'list_credentials' ? {} : { label: 'site' });
      expect(r.isError, tool).toBe(true);
      expect(r.structured.code, tool).toBe('VAULT_LOCKED');
    }
    await home.run(['unlock', '--passphrase-stdin'], PASS);
  });

  it('the transcript and the server stderr hold no secret in any form', () => {
    const all = `${mcp.transcript.join('\n')}\n${mcp.stderr()}\n${home.readLogs()}`;
    expect(mcp.transcript.length).toBeGreaterThan(20);
    for (const secret of [password, seed]) {
      for (const enc of namedEncodings(secret)) expect(all.includes(enc.value), enc.form).toBe(false);
    }
  });
});
