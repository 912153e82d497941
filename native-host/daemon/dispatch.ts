/**
 * Validates every incoming request against the protocol schemas and routes it to its
 * handler (one per op). Results become `{ok, result}` or `{ok:false, code, message}`.
 */
import { fail, type Result } from '../../shared/errors.js';
import { type IpcOp, parseClientRequest } from '../../shared/ipc.js';
import { ATTACHMENT, type Connection, type Outgoing } from '../ipc/connection.js';
import type { DaemonContext, Handler } from './context.js';
import { browserHello } from './handlers/browser.js';
import { add, auditVerify, list, remove, rename } from './handlers/credentials.js';
import { fill } from './handlers/fill.js';
import { redact } from './handlers/redact.js';
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
  passwd,
  rename,
};

/** Ops that change the vault or its lock state run one at a time, in arrival order. */
const SERIAL: ReadonlySet<IpcOp> = new Set(['init', 'unlock', 'lock', 'add', 'update', 'generate', 'remove', 'passwd', 'rename']);

export function registerHandler<O extends IpcOp>(op: O, h: Handler<O>): void {
  (handlers as Record<IpcOp, Handler<IpcOp> | null>)[op] = h as unknown as Handler<IpcOp>;
}

export function makeDispatcher(ctx: DaemonContext) {
  let queue: Promise<unknown> = Promise.resolve();
  return async (message: unknown, conn: Connection, attachment?: Buffer): Promise<Outgoing | null> => {
    const parsed = parseClientRequest(message);
    if (!parsed.ok) return { ok: false, code: 'INVALID_REQUEST', message: `invalid request (${parsed.where})` };
    const req = parsed.request;
    const handler = (handlers[req.op] ?? notYet) as Handler<IpcOp>;
    const meta = { caller: req.caller ?? 'cli', conn, attachment } as const;
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
    // A result's raw bytes (its ATTACHMENT key) go after the response line.
    const bytes = typeof result.value === 'object' && result.value !== null ? (result.value as Outgoing)[ATTACHMENT] : undefined;
    return { ok: true, result: result.value, ...(bytes ? { [ATTACHMENT]: bytes } : {}) };
  };
}
