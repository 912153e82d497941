/** add, list, remove: the vault's contents. */
import type { OwnerCredentialSummary } from '../../../shared/credential.js';
import { fail, ok } from '../../../shared/errors.js';
import type { Handler } from '../context.js';
import { usernamesRefusal } from '../owner-view.js';
import { reauthenticate } from '../reauth.js';
import { passkeyKeyError } from './passkey.js';

export const add: Handler<'add'> = async (req, ctx, meta) => {
  for (const c of req.credentials) {
    const bad = c.passkey ? passkeyKeyError(c.label, c.passkey.private_key) : null;
    if (bad) {
      ctx.audit.append({ event: 'refusal', caller: meta.caller, code: bad.code, detail: 'add' });
      return bad;
    }
  }
  const r = ctx.vault.add(req.credentials);
  if (!r.ok) {
    ctx.audit.append({ event: 'refusal', caller: meta.caller, code: r.code, detail: 'add' });
    return r;
  }
  ctx.autoLock.touch();
  for (const label of r.value) ctx.audit.append({ event: 'add', label, caller: meta.caller });
  return ok({ added: r.value });
};

export const list: Handler<'list'> = async (req, ctx, meta) => {
  if (req.usernames === true) {
    const refused = await usernamesRefusal(meta);
    if (refused !== null) {
      ctx.audit.append({ event: 'refusal', caller: meta.peer.describe(meta.caller), code: 'UNTRUSTED_CALLER', detail: 'list usernames' });
      return fail('UNTRUSTED_CALLER', refused);
    }
  }
  const r = ctx.vault.list();
  if (!r.ok) return r;
  ctx.autoLock.touch();
  // A sign-up the site did not accept is the owner's to confirm or remove: never offered to agents.
  const agent = meta.peer.role === 'agent' || meta.caller === 'mcp';
  const shown = agent ? r.value.filter((c) => c.pending !== 'created') : r.value;
  if (req.usernames !== true) return ok({ credentials: shown });
  const withNames = shown.map((c): OwnerCredentialSummary => {
    const held = ctx.vault.get(c.label);
    const u = held.ok ? held.value.username : undefined;
    return u !== undefined && u.length > 0 ? { ...c, username: u.toString('utf8') } : c;
  });
  return ok({ credentials: withNames });
};

export const remove: Handler<'remove'> = async (req, ctx, meta) => {
  const found = ctx.vault.get(req.label);
  if (!found.ok) return found;
  const refused = await reauthenticate(ctx, meta, req.passphrase, { label: req.label, change: `remove the credential "${req.label}"` });
  if (refused) return refused;
  const r = ctx.vault.remove(req.label);
  if (!r.ok) return r;
  ctx.autoLock.touch();
  ctx.audit.append({ event: 'remove', label: req.label, caller: meta.caller });
  return ok({ removed: req.label });
};

export const rename: Handler<'rename'> = async (req, ctx, meta) => {
  if (meta.caller === 'extension') return fail('DENIED', 'rename is a terminal command: `blindfill rename OLD NEW`');
  const r = ctx.vault.rename(req.label, req.new_label);
  if (!r.ok) return r;
  ctx.autoLock.touch();
  ctx.audit.append({ event: 'update', label: req.new_label, caller: meta.caller, detail: `renamed from ${req.label}` });
  return ok({ renamed: req.label, label: req.new_label });
};

export const auditVerify: Handler<'audit_verify'> = async (_req, ctx) => {
  const r = ctx.audit.verify();
  if (!r.ok) return r;
  return ok({ ok: true, lines: r.value.lines });
};
