/** `blindfill agent allow|revoke --user NAME`, `agent list --json`: who may use the agent socket. */
import { parseArgs } from 'node:util';
import { AgentAllowResultSchema, AgentListResultSchema } from '../../../shared/ipc.js';
import type { CliContext } from '../context.js';
import { die } from '../io.js';

export async function agentCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    options: { user: { type: 'string' }, json: { type: 'boolean' }, guard: { type: 'string' }, 'allow-tool': { type: 'string', multiple: true } },
    allowPositionals: true,
    strict: true,
  });
  if (sub === 'list') {
    const r = AgentListResultSchema.parse(await ctx.call({ op: 'agent_list' }));
    if (values.json) ctx.out(JSON.stringify(r));
    else ctx.out(r.agents.length === 0 ? 'no agent users' : r.agents.map((a) => `${a.user} (since ${a.since})`).join('\n'));
    return;
  }
  if (sub !== 'allow' && sub !== 'revoke') die({ code: 'INVALID_REQUEST', message: 'usage: blindfill agent allow|revoke --user NAME [--guard NAME -- COMMAND...] | agent list --json' });
  if (values.user === undefined) die({ code: 'INVALID_REQUEST', message: `agent ${sub} needs --user NAME` });
  if (sub === 'allow') {
    const [command, ...args] = positionals;
    if ((values.guard === undefined) !== (command === undefined)) die({ code: 'INVALID_REQUEST', message: 'usage: blindfill agent allow --user NAME [--guard NAME [--allow-tool TOOL]... -- COMMAND [ARGS...]]' });
    if (values.guard === undefined && values['allow-tool'] !== undefined) die({ code: 'INVALID_REQUEST', message: '--allow-tool goes with --guard NAME' });
    const guard = values.guard !== undefined && command !== undefined ? { name: values.guard, command, args, allow: values['allow-tool'] ?? [] } : undefined;
    const r = AgentAllowResultSchema.parse(await ctx.call({ op: 'agent_allow', user: values.user, ...(guard ? { guard } : {}) }));
    if (guard) process.stderr.write(`${r.user} may start "${guard.name}" as you, behind blindfill guard: blindfill guard --socket ${r.socket} --name ${guard.name}\n`);
    ctx.out(r.socket);
    process.stderr.write(`${r.user} may now list, fill and type through ${r.socket} (blindfill mcp --socket ${r.socket}); nothing else\n`);
    return;
  }
  await ctx.call({ op: 'agent_revoke', user: values.user });
}
