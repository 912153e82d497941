/** passwd: change the vault passphrase, or move the key to or from the OS keychain. */
import { parseArgs } from 'node:util';
import { StatusResultSchema } from '../../../shared/ipc.js';
import type { CliContext } from '../context.js';
import { die, prompt, readStdin } from '../io.js';

/** Up to `n` lines of stdin (a passphrase a line; CR LF tolerated). */
async function stdinLines(n: number): Promise<Buffer[]> {
  const all = await readStdin(64 * 1024);
  const out: Buffer[] = [];
  let at = 0;
  for (let i = 0; i < n && at < all.length; i++) {
    let end = all.indexOf(0x0a, at);
    if (end === -1) end = all.length;
    let stop = end;
    if (stop > at && all[stop - 1] === 0x0d) stop -= 1;
    const line = Buffer.alloc(stop - at);
    all.copy(line, 0, at, stop);
    out.push(line);
    at = end + 1;
  }
  all.fill(0);
  return out;
}

async function ask(question: string): Promise<Buffer> {
  const a = await prompt(question, true);
  if (a.length === 0) die({ code: 'INVALID_REQUEST', message: 'the passphrase is empty' });
  return Buffer.from(a, 'utf8');
}

/** The new passphrase, twice; asked again while it is below the minimum strength. */
async function askNew(): Promise<Buffer> {
  for (;;) {
    const a = await ask('New passphrase: ');
    const b = await ask('Repeat new passphrase: ');
    if (!a.equals(b)) die({ code: 'BAD_PASSPHRASE', message: 'the two new passphrases differ' });
    b.fill(0);
    const s = await (await import('../passphrase-strength.js')).passphraseStrength(a);
    if (s.ok) return a;
    a.fill(0);
    process.stderr.write(`That passphrase is too weak: ${s.reason}. Try a longer one (several unrelated words).\n`);
  }
}

export async function passwdCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { 'to-keychain': { type: 'boolean' }, 'to-passphrase': { type: 'boolean' } }, strict: true });
  if (values['to-keychain'] && values['to-passphrase']) die({ code: 'INVALID_REQUEST', message: 'choose one of --to-keychain and --to-passphrase' });
  const st = StatusResultSchema.parse(await ctx.call({ op: 'status' }));
  if (st.vault === 'absent') die({ code: 'VAULT_ABSENT', message: `no vault in ${ctx.paths.home}: run \`blindfill init\`` });
  const keychain = st.key_mode === 'keychain';
  const to = values['to-keychain'] ? 'keychain' : 'passphrase';
  if (keychain && to === 'keychain') die({ code: 'INVALID_REQUEST', message: 'the vault key is already in the OS keychain' });
  if (keychain && !values['to-passphrase']) {
    die({ code: 'INVALID_REQUEST', message: 'the vault key is in the OS keychain: use `blindfill passwd --to-passphrase` (the new passphrase on stdin)' });
  }
  if (!keychain && values['to-passphrase']) die({ code: 'INVALID_REQUEST', message: 'the vault already has a passphrase: `blindfill passwd` takes the old then the new one on stdin' });
  // What to read: the current passphrase unless the key is in the keychain, the new one unless it goes there.
  const needOld = !keychain;
  const needNew = to === 'passphrase';
  let old: Buffer | undefined;
  let next: Buffer | undefined;
  if (process.stdin.isTTY) {
    if (needOld) old = await ask('Current passphrase: ');
    if (needNew) next = await askNew();
  } else {
    const lines = await stdinLines((needOld ? 1 : 0) + (needNew ? 1 : 0));
    if (needOld) old = lines.shift();
    if (needNew) next = lines.shift();
    const what = needOld && needNew ? 'the current passphrase, then the new one, a line each' : needOld ? 'the current passphrase' : 'the new passphrase';
    if ((needOld && !old?.length) || (needNew && !next?.length)) die({ code: 'INVALID_REQUEST', message: `stdin must hold ${what}` });
    if (next !== undefined) {
      const s = await (await import('../passphrase-strength.js')).passphraseStrength(next);
      if (!s.ok) {
        next.fill(0);
        old?.fill(0);
        die({ code: 'WEAK_PASSPHRASE', message: `the new passphrase is too weak: ${s.reason}` });
      }
    }
  }
  try {
    await ctx.call(
      { op: 'passwd', to, ...(old ? { passphrase: old.toString('utf8') } : {}), ...(next ? { new_passphrase: next.toString('utf8') } : {}) },
      180_000,
    );
    ctx.out(to === 'keychain' ? 'the vault key is now in the OS keychain' : keychain ? 'the vault is now protected by a passphrase' : 'passphrase changed');
  } finally {
    old?.fill(0);
    next?.fill(0);
  }
}
