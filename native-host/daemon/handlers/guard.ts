/**
 * `guard` (agent socket only): start the browser tool the owner registered for this agent
 * user (`blindfill agent allow --user NAME --guard NAME -- CMD…`) as the owner, behind
 * `blindfill guard`, on this very connection. The daemon hands the socket to that process
 * (its stdin and stdout) and stops reading it; the owner-side guard answers this request
 * itself once its child is ready, then speaks MCP JSON-RPC on it. The agent user runs only
 * a byte relay (`blindfill guard --socket PATH`); the browser, its profile, the child's
 * work directory and memory are the owner's.
 */
import { spawn } from 'node:child_process';
import { fail, ok } from '../../../shared/errors.js';
import type { Handler } from '../context.js';

export const HANDED_OFF: unique symbol = Symbol('handed off');

/** Guards one agent user may run at once: each is a browser. */
export const MAX_GUARDS_PER_AGENT = 2;

export const guard: Handler<'guard'> = async (req, ctx, meta) => {
  const uid = meta.peer.agentUid;
  if (meta.peer.role !== 'agent' || uid === undefined) return fail('UNTRUSTED_CALLER', 'guard is started through the agent socket by an allowed agent user');
  const spec = ctx.agents.guardOf(uid, req.name);
  const who = meta.peer.describe(meta.caller);
  if (!spec) {
    ctx.audit.append({ event: 'refusal', caller: who, code: 'INVALID_REQUEST', detail: `guard ${req.name}` });
    return fail('INVALID_REQUEST', `no browser tool "${req.name}" is registered for this user (the owner runs: blindfill agent allow --user NAME --guard ${req.name} -- COMMAND…)`);
  }
  if (ctx.agents.openCount(uid, 'guard') >= MAX_GUARDS_PER_AGENT) {
    return fail('RATE_LIMITED', `${MAX_GUARDS_PER_AGENT} guarded browser tools already run for this user; end one first`);
  }
  const id = (req as { id?: unknown }).id;
  const sock = meta.peer.handOff();
  if (!sock) return fail('INTERNAL', 'this connection has no socket to hand off');
  const argv = [ctx.program, 'guard', '--reply-id', JSON.stringify(id ?? 0), ...spec.allow.flatMap((t) => ['--allow-tool', t]), '--', spec.command, ...spec.args];
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(process.execPath, argv, { stdio: [sock, sock, 'inherit'], env: process.env, cwd: ctx.paths.home });
  } catch (e) {
    sock.resume();
    return fail('INTERNAL', `could not start the guard: ${(e as Error).message}`);
  }
  // The child holds its own copy of the socket; ours closes without shutting it down.
  sock.destroy();
  const pid = child.pid;
  if (pid === undefined) return ok(HANDED_OFF);
  ctx.browsers.guardStarted(pid, uid);
  let exited = false;
  const ended: Array<() => void> = [];
  child.once('exit', () => {
    exited = true;
    ctx.browsers.guardEnded(pid);
    for (const cb of ended) cb();
  });
  ctx.agents.track(uid, {
    kind: 'guard',
    close: () => {
      if (!exited) child.kill('SIGTERM');
    },
    onClosed: (cb) => ended.push(cb),
  });
  ctx.audit.append({ event: 'agent', caller: who, detail: `guard ${req.name} started as pid ${pid}` });
  return ok(HANDED_OFF);
};
