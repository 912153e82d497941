/**
 * Validates every incoming request against the protocol schemas and routes it to its
 * handler (one per op). Results become `{ok, result}` or `{ok:false, code, message}`.
 */
import { fail, type Result } from '../../shared/errors.js';
import { type IpcOp, parseClientRequest } from '../../shared/ipc.js';
import { ATTACHMENT, type Connection, type Outgoing } from '../ipc/connection.js';
import type { CallMeta, DaemonContext, Handler } from './context.js';
import { mayCall, type PeerState } from './peers.js';
import { agentAllow, agentList, agentRevoke } from './handlers/agents.js';
import { browserHello } from './handlers/browser.js';
import { add, auditVerify, list, remove, rename } from './handlers/credentials.js';
import { duplicates } from './handlers/duplicates.js';
import { fill } from './handlers/fill.js';
import { changePassword, confirmPassword, create, versions } from './handlers/flows.js';
import { guard, HANDED_OFF } from './handlers/guard.js';
import { passkeyArm, passkeyCreate, passkeyGet } from './handlers/passkey.js';
import { redact } from './handlers/redact.js';
import { remoteAdd, remoteList, remotePut, remoteRemove, remoteStatus, remoteSync } from './handlers/remote.js';
import { reused } from './handlers/reused.js';
import { init, lock, passwd, ping, shutdown, status, unlock } from './handlers/session.js';
import { type } from './handlers/type.js';
import { generate, update } from './handlers/update.js';

type Table = { [O in IpcOp]: Handler<O> | null };

const notYet: Handler<IpcOp> = async (req) => fail('INVALID_REQUEST', `${req.op} is not supported by this daemon yet`);

const handlers: Table = {
  ping,
  status,
  init,
  unlock,
  lock,
  add,
  list,
  remove,
  fill,
  type,
  audit_verify: auditVerify,
  redact,
  browser_hello: browserHello,
  shutdown,
  update,
  generate,
  reused,
  agent_allow: agentAllow,
  agent_revoke: agentRevoke,
  agent_list: agentList,
  guard,
  passwd,
  rename,
  create,
  change_password: changePassword,
  versions,
  confirm_password: confirmPassword,
  passkey_arm: passkeyArm,
  passkey_get: passkeyGet,
  passkey_create: passkeyCreate,
  duplicates,
  remote_add: remoteAdd,
  remote_list: remoteList,
  remote_sync: remoteSync,
  remote_remove: remoteRemove,
  remote_put: remotePut,
  remote_status: remoteStatus,
};

/** Ops that change the vault or its lock state run one at a time, in arrival order. */
const SERIAL: ReadonlySet<IpcOp> = new Set(['init', 'unlock', 'lock', 'add', 'update', 'generate', 'remove', 'passwd', 'rename', 'confirm_password', 'passkey_get', 'passkey_create', 'remote_add', 'remote_remove']);

export function registerHandler<O extends IpcOp>(op: O, h: Handler<O>): void {
  (handlers as Record<IpcOp, Handler<IpcOp> | null>)[op] = h as unknown as Handler<IpcOp>;
}

/** The audit name of a caller: its verified role where there is one, else what it declared. */
function callerName(peer: PeerState, declared: 'cli' | 'mcp' | 'extension' | undefined): CallMeta['caller'] {
  if (peer.role === 'browser') return 'extension';
  if (peer.role === 'agent') return 'agent';
  return declared ?? 'cli';
}

export function makeDispatcher(ctx: DaemonContext, peerOf: (conn: Connection) => PeerState) {
  let queue: Promise<unknown> = Promise.resolve();
  return async (message: unknown, conn: Connection, attachment?: Buffer): Promise<Outgoing | null> => {
    const peer = peerOf(conn);
    if (peer.role === 'agent') {
      const who = await peer.authorizeAgent((uid) => ctx.agents.byUid(uid)?.user);
      if (who === null || ctx.agents.byUid(peer.agentUid!) === undefined) {
        ctx.audit.append({ event: 'refusal', caller: 'agent socket', code: 'UNTRUSTED_CALLER', detail: 'user not allowed' });
        setImmediate(() => conn.close());
        return { ok: false, code: 'UNTRUSTED_CALLER', message: 'this OS user is not allowed on the agent socket (`blindfill agent allow --user NAME`)' };
      }
      ctx.agents.track(peer.agentUid!, conn);
    }
    const parsed = parseClientRequest(message);
    if (!parsed.ok) return { ok: false, code: 'INVALID_REQUEST', message: `invalid request (${parsed.where})` };
    const req = parsed.request;
    const meta: CallMeta = { caller: callerName(peer, req.caller), peer, conn, attachment };
    if (!mayCall(peer.role, req.op)) {
      ctx.audit.append({ event: 'refusal', caller: peer.describe(meta.caller), code: 'UNTRUSTED_CALLER', detail: req.op });
      return { ok: false, code: 'UNTRUSTED_CALLER', message: `${req.op} is not available to ${peer.role === 'agent' ? 'an agent' : 'the browser'}` };
    }
    const handler = (handlers[req.op] ?? notYet) as Handler<IpcOp>;
    const run = () => handler(req, ctx, meta);
    let result: Result<unknown>;
    if (SERIAL.has(req.op)) {
      const p = queue.then(run, run);
      queue = p.catch(() => undefined);
      result = await p;
    } else {
      result = await run();
    }
    if (!result.ok) return { ok: false, code: result.code, message: result.message };
    // The connection now belongs to another process, which answers this request itself.
    if (result.value === HANDED_OFF) return null;
    // A result's raw bytes (its ATTACHMENT key) go after the response line.
    const bytes = typeof result.value === 'object' && result.value !== null ? (result.value as Outgoing)[ATTACHMENT] : undefined;
    return { ok: true, result: result.value, ...(bytes ? { [ATTACHMENT]: bytes } : {}) };
  };
}
