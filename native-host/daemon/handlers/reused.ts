/**
 * reused: which credentials share a password, for `blindfill doctor`. Computed here, inside
 * the daemon: each password is hashed with HMAC-SHA256 under a random key made for this one
 * call and dropped after it, so no hash can be compared across calls, stored or brute-forced
 * offline. The answer holds labels only. Refused to the extension (a page-driven settings
 * UI has no need to learn which accounts share a password).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { fail, ok } from '../../../shared/errors.js';
import type { Handler } from '../context.js';

export const reused: Handler<'reused'> = async (_req, ctx, meta) => {
  if (meta.caller === 'extension') {
    ctx.audit.append({ event: 'refusal', caller: meta.caller, code: 'DENIED', detail: 'reused' });
    return fail('DENIED', 'reused is not available to the browser extension');
  }
  const list = ctx.vault.list();
  if (!list.ok) return list;
  const key = randomBytes(32);
  const byHash = new Map<string, string[]>();
  try {
    for (const summary of list.value) {
      if (!summary.has_password) continue;
      const held = ctx.vault.get(summary.label);
      if (!held.ok || !held.value.password || held.value.password.length === 0) continue;
      const digest = createHmac('sha256', key).update(held.value.password).digest('base64');
      const group = byHash.get(digest);
      if (group) group.push(summary.label);
      else byHash.set(digest, [summary.label]);
    }
  } finally {
    key.fill(0);
  }
  const groups = [...byHash.values()].filter((g) => g.length > 1).map((g) => g.sort());
  groups.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
  ctx.autoLock.touch();
  return ok({ groups });
};
