// A small MCP server for the guard tests: it sends the secret in FAKE_SECRET back through
// every channel an MCP server has — tool results (text, structuredContent, embedded
// resources), errors, resources (text and blob), prompts, completions, log notifications,
// progress messages and its stderr. Images carry it in their base64 data (must pass as is).
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import { McpError, ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

const secret = process.env.FAKE_SECRET ?? '';
const b64 = Buffer.from(secret).toString('base64');
const server = new McpServer({ name: 'echo-server', version: '1.0.0' }, { capabilities: { logging: {} }, instructions: `Echo server; it knows ${secret}.` });

server.registerTool('echo', { description: `echoes ${secret}`, inputSchema: { times: z.number().optional() } }, async ({ times }) => ({
  content: [
    { type: 'text', text: `secret: ${secret} / ${encodeURIComponent(secret)} / ${b64}`.repeat(times ?? 1) },
    { type: 'resource', resource: { uri: 'mem://r', mimeType: 'text/plain', text: `embedded ${secret}` } },
  ],
  structuredContent: { value: secret, nested: { list: [JSON.stringify({ pw: secret })] }, [secret]: 'key' },
}));
server.registerTool('image', { description: 'an image whose data holds the secret' }, async () => ({
  content: [{ type: 'image', data: b64, mimeType: 'image/png' }, { type: 'audio', data: b64, mimeType: 'audio/wav' }],
}));
server.registerTool('fail', { description: 'throws' }, async () => {
  throw new McpError(ErrorCode.InvalidParams, `bad input near ${secret}`, { echoed: secret });
});
server.registerTool('log', { description: 'sends notifications', inputSchema: {} }, async (_args, extra) => {
  await server.server.sendLoggingMessage({ level: 'error', data: { msg: `log ${secret}` } });
  const token = extra._meta?.progressToken;
  if (token !== undefined) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: 1, total: 2, message: `step ${secret}` } });
  // The SDK's client handles a notification a tick after a response read in the same chunk:
  // give the progress notification its own chunk.
  await new Promise((r) => setTimeout(r, 100));
  process.stderr.write(`stderr line with ${secret}\n`);
  return { content: [{ type: 'text', text: 'logged' }] };
});
server.registerResource('secret', 'mem://secret', { description: `resource ${secret}` }, async (uri) => ({
  contents: [{ uri: uri.href, text: `text ${secret}` }, { uri: `${uri.href}/bin`, blob: b64 }],
}));
server.registerResource('tpl', new ResourceTemplate('mem://item/{id}', { list: undefined }), {}, async (uri, { id }) => ({ contents: [{ uri: uri.href, text: `${id}:${secret}` }] }));
server.registerPrompt('p', { description: 'a prompt', argsSchema: { who: completable(z.string(), () => [`${secret}-1`]) } }, ({ who }) => ({
  messages: [{ role: 'user', content: { type: 'text', text: `hello ${who} ${secret}` } }],
}));

await server.connect(new StdioServerTransport());
process.stderr.write(`echo-server ready, knows ${secret}\n`);
