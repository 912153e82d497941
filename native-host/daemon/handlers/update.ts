/** update and generate: the settings page's edits. Secrets are write-only. */
import { randomBytes } from 'node:crypto';
import { ok } from '../../../shared/errors.js';
import type { Handler } from '../context.js';
import { reauthenticate } from '../reauth.js';
import { generatePassword, type Merged, mergeUpdate } from '../update.js';

/** What a change does, for the re-authentication dialog and the audit log: names only. */
function describeChange(label: string, m: Merged): string {
  const parts: string[] = [];
  if (m.widens) parts.push(`widen where "${label}" may be used`);
  if (m.replaces.length > 0) parts.push(`replace or clear the stored ${m.replaces.join(', ')} of "${label}"`);
  return parts.join(' and ');
}

export const update: Handler<'update'> = async (req, ctx, meta) => {
  const found = ctx.vault.get(req.label);
  if (!found.ok) return found;
  const merged = mergeUpdate(found.value, req.changes);
  if (!merged.ok) return merged;
  if (merged.value.widens || merged.value.replaces.length > 0) {
    // An agent may drive the settings page: these need what it cannot supply.
    const refused = await reauthenticate(ctx, meta, req.passphrase, { label: req.label, change: describeChange(req.label, merged.value) });
    if (refused) return refused;
  }
  const r = ctx.vault.replace(req.label, merged.value.updated);
  if (!r.ok) return r;
  ctx.autoLock.touch();
  ctx.audit.append({ event: 'update', label: req.label, caller: meta.caller, detail: merged.value.fields.join(',') });
  return ok({ updated: req.label, fields: merged.value.fields });
};

export const generate: Handler<'generate'> = async (req, ctx, meta) => {
  const found = ctx.vault.get(req.label);
  if (!found.ok) return found;
  if (found.value.password !== undefined) {
    const refused = await reauthenticate(ctx, meta, req.passphrase, { label: req.label, change: `replace the stored password of "${req.label}" with a generated one` });
    if (refused) return refused;
  }
  // The dialog may have taken a while: take the credential as it is now.
  const now = ctx.vault.get(req.label);
  if (!now.ok) return now;
  const password = generatePassword(req.length ?? 24, randomBytes);
  const r = ctx.vault.replace(req.label, { ...now.value, password });
  if (!r.ok) {
    password.fill(0);
    return r;
  }
  ctx.autoLock.touch();
  ctx.audit.append({ event: 'generate', label: req.label, caller: meta.caller });
  return ok({ label: req.label, generated: true, length: req.length ?? 24 });
};
