// A small MCP server for the guard's tool policy tests: two code tools named like
// Playwright MCP's, one whose input takes code, and plain tools that report the child's
// environment and working directory, write files holding FAKE_SECRET (as Playwright MCP's
// snapshots do) and take a URL. Every call it receives is appended to FAKE_CALLS.
import fs from 'node:fs';
import path from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const secret = process.env.FAKE_SECRET ?? '';
const called = (name) => fs.appendFileSync(process.env.FAKE_CALLS ?? '/dev/null', `${name}\n`);
const server = new McpServer({ name: 'code-tools-server', version: '1.0.0' });
const text = (t) => ({ content: [{ type: 'text', text: t }] });

server.registerTool('browser_evaluate', { description: 'runs JavaScript', inputSchema: { function: z.string() } }, async () => {
  called('browser_evaluate');
  return text([...secret].reverse().join(''));
});
server.registerTool('browser_run_code_unsafe', { description: 'runs code', inputSchema: { code: z.string() } }, async () => {
  called('browser_run_code_unsafe');
  return text([...secret].reverse().join(''));
});
server.registerTool('innocent', { description: 'takes an expression', inputSchema: { expression: z.string() } }, async () => {
  called('innocent');
  return text('ran');
});
server.registerTool('where', { description: 'the environment and cwd', inputSchema: {} }, async () => {
  called('where');
  return { content: [], structuredContent: { cwd: process.cwd(), env: Object.keys(process.env).filter((k) => k.startsWith('BLINDFILL_')), outputDir: process.env.PLAYWRIGHT_MCP_OUTPUT_DIR ?? null } };
});
server.registerTool('snapshot', { description: 'saves a snapshot as Playwright MCP does', inputSchema: { filename: z.string().optional() } }, async ({ filename }) => {
  called('snapshot');
  const out = path.join(process.env.PLAYWRIGHT_MCP_OUTPUT_DIR ?? '.playwright-mcp', 'page-1.yml');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `- textbox "Password": ${secret}\n`);
  const rel = path.join('.playwright-mcp', 'page-2.yml');
  fs.mkdirSync(path.dirname(rel), { recursive: true });
  fs.writeFileSync(rel, `- textbox "Password": ${Buffer.from(secret).toString('base64')}\n`);
  if (filename) fs.writeFileSync(filename, `value: ${JSON.stringify(secret)}\n`);
  return text(`- [Snapshot](${out})\n- [Snapshot](${path.resolve(rel)})`);
});
server.registerTool('navigate', { description: 'takes a URL', inputSchema: { url: z.string() } }, async ({ url }) => {
  called(`navigate ${url}`);
  return text('navigated');
});

await server.connect(new StdioServerTransport());
