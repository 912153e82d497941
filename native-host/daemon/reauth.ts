/**
 * Re-authentication for changes asked for from the browser (the settings page, which an
 * agent driving the browser can reach): removing a credential, replacing or clearing a
 * stored value, generating a password over one, widening where a secret may go, and
 * unlocking a keychain vault. A passphrase vault needs the passphrase with the request
 * (checked under the daemon's throttle); a keychain vault has none, so a person approves
 * in an OS dialog the page's automation cannot click. Terminal callers (the vault
 * owner's CLI) need none. Refusals are audited here.
 */
import { fail, type Failure } from '../../shared/errors.js';
import type { CallMeta, DaemonContext } from './context.js';

/** A dialog longer than the extension's call timeout would answer nobody. */
const MAX_DIALOG_MS = 25_000;

export async function reauthenticate(
  ctx: DaemonContext,
  meta: CallMeta,
  passphrase: string | undefined,
  what: { label?: string; change: string },
): Promise<Failure | null> {
  if (meta.caller !== 'extension') return null;
  const refuse = (f: Failure): Failure => {
    ctx.audit.append({ event: 'refusal', caller: meta.caller, code: f.code, detail: `re-authentication: ${what.change}`, ...(what.label ? { label: what.label } : {}) });
    return f;
  };
  if (ctx.vault.keyMode === 'keychain' || (ctx.vault.keyMode === null && ctx.vault.status().key_mode === 'keychain')) {
    const outcome = await ctx.confirmer.ask({ label: what.label ?? '', action: 'settings', target: what.change }, Math.min(ctx.confirmTimeoutMs, MAX_DIALOG_MS));
    switch (outcome) {
      case 'approved':
        return null;
      case 'denied':
        return refuse(fail('DENIED', `a person declined to ${what.change}`));
      case 'timeout':
        return refuse(fail('TIMEOUT', `nobody approved "${what.change}" in time`));
      case 'unavailable':
        return refuse(
          fail('REAUTH_REQUIRED', `to ${what.change} from the browser a person must approve it on the desktop, and there is no desktop to ask on: use \`blindfill edit\`, \`blindfill remove\` or \`blindfill unlock\` in a terminal`),
        );
    }
  }
  if (passphrase === undefined) return refuse(fail('REAUTH_REQUIRED', `to ${what.change} from the browser, the request needs the vault passphrase`));
  const pass = Buffer.from(passphrase, 'utf8');
  try {
    const v = await ctx.vault.verifyPassphrase(pass);
    return v.ok ? null : refuse(v);
  } finally {
    pass.fill(0);
  }
}
