/** init, unlock, lock, status. */
import { parseArgs } from 'node:util';
import { StatusResultSchema } from '../../../shared/ipc.js';
import type { CliContext } from '../context.js';
import { die, parseDuration, prompt, readPassphraseStdin } from '../io.js';

function idleTimeout(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const s = parseDuration(v);
  if (s === null) die({ code: 'INVALID_REQUEST', message: `--idle-timeout "${v}" is not a duration like 90s, 15m, 2h or 1h30m (a plain number is minutes; 1 s to 7 days)` });
  return s;
}

async function readPassphrase(fromStdin: boolean, confirm: boolean): Promise<Buffer> {
  if (fromStdin) return readPassphraseStdin();
  if (!process.stdin.isTTY) die({ code: 'INVALID_REQUEST', message: 'no terminal to ask for the passphrase: pass it with --passphrase-stdin' });
  const a = await prompt('Passphrase: ', true);
  if (confirm) {
    const b = await prompt('Repeat passphrase: ', true);
    if (a !== b) die({ code: 'BAD_PASSPHRASE', message: 'the two passphrases differ' });
  }
  if (a.length === 0) die({ code: 'INVALID_REQUEST', message: 'the passphrase is empty' });
  return Buffer.from(a, 'utf8');
}

/**
 * A new vault passphrase of at least the minimum strength: from stdin (WEAK_PASSPHRASE
 * when too weak), or asked on the terminal until one is strong enough (twice each time).
 */
export async function readNewPassphrase(fromStdin: boolean): Promise<Buffer> {
  for (;;) {
    const pass = await readPassphrase(fromStdin, true);
    const s = await (await import('../passphrase-strength.js')).passphraseStrength(pass);
    if (s.ok) return pass;
    pass.fill(0);
    if (fromStdin || !process.stdin.isTTY) die({ code: 'WEAK_PASSPHRASE', message: `the passphrase is too weak: ${s.reason}` });
    process.stderr.write(`That passphrase is too weak: ${s.reason}. Try a longer one (several unrelated words).\n`);
  }
}

/** "15 min", "90 s", "2 h", "1 h 30 min": what an idle timeout in seconds reads as. */
export function describeSeconds(total: number): string {
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  const parts = [d && `${d} d`, h && `${h} h`, m && `${m} min`, sec && `${sec} s`].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : '0 s';
}

function locksAfter(s: number | undefined): string {
  return s === undefined ? '' : `; locks after ${describeSeconds(s)} idle`;
}

export async function initCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { 'passphrase-stdin': { type: 'boolean' }, keychain: { type: 'boolean' }, 'idle-timeout': { type: 'string' } },
    strict: true,
  });
  if (values.keychain && values['passphrase-stdin']) die({ code: 'INVALID_REQUEST', message: 'choose one of --passphrase-stdin and --keychain' });
  const idle = idleTimeout(values['idle-timeout']);
  if (values.keychain) {
    const r = (await ctx.call({ op: 'init', mode: 'keychain', ...(idle ? { idle_timeout_s: idle } : {}) })) as { vault_id: string; idle_timeout_s?: number };
    ctx.out(`created vault ${r.vault_id} (key in the OS keychain); unlocked${locksAfter(r.idle_timeout_s)}`);
    // The key lives only in the keychain: offer the one way back if that is lost.
    ctx.out('the key exists only in the OS keychain; keep a recovery copy offline: blindfill recovery export --out FILE');
    return;
  }
  // Before asking for a passphrase: is there a vault already?
  const st = StatusResultSchema.parse(await ctx.call({ op: 'status' }));
  if (st.vault !== 'absent') die({ code: 'VAULT_EXISTS', message: `a vault already exists in ${ctx.paths.home}` });
  const pass = await readNewPassphrase(values['passphrase-stdin'] === true);
  try {
    const r = (await ctx.call({ op: 'init', mode: 'passphrase', passphrase: pass.toString('utf8'), ...(idle ? { idle_timeout_s: idle } : {}) }, 120_000)) as {
      vault_id: string;
      idle_timeout_s?: number;
    };
    ctx.out(`created vault ${r.vault_id} (passphrase, scrypt); unlocked${locksAfter(r.idle_timeout_s)}`);
  } finally {
    pass.fill(0);
  }
}

export async function unlockCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { 'passphrase-stdin': { type: 'boolean' }, 'idle-timeout': { type: 'string' } }, strict: true });
  const idle = idleTimeout(values['idle-timeout']);
  const st = StatusResultSchema.parse(await ctx.call({ op: 'status' }));
  if (st.vault === 'absent') die({ code: 'VAULT_ABSENT', message: `no vault in ${ctx.paths.home}: run \`blindfill init\`` });
  let body: Record<string, unknown> = { op: 'unlock', ...(idle ? { idle_timeout_s: idle } : {}) };
  let pass: Buffer | undefined;
  if (st.key_mode !== 'keychain' || values['passphrase-stdin']) {
    pass = await readPassphrase(values['passphrase-stdin'] === true, false);
    body = { ...body, passphrase: pass.toString('utf8') };
  }
  try {
    const r = (await ctx.call(body, 120_000)) as { credentials: number; idle_timeout_s: number };
    ctx.out(`unlocked: ${r.credentials} credential${r.credentials === 1 ? '' : 's'}${locksAfter(r.idle_timeout_s)}`);
  } finally {
    pass?.fill(0);
  }
}

export async function lockCmd(ctx: CliContext, argv: string[]): Promise<void> {
  parseArgs({ args: argv, options: {}, strict: true });
  await ctx.call({ op: 'lock' });
  ctx.out('locked');
}

export async function statusCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' } }, strict: true });
  const st = StatusResultSchema.parse(await ctx.call({ op: 'status' }));
  if (values.json) {
    ctx.out(JSON.stringify(st));
    return;
  }
  const lines = [`vault: ${st.vault}${st.key_mode ? ` (${st.key_mode})` : ''}`, `credentials: ${st.credentials}`];
  if (st.locks_in_s !== undefined) lines.push(`locks in: ${Math.ceil(st.locks_in_s / 60)} min`);
  lines.push(`browsers: ${st.browsers.length === 0 ? 'none connected' : st.browsers.map((b) => `${b.browser} (${b.extension_id})`).join(', ')}`);
  ctx.out(lines.join('\n'));
}
