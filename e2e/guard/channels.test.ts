/**
 * `blindfill guard` in front of a small MCP server that sends a vault secret back through
 * every channel MCP has (e2e/guard/echo-server.mjs): tool results, structuredContent,
 * embedded resources, errors, resources and templates, prompts, completions, log and
 * progress notifications, its instructions and its stderr. All of it reaches the agent
 * scrubbed; image and audio data pass unchanged; when the vault is locked nothing passes.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { type Home, initVault, makeHome, PASS, ROOT } from '../core/cli.js';
import { findSecrets, makeCanary } from '../harness/canary.js';
import { type McpSession, startMcp } from '../mcp/mcp-client.js';

const ECHO = path.join(ROOT, 'e2e/guard/echo-server.mjs');
const secret = makeCanary();
let home: Home;
let agent: McpSession;
const logs: unknown[] = [];

beforeAll(async () => {
  home = makeHome();
  await initVault(home);
  const r = await home.run(['add', '--json-stdin'], JSON.stringify({ label: 'acme', password: secret, origins: ['https://acme.test'] }));
  expect(r.code, r.stderr).toBe(0);
  agent = await startMcp({ ...home.env, FAKE_SECRET: secret, NODE_PATH: path.join(ROOT, 'node_modules') }, ['guard', '--', process.execPath, ECHO]);
  agent.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(n.params));
});

afterAll(async () => {
  await agent?.close();
  await home?.stop();
});

const S = '[blindfill:acme]';

describe('every channel of the child is scrubbed', () => {
  it('instructions and the tool list (descriptions)', async () => {
    expect(agent.client.getInstructions()).toContain(`it knows ${S}`);
    const { tools } = await agent.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['list_credentials', 'fill_credential', 'fill_totp', 'type_credential', 'create_credential', 'change_password', 'use_passkey', 'create_passkey', 'echo', 'image', 'fail', 'log']);
    expect(tools.find((t) => t.name === 'echo')?.description).toBe(`echoes ${S}`);
  });

  it('tool results: text in every form, embedded resources, structuredContent values and keys', async () => {
    const r = await agent.client.callTool({ name: 'echo', arguments: { times: 2 } });
    const content = r.content as Array<{ type: string; text?: string; resource?: { text: string } }>;
    expect(content[0]!.text).toBe(`secret: ${S} / ${S} / ${S}`.repeat(2));
    expect(content[1]!.resource!.text).toBe(`embedded ${S}`);
    expect(r.structuredContent).toEqual({ value: S, nested: { list: [`{"pw":"${S}"}`] }, [S]: 'key' });
  });

  it('images and audio pass unchanged', async () => {
    const r = await agent.client.callTool({ name: 'image', arguments: {} });
    const content = r.content as Array<{ type: string; data: string }>;
    expect(content.map((c) => c.data)).toEqual([Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64')]);
  });

  it('errors (JSON-RPC error message and data)', async () => {
    const r = await agent.client.callTool({ name: 'fail', arguments: {} }).catch((e: Error & { data?: unknown }) => ({ error: { message: e.message, data: e.data } }));
    const text = JSON.stringify(r);
    expect(text).toContain(S);
    expect(findSecrets(text, [secret])).toEqual([]);
  });

  it('log and progress notifications, and the child\'s stderr', async () => {
    const progress: unknown[] = [];
    const r = await agent.client.callTool({ name: 'log', arguments: {} }, undefined, { onprogress: (p) => void progress.push(p) });
    expect(r.content).toEqual([{ type: 'text', text: 'logged' }]);
    for (let i = 0; i < 50 && (logs.length === 0 || !agent.stderr().includes('stderr line with')); i++) await new Promise((r) => setTimeout(r, 100));
    expect(logs).toEqual([{ level: 'error', data: { msg: `log ${S}` } }]);
    expect(progress).toEqual([{ progress: 1, total: 2, message: `step ${S}` }]);
    expect(agent.stderr()).toContain(`stderr line with ${S}`);
    expect(agent.stderr()).toContain(`echo-server ready, knows ${S}`);
  });

  it('resources (text scrubbed, blob unchanged), templates, prompts and completions', async () => {
    const list = await agent.client.listResources();
    expect(list.resources.find((x) => x.uri === 'mem://secret')?.description).toBe(`resource ${S}`);
    const read = await agent.client.readResource({ uri: 'mem://secret' });
    expect(read.contents).toEqual([
      { uri: 'mem://secret', text: `text ${S}` },
      { uri: 'mem://secret/bin', blob: Buffer.from(secret).toString('base64') },
    ]);
    const item = await agent.client.readResource({ uri: 'mem://item/7' });
    expect((item.contents[0] as { text: string }).text).toBe(`7:${S}`);
    const templates = await agent.client.listResourceTemplates();
    expect(templates.resourceTemplates.map((t) => t.uriTemplate)).toEqual(['mem://item/{id}']);
    const prompt = await agent.client.getPrompt({ name: 'p', arguments: { who: 'bob' } });
    expect((prompt.messages[0]!.content as { text: string }).text).toBe(`hello bob ${S}`);
    const done = await agent.client.complete({ ref: { type: 'ref/prompt', name: 'p' }, argument: { name: 'who', value: '' } });
    expect(done.completion.values).toEqual([`${S}-1`]);
  });

  it('locked: a tool call answers isError VAULT_LOCKED, other requests an error, nothing unscrubbed', async () => {
    expect((await home.run(['lock'])).code).toBe(0);
    const r = await agent.client.callTool({ name: 'echo', arguments: {} });
    expect(r.isError).toBe(true);
    expect(JSON.stringify(r)).toContain('VAULT_LOCKED');
    await expect(agent.client.readResource({ uri: 'mem://secret' })).rejects.toThrow(/VAULT_LOCKED/);
    await expect(agent.client.listTools()).rejects.toThrow(/VAULT_LOCKED/);
    // blindfill's own tools still answer (with their own VAULT_LOCKED).
    const own = await agent.client.callTool({ name: 'list_credentials', arguments: {} });
    expect(JSON.stringify(own.structuredContent)).toContain('VAULT_LOCKED');
    expect((await home.run(['unlock', '--passphrase-stdin'], PASS)).code).toBe(0);
    const again = await agent.client.callTool({ name: 'echo', arguments: {} });
    expect(again.isError).not.toBe(true);
  });

  it('the whole transcript and stderr hold the secret in no covered form', () => {
    expect(findSecrets(`${agent.transcript.join('\n')}\n${agent.stderr()}`.replaceAll(Buffer.from(secret).toString('base64'), ''), [secret])).toEqual([]);
  });
});
