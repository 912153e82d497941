/**
 * Account flows (CONTRACT §7): sign up with a generated password (`create`) and rotate a
 * password (`change_password`), the agent never seeing either. The order is what makes
 * them safe to interrupt: the vault is saved with the new password BEFORE any value leaves
 * for the browser, so a crash, kill or refusal after that point loses nothing; only the
 * outcome the page shows moves a password from pending to current.
 *   create: stored bound to the page's origin and marked pending; kept as an ordinary
 *     credential unless the outcome is `rejected` (then it stays pending: listed to the
 *     owner, removable, never offered to agents).
 *   change: the new password is stored beside the current one; promoted (the old kept as
 *     previous) only on `signed_in`; otherwise the old stays current. Both stay until the
 *     owner confirms (`confirm_password`).
 */
import { randomBytes } from 'node:crypto';
import type { FieldKind, FillResult, FillValues, ProbeResult } from '../../../shared/browser-protocol.js';
import { fail, type Failure, ok, type Result } from '../../../shared/errors.js';
import type { FillCredentialResult, VersionsResult } from '../../../shared/ipc.js';
import { normalizeOriginPattern } from '../../../shared/origin.js';
import type { Outcome } from '../../../shared/outcome.js';
import type { ConnectedBrowser } from '../browsers.js';
import type { CallMeta, DaemonContext, Handler } from '../context.js';
import { gate } from '../gate.js';
import { generateForSite, type GenerateOptions } from '../password-rules.js';
import type { HeldCredential } from '../secret-credential.js';

function refuse(ctx: DaemonContext, meta: CallMeta, label: string, what: string, f: Failure, target?: string): Failure {
  ctx.audit.append({ event: 'refusal', label, caller: meta.peer.describe(meta.caller), code: f.code, detail: what, ...(target ? { target } : {}) });
  return f;
}

function describeBrowser(b: ConnectedBrowser): string {
  const v = b.verified;
  return `${v.browser} pid ${v.browserPid} host ${v.hostPid} ${v.exe}${v.profile !== undefined ? ` profile ${v.profile}` : ''}`;
}

function options(req: { length?: number | undefined; classes?: GenerateOptions['classes'] | undefined }): GenerateOptions {
  return { ...(req.length !== undefined ? { length: req.length } : {}), ...(req.classes !== undefined ? { classes: req.classes } : {}) };
}

/** After a submit the extension watches the page for the outcome: the round trip takes that wait too. */
function waitFor(ctx: DaemonContext, submit: boolean | undefined): { outcomeWaitMs?: number } {
  return submit === true && ctx.outcomeWaitMs > 0 ? { outcomeWaitMs: ctx.outcomeWaitMs } : {};
}

/** The page's answer after a submit; absent (an extension that does not watch) is `unknown`. */
function outcomeOf(filled: FillResult): Outcome | undefined {
  if (!filled.submitted) return undefined;
  return filled.outcome ?? 'unknown';
}

async function probeFor(
  ctx: DaemonContext,
  meta: CallMeta,
  browserProfile: string | undefined,
  probe: { origins: string[]; want: FieldKind[]; flow: 'create' | 'change' },
): Promise<Result<{ browser: ConnectedBrowser; probe: ProbeResult }>> {
  const browser = await ctx.browsers.pick({ lineage: () => meta.peer.lineage(), profile: browserProfile, waitMs: ctx.browserWaitMs });
  if ('ok' in browser) return browser;
  const answer = await ctx.browsers.call(browser, { type: 'probe', ...probe }, ctx.browserTimeoutMs);
  if (!answer.ok) return answer;
  if (!('targets' in answer)) return fail('INTERNAL', 'the browser answered a probe with the wrong message');
  if (!answer.targets.some((t) => t.fields.includes('new_password'))) return fail('NO_FILLABLE_FIELD', `no form that sets a new password on ${answer.origin}`);
  return ok({ browser, probe: answer });
}

export const create: Handler<'create'> = async (req, ctx, meta) => {
  const existing = ctx.vault.get(req.label);
  if (existing.ok) return refuse(ctx, meta, req.label, 'create', fail('DUPLICATE_LABEL', `a credential labelled "${req.label}" already exists`));
  if (existing.code !== 'UNKNOWN_LABEL') return existing;
  ctx.autoLock.touch();
  if (!ctx.rateLimiter.take(req.label, ctx.now())) return refuse(ctx, meta, req.label, 'create', fail('RATE_LIMITED', `"${req.label}" was used too often in the last minute; try again shortly`));

  const want: FieldKind[] = req.username !== undefined ? ['username', 'new_password'] : ['new_password'];
  const found = await probeFor(ctx, meta, req.browser_profile, { origins: [], want, flow: 'create' });
  if (!found.ok) return refuse(ctx, meta, req.label, 'create', found);
  const { browser, probe } = found.value;
  const origin = normalizeOriginPattern(probe.origin);
  if (!origin.ok) return refuse(ctx, meta, req.label, 'create', fail(origin.code, origin.message), probe.origin);

  const generated = generateForSite(probe.hints ?? {}, options(req), randomBytes);
  if (!generated.ok) return refuse(ctx, meta, req.label, 'create', generated, probe.origin);
  const password = generated.value;
  const held: HeldCredential = { label: req.label, password, origins: [origin.value], windows: [], policy: 'auto', pending: true };
  if (req.username !== undefined) held.username = Buffer.from(req.username, 'utf8');
  // Durable before any value leaves: a kill from here on loses nothing.
  const stored = ctx.vault.insert(held);
  if (!stored.ok) {
    password.fill(0);
    held.username?.fill(0);
    return refuse(ctx, meta, req.label, 'create', stored, probe.origin);
  }
  ctx.audit.append({ event: 'add', label: req.label, target: origin.value, caller: meta.peer.describe(meta.caller), detail: 'sign-up: generated password, pending' });

  const onPage = new Set(probe.targets.flatMap((t) => t.fields));
  const values: FillValues = { new_password: password.toString('utf8') };
  if (req.username !== undefined && onPage.has('username')) values.username = req.username;
  const filled = await ctx.browsers.call(
    browser,
    { type: 'fill', tabId: probe.tabId, origins: [origin.value], targets: probe.targets, values, submit: req.submit === true, flow: 'create', ...waitFor(ctx, req.submit) },
    ctx.browserTimeoutMs + (waitFor(ctx, req.submit).outcomeWaitMs ?? 0),
  );
  if (!filled.ok) return refuse(ctx, meta, req.label, 'create (the credential stays pending)', filled, probe.origin);
  if (!('filled' in filled)) return refuse(ctx, meta, req.label, 'create', fail('INTERNAL', 'the browser answered a fill with the wrong message'), probe.origin);
  if (!filled.filled.includes('new_password')) {
    return refuse(ctx, meta, req.label, 'create (the credential stays pending)', fail('NO_FILLABLE_FIELD', `the new-password fields on ${filled.origin} did not take the password`), probe.origin);
  }
  const outcome = outcomeOf(filled);
  ctx.audit.append({
    event: 'fill',
    label: req.label,
    target: filled.origin,
    caller: meta.peer.describe(meta.caller),
    detail: `sign-up ${filled.filled.join('+')}${filled.submitted ? ' submitted' : ''}${outcome ? ` outcome ${outcome}` : ''}`,
    via: describeBrowser(browser),
  });
  if (outcome !== 'rejected') {
    const now = ctx.vault.get(req.label);
    if (now.ok && now.value.pending) {
      const { pending: _p, ...kept } = now.value;
      const saved = ctx.vault.replace(req.label, kept);
      if (saved.ok) ctx.audit.append({ event: 'update', label: req.label, caller: meta.peer.describe(meta.caller), detail: `sign-up ${outcome ?? 'not submitted'}: kept` });
    }
  }
  // The new credential's password is what went into the form's new-password fields.
  const kinds = filled.filled.map((k) => (k === 'new_password' ? 'password' : k)).filter((k, i, a) => a.indexOf(k) === i);
  const result: FillCredentialResult = { ok: true, label: req.label, origin: filled.origin, filled: kinds, submitted: filled.submitted, ...(outcome ? { outcome } : {}) };
  return ok(result);
};

export const changePassword: Handler<'change_password'> = async (req, ctx, meta) => {
  const found = ctx.vault.get(req.label);
  if (!found.ok) return found.code === 'VAULT_LOCKED' ? found : refuse(ctx, meta, req.label, 'change_password', found);
  const cred = found.value;
  if (cred.pending) return refuse(ctx, meta, req.label, 'change_password', fail('UNKNOWN_LABEL', `"${req.label}" is a pending sign-up: the owner confirms or removes it first`));
  if (cred.newPassword) {
    return refuse(ctx, meta, req.label, 'change_password', fail('INVALID_REQUEST', `a changed password of "${req.label}" awaits confirmation: the owner runs \`blindfill confirm-password ${req.label}\` first`));
  }
  if (!cred.password || cred.password.length === 0) return refuse(ctx, meta, req.label, 'change_password', fail('NO_FILLABLE_FIELD', `"${req.label}" has no password to change`));
  if (cred.origins.length === 0) return refuse(ctx, meta, req.label, 'change_password', fail('ORIGIN_MISMATCH', `"${req.label}" has no origins, so it is never filled in a browser`));
  ctx.autoLock.touch();

  const probed = await probeFor(ctx, meta, req.browser_profile, { origins: cred.origins, want: ['password', 'new_password'], flow: 'change' });
  if (!probed.ok) return refuse(ctx, meta, req.label, 'change_password', probed);
  const { browser, probe } = probed.value;
  if (!probe.targets.some((t) => t.fields.includes('password'))) {
    return refuse(ctx, meta, req.label, 'change_password', fail('NO_FILLABLE_FIELD', `no current-password field beside the new one on ${probe.origin}`), probe.origin);
  }
  const gated = await gate(ctx, cred, 'fill', probe.origin);
  if (gated) return refuse(ctx, meta, req.label, 'change_password', gated, probe.origin);

  const generated = generateForSite(probe.hints ?? {}, options(req), randomBytes);
  if (!generated.ok) return refuse(ctx, meta, req.label, 'change_password', generated, probe.origin);
  const fresh = generated.value;
  // Taken as it is now (the approval may have taken a while); durable before the fill.
  const now = ctx.vault.get(req.label);
  if (!now.ok || !now.value.password || now.value.newPassword || now.value.pending) {
    fresh.fill(0);
    return now.ok ? fail('INVALID_REQUEST', `"${req.label}" changed while the page was checked; nothing was filled`) : now;
  }
  const current = now.value.password;
  const staged = ctx.vault.replace(req.label, { ...now.value, newPassword: fresh });
  if (!staged.ok) {
    fresh.fill(0);
    return refuse(ctx, meta, req.label, 'change_password', staged, probe.origin);
  }
  ctx.audit.append({ event: 'update', label: req.label, caller: meta.peer.describe(meta.caller), detail: 'password change: new password generated, pending' });

  const filled = await ctx.browsers.call(
    browser,
    {
      type: 'fill',
      tabId: probe.tabId,
      origins: now.value.origins,
      targets: probe.targets,
      values: { password: current.toString('utf8'), new_password: fresh.toString('utf8') },
      submit: req.submit === true,
      flow: 'change',
      ...waitFor(ctx, req.submit),
    },
    ctx.browserTimeoutMs + (waitFor(ctx, req.submit).outcomeWaitMs ?? 0),
  );
  if (!filled.ok) return refuse(ctx, meta, req.label, 'change_password (the current password stays)', filled, probe.origin);
  if (!('filled' in filled)) return refuse(ctx, meta, req.label, 'change_password', fail('INTERNAL', 'the browser answered a fill with the wrong message'), probe.origin);
  if (!filled.filled.includes('new_password') || !filled.filled.includes('password')) {
    return refuse(ctx, meta, req.label, 'change_password (the current password stays)', fail('NO_FILLABLE_FIELD', `the change-password form on ${filled.origin} did not take both passwords`), probe.origin);
  }
  const outcome = outcomeOf(filled);
  ctx.audit.append({
    event: 'fill',
    label: req.label,
    target: filled.origin,
    caller: meta.peer.describe(meta.caller),
    detail: `password change ${filled.filled.join('+')}${filled.submitted ? ' submitted' : ''}${outcome ? ` outcome ${outcome}` : ''}`,
    via: describeBrowser(browser),
  });
  if (outcome === 'signed_in') {
    const latest = ctx.vault.get(req.label);
    if (latest.ok && latest.value.newPassword) {
      const { newPassword, ...rest } = latest.value;
      const promoted = ctx.vault.replace(req.label, { ...rest, password: newPassword, ...(latest.value.password ? { previousPassword: latest.value.password } : {}) });
      if (promoted.ok) ctx.audit.append({ event: 'update', label: req.label, caller: meta.peer.describe(meta.caller), detail: 'password change confirmed by the page: new password current, previous kept' });
    }
  }
  const result: FillCredentialResult = { ok: true, label: req.label, origin: filled.origin, filled: filled.filled, submitted: filled.submitted, ...(outcome ? { outcome } : {}) };
  return ok(result);
};

export const versions: Handler<'versions'> = async (req, ctx) => {
  const found = ctx.vault.get(req.label);
  if (!found.ok) return found;
  const c = found.value;
  const r: VersionsResult = {
    label: req.label,
    ...(c.pending ? { pending: 'created' as const } : c.newPassword ? { pending: 'new_password' as const } : {}),
    versions: { current: (c.password?.length ?? 0) > 0, new: c.newPassword !== undefined, previous: c.previousPassword !== undefined },
  };
  return ok(r);
};

export const confirmPassword: Handler<'confirm_password'> = async (req, ctx, meta) => {
  const found = ctx.vault.get(req.label);
  if (!found.ok) return found;
  const c = found.value;
  const keep = req.keep ?? 'current';
  const chosen = keep === 'current' ? c.password : keep === 'new' ? c.newPassword : c.previousPassword;
  if (!chosen) return fail('INVALID_REQUEST', `"${req.label}" has no ${keep} password`);
  if (!c.pending && !c.newPassword && !c.previousPassword) return fail('INVALID_REQUEST', `"${req.label}" has nothing to confirm`);
  const { pending: _p, newPassword: _n, previousPassword: _v, ...rest } = c;
  const r = ctx.vault.replace(req.label, { ...rest, password: chosen });
  if (!r.ok) return r;
  ctx.autoLock.touch();
  ctx.audit.append({ event: 'update', label: req.label, caller: meta.caller, detail: `confirmed: ${keep} password kept, other versions dropped` });
  return ok({ label: req.label, kept: keep });
};
