/** init, unlock, lock, status, ping, shutdown, passwd. */
import { fail, ok } from '../../../shared/errors.js';
import type { StatusResult } from '../../../shared/ipc.js';
import { VERSION } from '../../../shared/constants.js';
import type { Handler } from '../context.js';
import { reauthenticate } from '../reauth.js';
import { namesDisplay } from '../../desktop/display-session.js';

function passphraseBuffer(p: string | undefined): Buffer | undefined {
  return p === undefined ? undefined : Buffer.from(p, 'utf8');
}

/** `display`: whether the daemon's own environment names a display (doctor: where approvals fall back to). */
export const ping: Handler<'ping'> = async () => ok({ version: VERSION, pid: process.pid, display: namesDisplay(process.env) });

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
    return ok({ vault_id: r.value.vault_id, key_mode: req.mode, idle_timeout_s: ctx.autoLock.timeoutSeconds });
  } finally {
    pass?.fill(0);
  }
};

export const unlock: Handler<'unlock'> = async (req, ctx, meta) => {
  const st = ctx.vault.status();
  // A keychain vault has no passphrase to check: from the browser a person approves the
  // unlock (or a new idle timeout) on the desktop. Already unlocked with nothing to change, nothing to ask.
  if (st.key_mode === 'keychain' && !(st.vault === 'unlocked' && req.idle_timeout_s === undefined)) {
    const refused = await reauthenticate(ctx, meta, undefined, {
      change: st.vault === 'unlocked' ? 'change how long the vault stays unlocked' : 'unlock the vault',
    });
    if (refused) return refused;
  }
  const pass = passphraseBuffer(req.passphrase);
  try {
    const r = await ctx.vault.unlock(pass);
    if (!r.ok) {
      ctx.audit.append({ event: r.code === 'RATE_LIMITED' ? 'refusal' : 'unlock_failed', caller: meta.caller, code: r.code, detail: 'unlock' });
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

export const passwd: Handler<'passwd'> = async (req, ctx, meta) => {
  // Only the vault owner's terminal changes how the vault is protected.
  if (meta.caller === 'extension') return fail('DENIED', 'the vault passphrase is changed with `blindfill passwd` in a terminal');
  const old = passphraseBuffer(req.passphrase);
  const next = passphraseBuffer(req.new_passphrase);
  try {
    const r = await ctx.vault.changeKey(old, req.to, next);
    if (!r.ok) {
      ctx.audit.append({ event: 'refusal', caller: meta.caller, code: r.code, detail: `passwd to ${req.to}` });
      return r;
    }
    ctx.audit.append({ event: 'passwd', caller: meta.caller, detail: req.to });
    return ok(r.value);
  } finally {
    old?.fill(0);
    next?.fill(0);
  }
};
