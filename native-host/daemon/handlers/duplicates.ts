/**
 * duplicates: which of these logins the vault already holds, so `blindfill import` run
 * twice adds nothing twice. A login is the same when its username, password and TOTP seed
 * are equal (each absent on both counts as equal) and it shares an origin with the stored
 * one (or neither has any). Values are compared here, inside the daemon, in constant time
 * per pair; the answer holds labels only. Owner only (not in BROWSER_OPS or AGENT_OPS): it
 * would otherwise be a password oracle for whoever drives the settings page.
 */
import { timingSafeEqual } from 'node:crypto';
import { ok } from '../../../shared/errors.js';
import { normalizeOriginPattern } from '../../../shared/origin.js';
import { parseTotp } from '../../../shared/totp.js';
import type { Handler } from '../context.js';
import type { HeldCredential } from '../secret-credential.js';

function sameBytes(a: Buffer | undefined, b: Buffer | undefined): boolean {
  const x = a !== undefined && a.length > 0 ? a : undefined;
  const y = b !== undefined && b.length > 0 ? b : undefined;
  if (x === undefined || y === undefined) return x === y;
  return x.length === y.length && timingSafeEqual(x, y);
}

export const duplicates: Handler<'duplicates'> = async (req, ctx) => {
  const list = ctx.vault.list();
  if (!list.ok) return list;
  const held: HeldCredential[] = [];
  for (const s of list.value) {
    const h = ctx.vault.get(s.label);
    if (h.ok) held.push(h.value);
  }
  const labels = req.entries.map((e) => {
    const origins = new Set<string>();
    for (const o of e.origins ?? []) {
      const n = normalizeOriginPattern(o);
      if (n.ok) origins.add(n.value);
    }
    let seed: Buffer | undefined;
    if (e.totp !== undefined && e.totp.trim() !== '') {
      const t = parseTotp(e.totp.trim());
      if (t.ok) seed = Buffer.from(t.value.secret, 'utf8');
    }
    const username = e.username !== undefined ? Buffer.from(e.username, 'utf8') : undefined;
    const password = e.password !== undefined ? Buffer.from(e.password, 'utf8') : undefined;
    try {
      const match = held.find((h) => {
        const shared = origins.size === 0 ? h.origins.length === 0 : h.origins.some((o) => origins.has(o));
        return shared && sameBytes(h.username, username) && sameBytes(h.password, password) && sameBytes(h.totp?.secret, seed);
      });
      return match?.label ?? null;
    } finally {
      username?.fill(0);
      password?.fill(0);
      seed?.fill(0);
    }
  });
  ctx.autoLock.touch();
  return ok({ labels });
};
