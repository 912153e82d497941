/** doctor's remote check: label clashes (the remote entry is refused), invalid secrets, unreachable or refusing remotes. */
import { RemoteListResultSchema, RemoteStatusResultSchema } from '../../../shared/ipc.js';
import type { Check } from '../../doctor/checks.js';
import type { CliContext } from '../context.js';

export async function remotesCheck(ctx: CliContext): Promise<Check> {
  const listed = await ctx.callRaw({ op: 'remote_list' }, 30_000);
  const st = await ctx.callRaw({ op: 'remote_status' }, 30_000);
  if (!listed.ok || !st.ok) return { id: 'remotes', title: 'remote vaults', status: 'skip', message: listed.ok ? (st.ok ? '' : st.message) : listed.message };
  const { remotes } = RemoteListResultSchema.parse(listed.result);
  const { problems } = RemoteStatusResultSchema.parse(st.result);
  if (remotes.length === 0) return { id: 'remotes', title: 'remote vaults', status: 'ok', message: 'none' };
  if (problems.length === 0) return { id: 'remotes', title: 'remote vaults', status: 'ok', message: `${remotes.map((r) => `${r.name}: ${r.credentials} credentials`).join('; ')}` };
  const clashes = problems.filter((p) => p.kind === 'clash');
  return {
    id: 'remotes',
    title: 'remote vaults',
    status: 'warn',
    message: problems.map((p) => p.message).join('; ').slice(0, 1500),
    fix: clashes.length > 0 ? 'rename the local credential (blindfill rename) or the secret in OpenBao: one label, one source' : 'check the remote\'s address, CA and AppRole (blindfill remote sync NAME)',
  };
}
