/**
 * duplicates: which of these logins the vault already holds, so `blindfill import` run
 * twice adds nothing twice. A login is the same when its username, password and TOTP seed
 * are equal (each absent on both counts as equal) and it shares an origin with the stored
 * one (or neither has any). Compared here, inside the daemon, by HMAC-SHA256 under a key
 * made for this one call and dropped after it (as `reused` does), so a large import is one
 * pass and no digest outlives the call; the answer holds labels only. Owner only (not in
 * BROWSER_OPS or AGENT_OPS): it would be a password oracle for whoever drives the settings
 * page.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { ok } from '../../../shared/errors.js';
import { normalizeOriginPattern } from '../../../shared/origin.js';
import { parseTotp } from '../../../shared/totp.js';
import type { Handler } from '../context.js';
import type { HeldCredential } from '../secret-credential.js';

type Part = Buffer | string | undefined;

/** One digest over the three values, each length-prefixed so no two tuples collide. */
function identity(key: Buffer, parts: readonly Part[]): string {
  const h = createHmac('sha256', key);
  for (const p of parts) {
    const b = p === undefined || p.length === 0 ? undefined : typeof p === 'string' ? Buffer.from(p, 'utf8') : p;
    const len = Buffer.alloc(5);
    if (b === undefined) len.writeUInt8(0, 0);
    else {
      len.writeUInt8(1, 0);
      len.writeUInt32BE(b.length, 1);
    }
    h.update(len);
    if (b !== undefined) h.update(b);
    if (typeof p === 'string') b?.fill(0);
  }
  return h.digest('base64');
}

export const duplicates: Handler<'duplicates'> = async (req, ctx) => {
  const list = ctx.vault.list();
  if (!list.ok) return list;
  const key = randomBytes(32);
  try {
    const byIdentity = new Map<string, HeldCredential[]>();
    for (const s of list.value) {
      const h = ctx.vault.get(s.label);
      if (!h.ok) continue;
      const id = identity(key, [h.value.username, h.value.password, h.value.totp?.secret]);
      const group = byIdentity.get(id);
      if (group) group.push(h.value);
      else byIdentity.set(id, [h.value]);
    }
    const labels = req.entries.map((e) => {
      let seed: string | undefined;
      if (e.totp !== undefined && e.totp.trim() !== '') {
        const t = parseTotp(e.totp.trim());
        seed = t.ok ? t.value.secret : `invalid:${e.totp}`;
      }
      const same = byIdentity.get(identity(key, [e.username, e.password, seed]));
      if (!same) return null;
      const origins = new Set<string>();
      for (const o of e.origins ?? []) {
        const n = normalizeOriginPattern(o);
        if (n.ok) origins.add(n.value);
      }
      const match = same.find((h) => (origins.size === 0 ? h.origins.length === 0 : h.origins.some((o) => origins.has(o))));
      return match?.label ?? null;
    });
    ctx.autoLock.touch();
    return ok({ labels });
  } finally {
    key.fill(0);
  }
};
