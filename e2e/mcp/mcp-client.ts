/**
 * A real MCP client (the SDK's Client over StdioClientTransport) spawning the built
 * `blindfill mcp` (or `blindfill ARGS…`, e.g. `guard -- CMD…`), recording the whole
 * JSON-RPC transcript in both directions.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { BIN } from '../core/cli.js';

export interface McpSession {
  client: Client;
  transcript: string[];
  stderr: () => string;
  call(name: string, args: Record<string, unknown>): Promise<{ isError: boolean; structured: Record<string, unknown>; text: string }>;
  close(): Promise<void>;
}

export async function startMcp(env: NodeJS.ProcessEnv, args: readonly string[] = ['mcp']): Promise<McpSession> {
  const transcript: string[] = [];
  let stderr = '';
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, ...args],
    env: env as Record<string, string>,
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const send = transport.send.bind(transport);
  transport.send = async (m: JSONRPCMessage) => {
    transcript.push(`> ${JSON.stringify(m)}`);
    return send(m);
  };
  const client = new Client({ name: 'blindfill-e2e-agent', version: '1.0.0' });
  await client.connect(transport);
  // Wrap the receive side after connect, when the client has installed its handler.
  const onmessage = transport.onmessage!;
  transport.onmessage = (m: JSONRPCMessage) => {
    transcript.push(`< ${JSON.stringify(m)}`);
    onmessage(m);
  };
  return {
    client,
    transcript,
    stderr: () => stderr,
    async call(name, args) {
      const r = await client.callTool({ name, arguments: args });
      const content = (r.content as Array<{ type: string; text?: string }>) ?? [];
      return {
        isError: r.isError === true,
        structured: (r.structuredContent ?? {}) as Record<string, unknown>,
        text: content.map((c) => c.text ?? '').join('\n'),
      };
    },
    close: () => client.close(),
  };
}
