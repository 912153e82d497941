/**
 * Armed passkey ceremonies: one per browser tab, one-shot, with an expiry. An arm is
 * taken (removed) by the first ceremony that reaches the daemon for its tab and kind,
 * whether that ceremony then succeeds or is refused: a refused page cannot retry.
 */
import { fail, type Failure } from '../../shared/errors.js';

export type CeremonyKind = 'get' | 'create';

export interface Arm {
  label: string;
  kind: CeremonyKind;
  /** The verified browser's process id and the tab the extension armed. */
  browserPid: number;
  tabId: number;
  /** The tab's top-level origin at arming. */
  origin: string;
  expiresAt: number;
  /** A person approved this use (policy confirm): the UV flag may be set. */
  verified: boolean;
}

/** How long an arm stays, unless BLINDFILL_PASSKEY_ARM_MS says otherwise (tests). */
export const DEFAULT_ARM_MS = 60_000;

export function armMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.BLINDFILL_PASSKEY_ARM_MS);
  return Number.isInteger(v) && v >= 100 && v <= 600_000 ? v : DEFAULT_ARM_MS;
}

export class PasskeyArms {
  private arms = new Map<string, Arm>();
  /** Arms taken or expired, kept briefly so a late ceremony is told why. */
  private spent = new Map<string, 'used' | 'expired'>();

  private key(browserPid: number, tabId: number, kind: CeremonyKind): string {
    return `${browserPid}:${tabId}:${kind}`;
  }

  arm(a: Arm): void {
    const k = this.key(a.browserPid, a.tabId, a.kind);
    this.arms.set(k, a);
    this.spent.delete(k);
  }

  /** Take the arm for this tab and kind, or say why there is none. */
  take(browserPid: number, tabId: number, kind: CeremonyKind, now: number): Arm | Failure {
    const k = this.key(browserPid, tabId, kind);
    const a = this.arms.get(k);
    if (!a) {
      const why = this.spent.get(k);
      const what = kind === 'get' ? 'use_passkey' : 'create_passkey';
      if (why === 'used') return fail('PASSKEY_NOT_ARMED', `the ${what} arm of this tab was already used: arm it again`);
      if (why === 'expired') return fail('PASSKEY_NOT_ARMED', `the ${what} arm of this tab expired: arm it again`);
      return fail('PASSKEY_NOT_ARMED', `nothing is armed for a passkey ${kind} on this tab (${what} first)`);
    }
    this.arms.delete(k);
    if (now > a.expiresAt) {
      this.spent.set(k, 'expired');
      return fail('PASSKEY_NOT_ARMED', `the arm of "${a.label}" expired before the page asked`);
    }
    this.spent.set(k, 'used');
    return a;
  }

  /** Forget everything (the vault locked). */
  clear(): void {
    this.arms.clear();
  }
}
