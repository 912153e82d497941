/** add, list, remove: the vault's contents (list's origin filter and paging: ../list-view.ts). */
import type { OwnerCredentialSummary } from '../../../shared/credential.js';
import { fail, ok, type Result } from '../../../shared/errors.js';
import { LIST_ACTIVE_TAB } from '../../../shared/ipc.js';
import type { CallMeta, DaemonContext, Handler } from '../context.js';
import { filterOrigin, mayFillOn, pageOf } from '../list-view.js';
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
  let all = agent ? r.value.filter((c) => c.pending !== 'created') : r.value;
  let origin: string | undefined;
  if (req.origin !== undefined) {
    const o = req.origin === LIST_ACTIVE_TAB ? await activeOrigin(ctx, meta) : filterOrigin(req.origin);
    if (!o.ok) return o;
    origin = o.value;
    all = mayFillOn(all, origin);
  }
  if (req.usernames === true) {
    all = all.map((c): OwnerCredentialSummary => {
      const held = ctx.vault.get(c.label);
      const u = held.ok ? held.value.username : undefined;
      return u !== undefined && u.length > 0 ? { ...c, username: u.toString('utf8') } : c;
    });
  }
  const page = pageOf(all, req.after, req.max_bytes);
  return ok({ ...page, ...(origin !== undefined ? { origin } : {}) });
};

/** The origin of the active tab of the browser this caller's fill would go to. */
async function activeOrigin(ctx: DaemonContext, meta: CallMeta): Promise<Result<string>> {
  const browser = await ctx.browsers.pick({ lineage: () => meta.peer.lineage(), profile: undefined, waitMs: ctx.browserWaitMs });
  if ('ok' in browser) return browser;
  const res = await ctx.browsers.call(browser, { type: 'active_origin' }, ctx.browserTimeoutMs);
  if (!res.ok) return res;
  if (!('active_origin' in res)) return fail('INTERNAL', 'the browser answered an active-tab question with the wrong message');
  return filterOrigin(res.active_origin);
}

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
