/** add, list, remove: the vault's contents. */
import { ok } from '../../../shared/errors.js';
import type { Handler } from '../context.js';

export const add: Handler<'add'> = async (req, ctx, meta) => {
  const r = ctx.vault.add(req.credentials);
  if (!r.ok) {
    ctx.audit.append({ event: 'refusal', caller: meta.caller, code: r.code, detail: 'add' });
    return r;
  }
  ctx.autoLock.touch();
  for (const label of r.value) ctx.audit.append({ event: 'add', label, caller: meta.caller });
  return ok({ added: r.value });
};

export const list: Handler<'list'> = async (_req, ctx) => {
  const r = ctx.vault.list();
  if (!r.ok) return r;
  ctx.autoLock.touch();
  return ok({ credentials: r.value });
};

export const remove: Handler<'remove'> = async (req, ctx, meta) => {
  const r = ctx.vault.remove(req.label);
  if (!r.ok) return r;
  ctx.autoLock.touch();
  ctx.audit.append({ event: 'remove', label: req.label, caller: meta.caller });
  return ok({ removed: req.label });
};

export const auditVerify: Handler<'audit_verify'> = async (_req, ctx) => {
  const r = ctx.audit.verify();
  if (!r.ok) return r;
  return ok({ ok: true, lines: r.value.lines });
};
