/** init, unlock, lock, status. */
import { parseArgs } from 'node:util';
import { StatusResultSchema } from '../../../shared/ipc.js';
import type { CliContext } from '../context.js';
import { die, parseDuration, prompt, readPassphraseStdin } from '../io.js';

function idleTimeout(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const s = parseDuration(v);
  if (s === null) die({ code: 'INVALID_REQUEST', message: `--idle-timeout "${v}" is not a duration like 30m, 90s, 2h (1 s to 7 days)` });
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

export async function initCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { 'passphrase-stdin': { type: 'boolean' }, keychain: { type: 'boolean' }, 'idle-timeout': { type: 'string' } },
    strict: true,
  });
  if (values.keychain && values['passphrase-stdin']) die({ code: 'INVALID_REQUEST', message: 'choose one of --passphrase-stdin and --keychain' });
  const idle = idleTimeout(values['idle-timeout']);
  if (values.keychain) {
    const r = (await ctx.call({ op: 'init', mode: 'keychain', ...(idle ? { idle_timeout_s: idle } : {}) })) as { vault_id: string };
    ctx.out(`created vault ${r.vault_id} (key in the OS keychain); unlocked`);
    return;
  }
  const pass = await readPassphrase(values['passphrase-stdin'] === true, true);
  try {
    const r = (await ctx.call({ op: 'init', mode: 'passphrase', passphrase: pass.toString('utf8'), ...(idle ? { idle_timeout_s: idle } : {}) }, 120_000)) as {
      vault_id: string;
    };
    ctx.out(`created vault ${r.vault_id} (passphrase, scrypt); unlocked`);
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
    ctx.out(`unlocked: ${r.credentials} credential${r.credentials === 1 ? '' : 's'}; locks after ${Math.round(r.idle_timeout_s / 60)} min idle`);
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
