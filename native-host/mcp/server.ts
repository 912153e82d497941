/**
 * `blindfill mcp`: the MCP server on stdio (the agent's only door). Each tool call is one
 * request to the daemon, which starts on demand. stdout carries only JSON-RPC.
 */
import type { Readable, Writable } from 'node:stream';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { VERSION } from '../../shared/constants.js';
import { CredentialListSchema } from '../../shared/credential.js';
import { FillCredentialResultSchema, type IpcResponse, PasskeyArmResultSchema, TypeCredentialResultSchema } from '../../shared/ipc.js';
import { requestOnce } from '../ipc/client.js';
import { callerSession } from '../desktop/display-session.js';
import type { Paths } from '../paths.js';
import { ChangeInput, CreateInput, checkLabel, errorResult, FillInput, FillOutput, FLOW, FlowOutput, FLOWS_HELP, ListInput, ListOutput, listText, PasskeyInput, PasskeyOutput, successResult, summaryResult, type ToolResult, TypeInput, TypeOutput } from './tools.js';

export interface McpOptions {
  paths: Paths;
  selfCommand: readonly string[];
  stdin?: Readable;
  stdout?: Writable;
}

export interface McpServerOptions {
  /** Served inside `blindfill guard`: fills go only to the browser that guard started. */
  guarded?: boolean;
}

export function buildMcpServer(ask: (body: Record<string, unknown>, timeoutMs: number) => Promise<IpcResponse>, opts: McpServerOptions = {}): McpServer {
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

  const fillTool = (totpOnly: boolean) => async (args: { label: string; submit?: boolean | undefined; browser_profile?: string | undefined }) => {
    const bad = checkLabel(args.label);
    if (bad) return bad;
    const body = {
      op: 'fill',
      label: args.label,
      submit: args.submit === true,
      ...(totpOnly ? { totp_only: true } : {}),
      session: callerSession(process.env),
      ...(opts.guarded ? { guarded: true } : {}),
      ...(args.browser_profile !== undefined ? { browser_profile: args.browser_profile } : {}),
    };
    return fromDaemon(body, 60_000, (r) => {
      const f = FillCredentialResultSchema.parse(r);
      return successResult(`Filled ${f.filled.join(' and ')} for ${f.label} on ${f.origin}${f.submitted ? ' and submitted the form' : ''}.${f.outcome ? ` Outcome: ${f.outcome}.` : ''}`, f);
    });
  };

  server.registerTool(
    'fill_credential',
    {
      title: 'Fill a login form',
      description:
        'Fill the username and password of a labelled credential into the login form of the browser\'s active tab, if the page\'s origin is one the credential allows. ' +
        'On an identifier-first login, call it on the username page, click Next, then call it again on the password page. ' +
        'Returns which fields were filled, never their values. Never ask the user for the password. ' +
        'With several browsers connected, the fill goes to the one your blindfill guard started; if none is bound to you it answers AMBIGUOUS_BROWSER, and browser_profile names the one to fill.',
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
        '(single field or one box per digit), if the page\'s origin is one the credential allows. Use it on the two-factor page after the password step. The code is never returned. ' +
          'browser_profile picks the browser as for fill_credential.',
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

  type FlowArgs = { label: string; submit?: boolean | undefined; length?: number | undefined; classes?: Array<'lower' | 'upper' | 'digit' | 'special'> | undefined };
  const flowBody = (args: FlowArgs) => ({
    label: args.label,
    submit: args.submit === true,
    ...(args.length !== undefined ? { length: args.length } : {}),
    ...(args.classes !== undefined ? { classes: args.classes } : {}),
  });
  const flowResult = (what: string) => (r: unknown) => {
    const f = FillCredentialResultSchema.parse(r);
    return successResult(`${what} ${f.label} on ${f.origin}: filled ${f.filled.join(' and ')}${f.submitted ? ', submitted' : ''}.${f.outcome ? ` Outcome: ${f.outcome}.` : ''}`, f);
  };

  server.registerTool(
    'create_credential',
    {
      title: 'Sign up with a generated password',
      description: `On the sign-up page of the browser's active tab: generate a password, store it under a new label bound to the page's origin, and fill it into every new-password field of the sign-up form (password and confirm), with the username where asked. The password is never returned.\n\n${FLOWS_HELP}`,
      inputSchema: CreateInput,
      outputSchema: FlowOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    async (args) => {
      const bad = checkLabel(args.label);
      if (bad) return bad;
      return fromDaemon({ op: 'create', ...flowBody(args), ...(args.username !== undefined ? { username: args.username } : {}) }, 90_000, flowResult('Created'));
    },
  );

  server.registerTool(
    'change_password',
    {
      title: 'Change a password',
      description: `On the change-password page of the browser's active tab: fill the credential's current password and a new generated one (new and confirm). The new password becomes current once the site accepts it (outcome signed_in); until the user confirms, the previous one is kept. Neither is ever returned.\n\n${FLOWS_HELP}`,
      inputSchema: ChangeInput,
      outputSchema: FlowOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    async (args) => {
      const bad = checkLabel(args.label);
      if (bad) return bad;
      return fromDaemon({ op: 'change_password', ...flowBody(args) }, 90_000, flowResult('Changed the password of'));
    },
  );

  const passkeyTool = (kind: 'get' | 'create') => async (args: { label: string }) => {
    const bad = checkLabel(args.label);
    if (bad) return bad;
    return fromDaemon({ op: 'passkey_arm', label: args.label, kind }, 60_000, (r) => {
      const a = PasskeyArmResultSchema.parse(r);
      const next = kind === 'get' ? 'click the site\'s "Sign in with a passkey" button' : 'click the site\'s button that creates a passkey';
      return successResult(`Armed ${a.label} on ${a.origin} for ${a.armed_for_s} s: now ${next}.`, a);
    });
  };

  server.registerTool(
    'use_passkey',
    {
      title: 'Sign in with a passkey',
      description:
        'Arm the passkey of a labelled credential for ONE sign-in on the browser\'s active tab, for a short time (armed_for_s). Then click the site\'s "Sign in with a passkey" button: ' +
        'blindfill answers the page\'s WebAuthn request if the site may use the passkey (its rp id). The private key never leaves blindfill; the result never holds it. ' +
        'Refusals of the page\'s request appear on the page (and in the audit log) with a code such as RP_ID_MISMATCH or PASSKEY_NOT_ARMED.',
      inputSchema: PasskeyInput,
      outputSchema: PasskeyOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    passkeyTool('get'),
  );

  server.registerTool(
    'create_passkey',
    {
      title: 'Register a passkey',
      description:
        'Arm ONE passkey registration on the browser\'s active tab, for a short time (armed_for_s). Then click the site\'s button that creates a passkey: blindfill makes the key pair, ' +
        'keeps the private key, and stores the passkey under the label (a new credential bound to the page\'s origin, or an existing credential for that origin).',
      inputSchema: PasskeyInput,
      outputSchema: PasskeyOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    passkeyTool('create'),
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
