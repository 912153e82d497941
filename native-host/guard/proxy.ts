/**
 * `blindfill guard [--allow-tool NAME]… -- COMMAND [ARGS…]`: an MCP server on stdio that runs another MCP
 * server (Playwright MCP, chrome-devtools-mcp, …) as its child and stands between it and
 * the agent:
 *
 *   agent ──stdio──> guard (Server) ──┬─ blindfill's own four tools (in process, buildMcpServer)
 *                                     └─ child (Client over StdioClientTransport)
 *
 * It lists blindfill's tools and the child's in one list and forwards calls, resources,
 * prompts, completions, logging and notifications. Everything the child sends toward the
 * agent — results, errors, notifications, its instructions, even its stderr — is scrubbed
 * by the daemon's `redact` op first: every form of every vault secret and the one-time
 * codes valid now become `[blindfill:LABEL]`. Image and audio data and resource blobs pass
 * unchanged. When scrubbing fails (vault locked, daemon gone), nothing unscrubbed passes:
 * a tool call answers isError VAULT_LOCKED, other requests a JSON-RPC error, and
 * notifications are dropped.
 *
 * The child's tools that run code beyond reading the page are withheld (left out of the
 * list, and a call to one is refused without reaching the child) unless the owner names
 * them with --allow-tool (tool-policy.ts). The child runs in a private work directory
 * (its cwd and output directory), scrubbed before every answer and removed on exit
 * (workdir.ts), and without BLINDFILL_* in its environment.
 *
 * stdout carries only JSON-RPC; diagnostics go to stderr and name no secret.
 */
import type { Readable, Writable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CallToolRequestSchema,
  CallToolResultSchema,
  CompleteRequestSchema,
  CompleteResultSchema,
  EmptyResultSchema,
  ErrorCode,
  GetPromptRequestSchema,
  GetPromptResultSchema,
  ListPromptsRequestSchema,
  ListPromptsResultSchema,
  ListResourcesRequestSchema,
  ListResourcesResultSchema,
  ListResourceTemplatesRequestSchema,
  ListResourceTemplatesResultSchema,
  ListToolsRequestSchema,
  ListToolsResultSchema,
  McpError,
  ReadResourceRequestSchema,
  ReadResourceResultSchema,
  type ServerCapabilities,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  type Tool,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { VERSION } from '../../shared/constants.js';
import { requestOnce } from '../ipc/client.js';
import { buildMcpServer } from '../mcp/server.js';
import type { Paths } from '../paths.js';
import { DaemonRedactor, StreamRedactor } from './daemon-redactor.js';
import { codeReason, ToolPolicy } from './tool-policy.js';
import { scrubValue } from './walk.js';
import { WorkDir } from './workdir.js';

export interface GuardOptions {
  paths: Paths;
  selfCommand: readonly string[];
  command: string;
  args: readonly string[];
  /** Child tools offered although they run code (--allow-tool). */
  allow?: readonly string[];
  env?: NodeJS.ProcessEnv;
  stdin?: Readable;
  stdout?: Writable;
  log?: (msg: string) => void;
  /** Per forwarded request (reset by progress). Default 10 minutes. */
  requestTimeoutMs?: number;
  /** Called once the child is up, just before the guard serves the agent. */
  onReady?: () => void;
}

type AnySchema = Parameters<Client['request']>[1];
type Failed = { ok: false; code: string; message: string };

const lockedText = (f: Failed) =>
  f.code === 'VAULT_LOCKED'
    ? 'the vault is locked: the result was withheld because blindfill cannot scrub it (run `blindfill unlock`)'
    : `the result was withheld because blindfill could not scrub it (${f.code}: ${f.message})`;

/** A tool result that says the real result was withheld. */
function withheldResult(f: Failed) {
  const code = f.code === 'VAULT_LOCKED' ? 'VAULT_LOCKED' : 'INTERNAL';
  const message = lockedText(f);
  return { content: [{ type: 'text' as const, text: `error ${code}: ${message}` }], structuredContent: { ok: false, code, message }, isError: true };
}

/** A call the guard refuses (never sent to the child). */
function refusedResult(message: string) {
  return { content: [{ type: 'text' as const, text: `error TOOL_WITHHELD: ${message}` }], structuredContent: { ok: false, code: 'TOOL_WITHHELD', message }, isError: true };
}

/** The child's environment: ours without BLINDFILL_*, its output directory in `work`. */
export function childEnv(env: NodeJS.ProcessEnv, work: WorkDir): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !k.startsWith('BLINDFILL_')) out[k] = v;
  out.PWD = work.dir;
  out.PLAYWRIGHT_MCP_OUTPUT_DIR = work.outputDir;
  return out;
}

/** Scrubbing failed: the answer must not be passed on. */
class Withheld extends Error {
  constructor(readonly failed: Failed) {
    super(lockedText(failed));
  }

  toMcpError(): McpError {
    return new McpError(ErrorCode.InternalError, `${this.failed.code === 'VAULT_LOCKED' ? 'VAULT_LOCKED' : 'INTERNAL'}: ${this.message}`);
  }
}

/** A request handler whose withheld answers become JSON-RPC errors. */
const rpc =
  <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
  async (...a: A): Promise<R> => {
    try {
      return await fn(...a);
    } catch (e) {
      throw e instanceof Withheld ? e.toMcpError() : e;
    }
  };

export async function runGuard(o: GuardOptions): Promise<number> {
  const log = o.log ?? ((m: string) => process.stderr.write(`blindfill-guard[${process.pid}] ${m}\n`));
  const timeout = o.requestTimeoutMs ?? 600_000;
  const redactor = new DaemonRedactor(o.paths, o.selfCommand, 'mcp');
  const scrub = <T>(v: T) => scrubValue(v, redactor.scrubTexts);
  let work: WorkDir;
  try {
    work = WorkDir.create(o.paths, o.env ?? process.env, redactor, log);
  } catch (e) {
    log(`error INSECURE_PERMISSIONS: no private work directory for the child: ${(e as Error).message}`);
    redactor.close();
    return 1;
  }
  const policy = new ToolPolicy(new Set(o.allow ?? []), work.dir);
  for (const name of policy.allowed) {
    const why = codeReason({ name }) ?? 'if it runs code beyond reading the page, the agent can read a filled password through it and reverse or split it past the scrubber';
    log(`--allow-tool ${name}: offered to the agent, which gives up this: ${why}`);
  }

  // blindfill's own tools, served in process and reached through an in-memory client.
  const own = buildMcpServer((body, ms) => requestOnce({ paths: o.paths, selfCommand: o.selfCommand, autostart: true }, body, ms), { guarded: true });
  const ownClient = new Client({ name: 'blindfill-guard', version: VERSION });
  const [ownSide, guardSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([own.connect(ownSide), ownClient.connect(guardSide)]);
  const ownTools = (await ownClient.listTools()).tools;
  const ownNames = new Set(ownTools.map((t) => t.name));

  // The child MCP server. Its stderr is scrubbed as a stream before it reaches ours.
  const transport = new StdioClientTransport({
    command: o.command,
    args: [...o.args],
    env: childEnv(o.env ?? process.env, work),
    cwd: work.dir,
    stderr: 'pipe',
  });
  const stderrDone = pipeScrubbedStderr(transport, redactor, log);
  const child = new Client({ name: 'blindfill-guard', version: VERSION }, { capabilities: {} });
  try {
    await child.connect(transport);
  } catch (e) {
    log(`could not start the MCP server "${o.command}": ${(e as Error).message}`);
    redactor.close();
    work.remove();
    return 1;
  }
  const caps: ServerCapabilities = child.getServerCapabilities() ?? {};
  log(`child "${o.command}" ready (${Object.keys(caps).join(', ') || 'no capabilities'}), work directory ${work.dir}`);

  let instructions = ownClient.getInstructions() ?? '';
  const childInstructions = child.getInstructions();
  if (childInstructions) {
    const r = await scrub(childInstructions);
    if (r.ok) instructions += `\n\n${r.value}`;
    else log(`the child's instructions were left out: ${r.code}`);
  }

  const server = new Server(
    { name: 'blindfill-guard', version: VERSION },
    {
      capabilities: {
        tools: { listChanged: true },
        ...(caps.resources ? { resources: caps.resources } : {}),
        ...(caps.prompts ? { prompts: caps.prompts } : {}),
        ...(caps.logging ? { logging: {} } : {}),
        ...(caps.completions ? { completions: {} } : {}),
      },
      instructions,
    },
  );

  // Notifications from the child are scrubbed and sent in order; an answer waits for the
  // notifications that arrived before it, so the agent sees them in the child's order.
  let notifications: Promise<void> = Promise.resolve();

  /** Forward one request to the child and scrub its answer (or its error). */
  const forward = async <T>(method: string, params: unknown, schema: AnySchema, extra: { signal: AbortSignal; _meta?: { progressToken?: string | number }; sendNotification: (n: never) => Promise<void> }): Promise<T> => {
    const agentToken = extra._meta?.progressToken;
    const opts: RequestOptions = { signal: extra.signal, timeout, resetTimeoutOnProgress: true };
    let progress: Promise<void> = Promise.resolve();
    if (agentToken !== undefined) {
      opts.onprogress = (p) => {
        progress = progress.then(async () => {
          const s = await scrub(p);
          if (s.ok) await extra.sendNotification({ method: 'notifications/progress', params: { ...s.value, progressToken: agentToken } } as never).catch((e: unknown) => log(`progress not forwarded: ${(e as Error).message}`));
        });
      };
    }
    let result: unknown;
    try {
      result = await child.request({ method, params } as never, schema, opts);
    } catch (e) {
      await Promise.all([progress, notifications, work.scrub()]);
      if (e instanceof McpError) {
        const s = await scrub({ message: e.message.replace(/^MCP error -?\d+: /, ''), data: e.data });
        if (!s.ok) throw new Withheld(s);
        throw new McpError(e.code, s.value.message, s.value.data);
      }
      throw e;
    }
    const s = await scrub(result);
    await Promise.all([progress, notifications, work.scrub()]);
    if (!s.ok) throw new Withheld(s);
    return s.value as T;
  };

  /** Read the child's whole tool list for the policy only (nothing reaches the agent). */
  const learnTools = async () => {
    let cursor: string | undefined;
    do {
      const r = await child.request({ method: 'tools/list', params: cursor === undefined ? {} : { cursor } }, ListToolsResultSchema, { timeout });
      policy.offer(r.tools);
      cursor = r.nextCursor;
    } while (cursor !== undefined);
  };

  server.setRequestHandler(ListToolsRequestSchema, rpc(async (req, extra) => {
    let childTools: Tool[] = [];
    let nextCursor: string | undefined;
    if (caps.tools) {
      const r = await forward<{ tools: Tool[]; nextCursor?: string }>('tools/list', req.params, ListToolsResultSchema, extra);
      const shadowed = r.tools.filter((t) => ownNames.has(t.name)).map((t) => t.name);
      if (shadowed.length > 0) log(`child tools shadowed by blindfill's: ${shadowed.join(', ')}`);
      childTools = policy.offer(r.tools.filter((t) => !ownNames.has(t.name)));
      nextCursor = r.nextCursor;
    }
    const first = req.params?.cursor === undefined;
    return { tools: [...(first ? ownTools : []), ...childTools], ...(nextCursor !== undefined ? { nextCursor } : {}) };
  }));

  server.setRequestHandler(CallToolRequestSchema, async (req, extra) => {
    if (ownNames.has(req.params.name)) {
      // Built from daemon answers that hold labels, origins and field kinds only.
      return ownClient.request({ method: 'tools/call', params: req.params }, CallToolResultSchema, { signal: extra.signal, timeout });
    }
    // A name never listed is classified by the child's current list (the agent may call
    // a tool it was never offered).
    if (!policy.knows(req.params.name) && caps.tools) await learnTools().catch((e: unknown) => log(`could not list the child's tools: ${(e as Error).message}`));
    const refused = policy.refusal(req.params.name, req.params.arguments ?? {});
    if (refused !== null) {
      log(`refused a call of ${req.params.name}`);
      return refusedResult(refused);
    }
    try {
      return await forward('tools/call', req.params, CallToolResultSchema, extra);
    } catch (e) {
      // A tool call answers with an error result the agent can read, never the raw result.
      if (e instanceof Withheld) return withheldResult(e.failed);
      throw e;
    }
  });

  if (caps.resources) {
    server.setRequestHandler(ListResourcesRequestSchema, rpc((req, extra) => forward('resources/list', req.params, ListResourcesResultSchema, extra)));
    server.setRequestHandler(ListResourceTemplatesRequestSchema, rpc((req, extra) => forward('resources/templates/list', req.params, ListResourceTemplatesResultSchema, extra)));
    server.setRequestHandler(ReadResourceRequestSchema, rpc((req, extra) => forward('resources/read', req.params, ReadResourceResultSchema, extra)));
    if (caps.resources.subscribe) {
      server.setRequestHandler(SubscribeRequestSchema, rpc((req, extra) => forward('resources/subscribe', req.params, EmptyResultSchema, extra)));
      server.setRequestHandler(UnsubscribeRequestSchema, rpc((req, extra) => forward('resources/unsubscribe', req.params, EmptyResultSchema, extra)));
    }
  }
  if (caps.prompts) {
    server.setRequestHandler(ListPromptsRequestSchema, rpc((req, extra) => forward('prompts/list', req.params, ListPromptsResultSchema, extra)));
    server.setRequestHandler(GetPromptRequestSchema, rpc((req, extra) => forward('prompts/get', req.params, GetPromptResultSchema, extra)));
  }
  if (caps.completions) server.setRequestHandler(CompleteRequestSchema, rpc((req, extra) => forward('completion/complete', req.params, CompleteResultSchema, extra)));
  if (caps.logging) server.setRequestHandler(SetLevelRequestSchema, rpc((req, extra) => forward('logging/setLevel', req.params, EmptyResultSchema, extra)));

  // Notifications from the child (logs, list changes, resource updates): scrubbed, in order.
  child.fallbackNotificationHandler = async (n) => {
    notifications = notifications.then(async () => {
      await work.scrub();
      const s = await scrub(n);
      if (!s.ok) {
        log(`a ${n.method} notification was dropped: ${s.code}`);
        return;
      }
      await server.notification(s.value as never).catch((e: unknown) => log(`could not forward ${n.method}: ${(e as Error).message}`));
    });
  };

  const serverTransport = new StdioServerTransport(o.stdin, o.stdout);
  const done = new Promise<number>((resolve) => {
    serverTransport.onclose = () => resolve(0);
    (o.stdin ?? process.stdin).on('end', () => resolve(0));
    child.onclose = () => {
      log('the child MCP server exited');
      resolve(1);
    };
    for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(sig, () => resolve(0));
  });
  o.onReady?.();
  await server.connect(serverTransport);
  log('ready');
  const code = await done;
  child.onclose = undefined;
  await child.close().catch(() => undefined);
  await Promise.race([stderrDone, new Promise((r) => setTimeout(r, 2000))]);
  await server.close().catch(() => undefined);
  await ownClient.close().catch(() => undefined);
  work.remove();
  redactor.close();
  return code;
}

/**
 * Copy the child's stderr to ours, scrubbed as a stream. A tail that might begin a
 * secret is held back until more output arrives, or for at most a second of silence.
 * While the vault is locked, the child's stderr is withheld (one line says so).
 */
function pipeScrubbedStderr(transport: StdioClientTransport, redactor: DaemonRedactor, log: (m: string) => void): Promise<void> {
  const src = transport.stderr;
  if (!src) return Promise.resolve();
  const stream = new StreamRedactor(redactor);
  let queue: Promise<void> = Promise.resolve();
  let withheld = false;
  let idle: NodeJS.Timeout | undefined;
  const emit = (r: { ok: true; out: Buffer } | Failed) => {
    if (r.ok) {
      withheld = false;
      if (r.out.length > 0) process.stderr.write(r.out);
    } else if (!withheld) {
      withheld = true;
      log(`the child's stderr is withheld: ${r.code}`);
    }
  };
  const flush = () => {
    queue = queue.then(async () => {
      if (stream.pending > 0) emit(await stream.end());
    });
  };
  src.on('data', (d: Buffer) => {
    clearTimeout(idle);
    queue = queue.then(async () => emit(await stream.push(d)));
    idle = setTimeout(flush, 1000);
  });
  return new Promise((resolve) => {
    src.on('end', () => {
      clearTimeout(idle);
      flush();
      void queue.then(() => resolve());
    });
  });
}
