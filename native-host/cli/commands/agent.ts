/** `blindfill agent allow|revoke --user NAME`, `agent list --json`: who may use the agent socket. */
import { parseArgs } from 'node:util';
import { AgentAllowResultSchema, AgentListResultSchema } from '../../../shared/ipc.js';
import type { CliContext } from '../context.js';
import { die } from '../io.js';

export async function agentCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const { values } = parseArgs({ args: rest, options: { user: { type: 'string' }, json: { type: 'boolean' } }, strict: true });
  if (sub === 'list') {
    const r = AgentListResultSchema.parse(await ctx.call({ op: 'agent_list' }));
    if (values.json) ctx.out(JSON.stringify(r));
    else ctx.out(r.agents.length === 0 ? 'no agent users' : r.agents.map((a) => `${a.user} (since ${a.since})`).join('\n'));
    return;
  }
  if (sub !== 'allow' && sub !== 'revoke') die({ code: 'INVALID_REQUEST', message: 'usage: blindfill agent allow|revoke --user NAME | agent list --json' });
  if (values.user === undefined) die({ code: 'INVALID_REQUEST', message: `agent ${sub} needs --user NAME` });
  if (sub === 'allow') {
    const r = AgentAllowResultSchema.parse(await ctx.call({ op: 'agent_allow', user: values.user }));
    ctx.out(r.socket);
    process.stderr.write(`${r.user} may now list, fill and type through ${r.socket} (blindfill mcp --socket ${r.socket}); nothing else\n`);
    return;
  }
  await ctx.call({ op: 'agent_revoke', user: values.user });
}
