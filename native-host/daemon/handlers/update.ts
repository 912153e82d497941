/** update and generate: the settings page's edits. Secrets are write-only. */
import { randomBytes } from 'node:crypto';
import { fail, ok } from '../../../shared/errors.js';
import type { Handler } from '../context.js';
import { generatePassword, mergeUpdate } from '../update.js';

export const update: Handler<'update'> = async (req, ctx, meta) => {
  const found = ctx.vault.get(req.label);
  if (!found.ok) return found;
  const merged = mergeUpdate(found.value, req.changes);
  if (!merged.ok) return merged;
  if (merged.value.widens && meta.caller === 'extension') {
    // An agent may drive the settings page: widening needs what it cannot supply.
    if (ctx.vault.keyMode === 'keychain') {
      return refuse('DENIED', 'widening where a secret may go needs a confirmation outside the browser: use `blindfill` in a terminal');
    }
    if (req.passphrase === undefined) return refuse('DENIED', 'widening where a secret may go needs the vault passphrase');
    const pass = Buffer.from(req.passphrase, 'utf8');
    const good = await ctx.vault.verifyPassphrase(pass);
    pass.fill(0);
    if (!good) return refuse('BAD_PASSPHRASE', 'wrong passphrase: nothing changed');
  }
  const r = ctx.vault.replace(req.label, merged.value.updated);
  if (!r.ok) return r;
  ctx.autoLock.touch();
  ctx.audit.append({ event: 'update', label: req.label, caller: meta.caller, detail: merged.value.fields.join(',') });
  return ok({ updated: req.label, fields: merged.value.fields });

  function refuse(code: 'DENIED' | 'BAD_PASSPHRASE', message: string) {
    ctx.audit.append({ event: 'refusal', label: req.label, caller: meta.caller, code, detail: 'update widens' });
    return fail(code, message);
  }
};

export const generate: Handler<'generate'> = async (req, ctx, meta) => {
  const found = ctx.vault.get(req.label);
  if (!found.ok) return found;
  const password = generatePassword(req.length ?? 24, randomBytes);
  const r = ctx.vault.replace(req.label, { ...found.value, password });
  if (!r.ok) {
    password.fill(0);
    return r;
  }
  ctx.autoLock.touch();
  ctx.audit.append({ event: 'generate', label: req.label, caller: meta.caller });
  return ok({ label: req.label, generated: true, length: req.length ?? 24 });
};
