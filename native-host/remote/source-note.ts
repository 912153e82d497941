/** The audit detail suffix naming a remote credential's source (local fills keep their detail as it was). */
import type { DaemonContext } from '../daemon/context.js';

export function sourceNote(ctx: Pick<DaemonContext, 'vault'>, label: string): string {
  const s = ctx.vault.sourceOf(label);
  return s !== undefined && s !== 'local' ? ` source=${s}` : '';
}
