/**
 * fill (fill_credential / fill_totp): probe the active tab without any secret, then send
 * the values only to the documents the probe approved. The one-time code is computed at
 * the moment of the fill.
 */
import type { FieldKind, FillValues } from '../../../shared/browser-protocol.js';
import { fail, type Failure, ok } from '../../../shared/errors.js';
import type { FillCredentialResult } from '../../../shared/ipc.js';
import { totpCode } from '../../../shared/totp.js';
import type { ConnectedBrowser } from '../browsers.js';
import type { CallMeta, DaemonContext, Handler } from '../context.js';
import { gate } from '../gate.js';
import { originHint } from '../origin-hint.js';
import { sourceNote } from '../../remote/source-note.js';
import { type HeldCredential, totpParams } from '../secret-credential.js';

function refuse(ctx: DaemonContext, meta: CallMeta, label: string, f: Failure, target?: string): Failure {
  ctx.audit.append({ event: 'refusal', label, caller: meta.peer.describe(meta.caller), code: f.code, detail: 'fill', ...(target ? { target } : {}) });
  return f;
}

function describeBrowser(b: ConnectedBrowser): string {
  const v = b.verified;
  return `${v.browser} pid ${v.browserPid} host ${v.hostPid} ${v.exe}${v.profile !== undefined ? ` profile ${v.profile}` : ''}`;
}

function wantedKinds(c: HeldCredential, totpOnly: boolean): FieldKind[] {
  if (totpOnly) return c.totp ? ['totp'] : [];
  const kinds: FieldKind[] = [];
  if (c.username && c.username.length > 0) kinds.push('username');
  if (c.password && c.password.length > 0) kinds.push('password');
  return kinds;
}

export const fill: Handler<'fill'> = async (req, ctx, meta) => {
  const found = ctx.vault.get(req.label);
  if (!found.ok) {
    if (found.code !== 'VAULT_LOCKED') return refuse(ctx, meta, req.label, found);
    return found;
  }
  const cred = found.value;
  if (cred.pending) {
    return refuse(ctx, meta, req.label, fail('UNKNOWN_LABEL', `"${req.label}" is a pending sign-up (not accepted by its site yet): the owner confirms it (\`blindfill confirm-password ${req.label}\`) or removes it`));
  }
  const totpOnly = req.totp_only === true;
  if (cred.origins.length === 0) {
    return refuse(ctx, meta, req.label, fail('ORIGIN_MISMATCH', `"${req.label}" has no origins, so it is never filled in a browser`));
  }
  const want = wantedKinds(cred, totpOnly);
  if (want.length === 0) {
    const what = totpOnly ? 'no TOTP seed' : 'no username or password';
    return refuse(ctx, meta, req.label, fail('NO_FILLABLE_FIELD', `"${req.label}" has ${what} to fill`));
  }
  ctx.autoLock.touch();

  // One browser, chosen from verified connections, gets both the probe and the values.
  const browser = await ctx.browsers.pick({
    lineage: () => meta.peer.lineage(),
    profile: req.browser_profile,
    guarded: req.guarded === true,
    agentUid: meta.peer.role === 'agent' ? meta.peer.agentUid : undefined,
    waitMs: ctx.browserWaitMs,
  });
  if ('ok' in browser) return refuse(ctx, meta, req.label, browser);
  const probe = await ctx.browsers.call(browser, { type: 'probe', origins: cred.origins, want }, ctx.browserTimeoutMs);
  if (!probe.ok) {
    const hint = probe.code === 'ORIGIN_MISMATCH' ? originHint(req.label, cred.origins, probe.message) : '';
    return refuse(ctx, meta, req.label, hint === '' ? probe : { ...probe, message: `${probe.message}${hint}` });
  }
  if (!('targets' in probe)) return refuse(ctx, meta, req.label, fail('INTERNAL', 'the browser answered a probe with the wrong message'));

  if (ctx.testFillDelayMs > 0) await new Promise((r) => setTimeout(r, ctx.testFillDelayMs));
  // Rate limit and, for policy confirm, a person's approval — before any value leaves.
  // On the caller's display, as typing is; an agent user's named display is not the owner's.
  const session = meta.peer.role === 'agent' ? undefined : req.session;
  const gated = await gate(ctx, cred, 'fill', probe.origin, undefined, session);
  if (gated) return refuse(ctx, meta, req.label, gated, probe.origin);

  // The credential may have been removed, edited, refreshed from its remote (which zeroes
  // the old Buffers) or the vault locked while we waited: read the values from what the
  // vault holds now, synchronously from here on, and only if it still allows this origin.
  const again = ctx.vault.get(req.label);
  if (!again.ok) return again;
  const current = again.value;
  if (current.origins.join('\n') !== cred.origins.join('\n')) {
    return refuse(ctx, meta, req.label, fail('ORIGIN_MISMATCH', `the origins of "${req.label}" changed during the fill; nothing was filled`), probe.origin);
  }

  const kindsOnPage = new Set(probe.targets.flatMap((t) => t.fields));
  const values: FillValues = {};
  if (kindsOnPage.has('username') && want.includes('username') && current.username) values.username = current.username.toString('utf8');
  if (kindsOnPage.has('password') && want.includes('password') && current.password) values.password = current.password.toString('utf8');
  if (kindsOnPage.has('totp') && want.includes('totp')) {
    const params = totpParams(current);
    if (params) values.totp = totpCode(params, ctx.now());
  }
  if (Object.keys(values).length === 0) {
    return refuse(ctx, meta, req.label, fail('NO_FILLABLE_FIELD', `no field for "${req.label}" on ${probe.origin}`), probe.origin);
  }

  const submit = req.submit === true;
  // The extension answers once it has the outcome: the round trip may take the wait too.
  const outcomeWaitMs = submit ? ctx.outcomeWaitMs : 0;
  const filled = await ctx.browsers.call(
    browser,
    { type: 'fill', tabId: probe.tabId, origins: cred.origins, targets: probe.targets, values, submit, ...(outcomeWaitMs > 0 ? { outcomeWaitMs } : {}) },
    ctx.browserTimeoutMs + outcomeWaitMs,
  );
  if (!filled.ok) return refuse(ctx, meta, req.label, filled, probe.origin);
  if (!('filled' in filled)) return refuse(ctx, meta, req.label, fail('INTERNAL', 'the browser answered a fill with the wrong message'), probe.origin);

  ctx.audit.append({
    event: 'fill',
    label: req.label,
    target: filled.origin,
    caller: meta.peer.describe(meta.caller),
    detail: `${filled.filled.join('+')}${filled.submitted ? ' submitted' : ''}${filled.outcome ? ` outcome ${filled.outcome}` : ''}${sourceNote(ctx, req.label)}`,
    via: describeBrowser(browser),
  });
  const result: FillCredentialResult = {
    ok: true,
    label: req.label,
    origin: filled.origin,
    filled: filled.filled,
    submitted: filled.submitted,
    ...(filled.outcome ? { outcome: filled.outcome } : {}),
  };
  return ok(result);
};
