/**
 * `blindfill mcp`: the MCP server on stdio (the agent's only door). Each tool call is one
 * request to the daemon, which starts on demand. stdout carries only JSON-RPC.
 */
import type { Readable, Writable } from 'node:stream';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { VERSION } from '../../shared/constants.js';
import { CredentialListSchema } from '../../shared/credential.js';
import { FillCredentialResultSchema, type IpcResponse, TypeCredentialResultSchema } from '../../shared/ipc.js';
import { requestOnce } from '../ipc/client.js';
import { callerSession } from '../desktop/display-session.js';
import type { Paths } from '../paths.js';
import { checkLabel, errorResult, FillInput, FillOutput, FLOW, ListInput, ListOutput, listText, successResult, summaryResult, type ToolResult, TypeInput, TypeOutput } from './tools.js';

export interface McpOptions {
  paths: Paths;
  selfCommand: readonly string[];
  stdin?: Readable;
  stdout?: Writable;
}

export function buildMcpServer(ask: (body: Record<string, unknown>, timeoutMs: number) => Promise<IpcResponse>): McpServer {
  const server = new McpServer({ name: 'blindfill', version: VERSION }, { instructions: FLOW });

  const fromDaemon = async (body: Record<string, unknown>, timeoutMs: number, onOk: (result: unknown) => ToolResult): Promise<ToolResult> => {
    const res = await ask({ caller: 'mcp', ...body }, timeoutMs);
    if (!res.ok) return errorResult(res.code === 'DAEMON_UNAVAILABLE' ? 'INTERNAL' : res.code, res.message);
    return onOk(res.result);
  };

  server.registerTool(
    'list_credentials',
    {
      title: 'List credentials',
      description:
        'List the labelled credentials you may use (labels, origins, desktop windows; never secrets). ' +
        'Pass origin "active_tab" to get only those that may be filled on the page open in the browser, or a URL for another page.' +
        `\n\n${FLOW}`,
      inputSchema: ListInput,
      outputSchema: ListOutput,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async (args) =>
      fromDaemon({ op: 'list', ...(args.origin !== undefined ? { origin: args.origin } : {}) }, 30_000, (r) => {
        const list = CredentialListSchema.parse(r);
        return summaryResult(listText(list), list);
      }),
  );

  const fillTool = (totpOnly: boolean) => async (args: { label: string; submit?: boolean | undefined }) => {
    const bad = checkLabel(args.label);
    if (bad) return bad;
    return fromDaemon({ op: 'fill', label: args.label, submit: args.submit === true, ...(totpOnly ? { totp_only: true } : {}) }, 60_000, (r) => {
      const f = FillCredentialResultSchema.parse(r);
      return successResult(`Filled ${f.filled.join(' and ')} for ${f.label} on ${f.origin}${f.submitted ? ' and submitted the form' : ''}.`, f);
    });
  };

  server.registerTool(
    'fill_credential',
    {
      title: 'Fill a login form',
      description:
        'Fill the username and password of a labelled credential into the login form of the browser\'s active tab, if the page\'s origin is one the credential allows. ' +
        'On an identifier-first login, call it on the username page, click Next, then call it again on the password page. ' +
        'Returns which fields were filled, never their values. Never ask the user for the password.',
      inputSchema: FillInput,
      outputSchema: FillOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    fillTool(false),
  );

  server.registerTool(
    'fill_totp',
    {
      title: 'Fill a one-time code',
      description:
        'Compute the current one-time code (TOTP) of a labelled credential and fill it into the code field(s) of the browser\'s active tab ' +
        '(single field or one box per digit), if the page\'s origin is one the credential allows. Use it on the two-factor page after the password step. The code is never returned.',
      inputSchema: FillInput,
      outputSchema: FillOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    fillTool(true),
  );

  server.registerTool(
    'type_credential',
    {
      title: 'Type into a desktop window',
      description:
        'Type a labelled credential into the focused desktop window (VPN clients, database tools, native login dialogs) through OS keyboard input, ' +
        'only if the window\'s title matches one of the credential\'s windows. Focus the right window first. Nothing typed is returned.',
      inputSchema: TypeInput,
      outputSchema: TypeOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    async (args) => {
      const bad = checkLabel(args.label);
      if (bad) return bad;
      const session = callerSession(process.env);
      return fromDaemon({ op: 'type', label: args.label, submit: args.submit === true, ...(args.field ? { field: args.field } : {}), session }, 300_000, (r) => {
        const t = TypeCredentialResultSchema.parse(r);
        return successResult(`Typed the ${t.field} of ${t.label} into "${t.window}".`, t);
      });
    },
  );

  return server;
}

export async function runMcp(o: McpOptions): Promise<number> {
  const server = buildMcpServer((body, timeoutMs) => requestOnce({ paths: o.paths, selfCommand: o.selfCommand, autostart: true }, body, timeoutMs));
  const transport = new StdioServerTransport(o.stdin, o.stdout);
  const closed = new Promise<number>((resolve) => {
    transport.onclose = () => resolve(0);
    (o.stdin ?? process.stdin).on('end', () => resolve(0));
  });
  await server.connect(transport);
  process.stderr.write(`blindfill-mcp[${process.pid}] ready\n`);
  return closed;
}
