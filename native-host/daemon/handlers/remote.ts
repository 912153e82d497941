/** remote_add / list / sync / remove / put / status: remote vaults (CONTRACT §9). Owner only. */
import { fail, ok, type Result } from '../../../shared/errors.js';
import { checkUrl, RemoteConfigSchema } from '../../remote/remote-store.js';
import type { RemoteControl } from '../../remote/attach.js';
import type { DaemonContext, Handler } from '../context.js';

function control(ctx: DaemonContext): Result<RemoteControl> {
  if (!ctx.remotes) return fail('INTERNAL', 'this daemon has no remote support');
  if (!ctx.vault.isUnlocked) return fail('VAULT_LOCKED', 'the vault is locked: run `blindfill unlock`');
  return ok(ctx.remotes);
}

export const remoteAdd: Handler<'remote_add'> = async (req, ctx, meta) => {
  const c = control(ctx);
  if (!c.ok) return c;
  const urls: string[] = [];
  for (const u of req.urls) {
    const r = checkUrl(u);
    if (!r.ok) return r;
    urls.push(r.value);
  }
  const cfg = RemoteConfigSchema.safeParse({
    name: req.name,
    urls,
    mount: req.mount,
    path: req.path,
    role_id: req.role_id,
    secret_id: req.secret_id,
    ...(req.ca !== undefined ? { ca: req.ca } : {}),
  });
  if (!cfg.success) return fail('INVALID_REQUEST', `remote: ${cfg.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const r = await c.value.add(cfg.data);
  if (!r.ok) {
    ctx.audit.append({ event: 'refusal', caller: meta.caller, code: r.code, detail: `remote add ${cfg.data.name}` });
    return r;
  }
  ctx.audit.append({ event: 'add', caller: meta.caller, detail: `remote ${cfg.data.name} ${urls.join(',')}` });
  const info = c.value.manager.info(ctx.vault.localLabels()).find((i) => i.name === cfg.data.name);
  return ok({ added: cfg.data.name, credentials: info?.credentials ?? 0 });
};

export const remoteList: Handler<'remote_list'> = async (_req, ctx) => {
  const c = control(ctx);
  if (!c.ok) return c;
  return ok({ remotes: c.value.manager.info(ctx.vault.localLabels()) });
};

export const remoteSync: Handler<'remote_sync'> = async (req, ctx) => {
  const c = control(ctx);
  if (!c.ok) return c;
  const r = await c.value.manager.refresh(req.name);
  if (!r.ok) return r;
  const info = c.value.manager.info(ctx.vault.localLabels()).find((i) => i.name === req.name);
  return ok(info ?? { name: req.name });
};

export const remoteRemove: Handler<'remote_remove'> = async (req, ctx, meta) => {
  const c = control(ctx);
  if (!c.ok) return c;
  const r = c.value.remove(req.name);
  if (!r.ok) return r;
  ctx.audit.append({ event: 'remove', caller: meta.caller, detail: `remote ${req.name}` });
  return ok({ removed: req.name });
};

export const remotePut: Handler<'remote_put'> = async (req, ctx, meta) => {
  const c = control(ctx);
  if (!c.ok) return c;
  const r = await c.value.manager.put(req.name, req.credential);
  if (!r.ok) {
    ctx.audit.append({ event: 'refusal', label: req.credential.label, caller: meta.caller, code: r.code, detail: `remote put ${req.name}` });
    return r;
  }
  ctx.audit.append({ event: 'add', label: r.value.label, caller: meta.caller, detail: `remote put ${req.name}` });
  return ok({ remote: req.name, label: r.value.label });
};

export const remoteStatus: Handler<'remote_status'> = async (_req, ctx) => {
  if (!ctx.remotes || !ctx.vault.isUnlocked) return ok({ problems: [] });
  return ok({ problems: ctx.remotes.manager.problems(ctx.vault.localLabels()) });
};
