/** init, unlock, lock, status, ping, shutdown. */
import { ok } from '../../../shared/errors.js';
import type { StatusResult } from '../../../shared/ipc.js';
import { VERSION } from '../../../shared/constants.js';
import type { Handler } from '../context.js';

function passphraseBuffer(p: string | undefined): Buffer | undefined {
  return p === undefined ? undefined : Buffer.from(p, 'utf8');
}

export const ping: Handler<'ping'> = async () => ok({ version: VERSION, pid: process.pid });

export const status: Handler<'status'> = async (_req, ctx) => {
  const s = ctx.vault.status();
  const result: StatusResult = { vault: s.vault, credentials: s.credentials, browsers: ctx.browsers.list() };
  if (s.key_mode) result.key_mode = s.key_mode;
  if (s.vault === 'unlocked') {
    result.idle_timeout_s = ctx.autoLock.timeoutSeconds;
    const r = ctx.autoLock.remainingSeconds();
    if (r !== undefined) result.locks_in_s = r;
  }
  return ok(result);
};

export const init: Handler<'init'> = async (req, ctx, meta) => {
  const pass = passphraseBuffer(req.passphrase);
  try {
    const r = await ctx.vault.init(req.mode, pass);
    if (!r.ok) return r;
    if (req.idle_timeout_s !== undefined) ctx.autoLock.setTimeoutSeconds(req.idle_timeout_s);
    ctx.autoLock.touch();
    ctx.audit.append({ event: 'init', caller: meta.caller, detail: req.mode });
    return ok({ vault_id: r.value.vault_id, key_mode: req.mode });
  } finally {
    pass?.fill(0);
  }
};

export const unlock: Handler<'unlock'> = async (req, ctx, meta) => {
  const pass = passphraseBuffer(req.passphrase);
  try {
    const r = await ctx.vault.unlock(pass);
    if (!r.ok) {
      ctx.audit.append({ event: 'unlock_failed', caller: meta.caller, code: r.code });
      return r;
    }
    if (req.idle_timeout_s !== undefined) ctx.autoLock.setTimeoutSeconds(req.idle_timeout_s);
    ctx.autoLock.touch();
    ctx.audit.append({ event: 'unlock', caller: meta.caller });
    return ok({ credentials: r.value.credentials, idle_timeout_s: ctx.autoLock.timeoutSeconds });
  } finally {
    pass?.fill(0);
  }
};

export const lock: Handler<'lock'> = async (_req, ctx, meta) => {
  const was = ctx.vault.isUnlocked;
  ctx.vault.lock();
  if (was) ctx.audit.append({ event: 'lock', caller: meta.caller });
  return ok({ locked: true });
};

export const shutdown: Handler<'shutdown'> = async (_req, ctx, meta) => {
  if (meta.caller === 'extension') return ok({ stopping: false });
  ctx.vault.lock();
  ctx.requestShutdown();
  return ok({ stopping: true });
};
