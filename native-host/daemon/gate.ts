/**
 * What every use of a secret passes before a value leaves the daemon: the per-credential
 * rate limit, then, for policy `confirm`, a person's approval in an OS dialog.
 * Refusals are audited by the caller.
 */
import { fail, type Failure } from '../../shared/errors.js';
import type { DisplaySession } from '../../shared/ipc.js';
import type { DaemonContext } from './context.js';
import type { HeldCredential } from './secret-credential.js';

/** `session`: the caller's display, where the approval is asked (undefined: the daemon's own). */
export async function gate(
  ctx: DaemonContext,
  cred: HeldCredential,
  action: 'fill' | 'type' | 'passkey',
  target: string,
  program?: string,
  session?: DisplaySession,
): Promise<Failure | null> {
  if (!ctx.rateLimiter.take(cred.label, ctx.now())) {
    return fail('RATE_LIMITED', `"${cred.label}" was used too often in the last minute; try again shortly`);
  }
  if (cred.policy !== 'confirm') return null;
  const outcome = await ctx.confirmer.ask({ label: cred.label, action, target, ...(program !== undefined ? { program } : {}) }, ctx.confirmTimeoutMs, session);
  switch (outcome) {
    case 'approved':
      return null;
    case 'denied':
      return fail('DENIED', action === 'passkey' ? `a person declined the passkey of "${cred.label}" on ${target}` : `a person declined to ${action} "${cred.label}" into ${target}`);
    case 'timeout':
      return fail('TIMEOUT', `nobody approved "${cred.label}" within ${Math.round(ctx.confirmTimeoutMs / 1000)} s`);
    case 'unavailable':
      return fail('DENIED', `"${cred.label}" needs a person's approval, and there is no desktop to ask on (no display reachable, or no dialog program: see blindfill doctor)`);
  }
}
