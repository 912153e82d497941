/** The audit detail suffix naming a remote credential's source (local fills keep their detail as it was). */
import type { DaemonContext } from '../daemon/context.js';

export function sourceNote(ctx: Pick<DaemonContext, 'vault'>, label: string): string {
  // Unit tests hand handlers a partial vault: no sourceOf means no remotes.
  const vault = ctx.vault as Partial<Pick<DaemonContext['vault'], 'sourceOf'>>;
  const s = typeof vault.sourceOf === 'function' ? vault.sourceOf.call(ctx.vault, label) : undefined;
  return s !== undefined && s !== 'local' ? ` source=${s}` : '';
}
