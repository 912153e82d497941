/** agent_allow, agent_revoke, agent_list: the owner decides which OS users reach the agent socket. */
import { ok } from '../../../shared/errors.js';
import type { AgentListResult } from '../../../shared/ipc.js';
import type { Handler } from '../context.js';

export const agentAllow: Handler<'agent_allow'> = async (req, ctx, meta) => {
  const r = await ctx.agents.allow(req.user, new Date(ctx.now()), req.guard);
  if (r.ok) ctx.audit.append({ event: 'agent', caller: meta.peer.describe(meta.caller), detail: `allow ${req.user}${req.guard ? ` guard ${req.guard.name}` : ''}` });
  return r;
};

export const agentRevoke: Handler<'agent_revoke'> = async (req, ctx, meta) => {
  const r = ctx.agents.revoke(req.user);
  if (r.ok && r.value.revoked) ctx.audit.append({ event: 'agent', caller: meta.peer.describe(meta.caller), detail: `revoke ${req.user}` });
  return r;
};

export const agentList: Handler<'agent_list'> = async (_req, ctx) => {
  const result: AgentListResult = {
    agents: ctx.agents.list().map((a) => ({ user: a.user, since: a.since, ...(a.guards ? { guards: Object.keys(a.guards) } : {}) })),
  };
  return ok(result);
};
