/**
 * `blindfill recovery export --out FILE` / `blindfill recovery import FILE`: a recovery
 * copy of a keychain vault's key, for when the OS keychain is lost (a new login keyring,
 * a reinstalled machine). The export writes the key only to a new 0600 file, never to
 * stdout or a log, and only after the person confirms on the terminal; the import checks
 * that the key opens this vault before it puts it back into the OS keychain. A passphrase
 * vault needs none: its passphrase is the recovery.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { type ParsedVault, openVault, parseVault } from '../../vault/format.js';
import { KEY_BYTES } from '../../vault/kdf.js';
import { readVaultFile } from '../../vault/store.js';
import type { CliContext } from '../context.js';
import { die, prompt, readStdin } from '../io.js';

const USAGE = 'usage: blindfill recovery export --out FILE | blindfill recovery import FILE|-';
const HEAD = 'blindfill recovery key v1';

function keychainVault(ctx: CliContext): { parsed: ParsedVault; account: string } {
  const file = readVaultFile(ctx.paths.vault);
  if (!file.ok) die(file);
  const parsed = parseVault(file.value);
  if (!parsed.ok) die(parsed);
  const kdf = parsed.value.header.kdf;
  if (kdf.name !== 'keychain') die({ code: 'INVALID_REQUEST', message: 'this vault is protected by a passphrase, which is its recovery: keep the passphrase safe (blindfill passwd changes it)' });
  return { parsed: parsed.value, account: kdf.account };
}

/** The key must open this vault: a wrong one is refused before anything is written. */
function checkOpens(parsed: ParsedVault, key: Buffer, what: string): void {
  const plain = openVault(parsed, key);
  if (!plain.ok) die({ code: 'BAD_PASSPHRASE', message: `${what} does not open the vault ${parsed.header.vault_id}; nothing was written` });
  plain.value.fill(0);
}

/** The key as 16 groups of 4 hex digits. */
function formatKey(key: Buffer): string {
  return (key.toString('hex').match(/.{4}/g) ?? []).join('-');
}

async function exportKey(ctx: CliContext, out: string | undefined): Promise<void> {
  if (out === undefined) die({ code: 'INVALID_REQUEST', message: USAGE });
  const { parsed, account } = keychainVault(ctx);
  if (!process.stdin.isTTY) die({ code: 'INVALID_REQUEST', message: 'recovery export asks you to confirm on a terminal; run it in one' });
  process.stderr.write(
    `This writes the key of vault ${parsed.header.vault_id} to ${out}.\nAnyone with that file and your vault file can open every credential.\nKeep it offline (print it, then delete the file) and never give it to an agent.\n`,
  );
  const answer = (await prompt('Type "export" to write it: ', false)).trim();
  if (answer !== 'export') die({ code: 'DENIED', message: 'not confirmed; nothing was written' });
  const { osKeyStore } = await import('../../vault/keychain.js');
  const got = osKeyStore().get(account);
  if (!got.ok) die(got);
  if (got.value === null) die({ code: 'KEYCHAIN_UNAVAILABLE', message: 'the OS keychain holds no key for this vault' });
  const key = got.value;
  try {
    checkOpens(parsed, key, 'the key in the OS keychain');
    const text = `${HEAD}\nvault: ${parsed.header.vault_id}\nkey: ${formatKey(key)}\n`;
    try {
      fs.writeFileSync(out, text, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      die({ code: 'WRITE_FAILED', message: `cannot create ${out}: ${(e as NodeJS.ErrnoException).code ?? 'error'} (an existing file is never overwritten)` });
    }
  } finally {
    key.fill(0);
  }
  ctx.out(`wrote the recovery key of vault ${parsed.header.vault_id} to ${out} (mode 0600); restore it with: blindfill recovery import ${out}`);
}

async function importKey(ctx: CliContext, from: string | undefined): Promise<void> {
  if (from === undefined) die({ code: 'INVALID_REQUEST', message: USAGE });
  const { parsed, account } = keychainVault(ctx);
  let raw: Buffer;
  if (from === '-') raw = await readStdin(64 * 1024);
  else {
    try {
      raw = fs.readFileSync(from);
    } catch (e) {
      die({ code: 'INVALID_REQUEST', message: `cannot read ${from}: ${(e as NodeJS.ErrnoException).code ?? 'error'}` });
    }
  }
  const text = raw.toString('utf8');
  raw.fill(0);
  const vault = /^vault: ([0-9a-f]+)$/m.exec(text)?.[1];
  const hex = /^key: ([0-9a-fA-F-]+)$/m.exec(text)?.[1]?.replace(/-/g, '');
  if (!text.startsWith(HEAD) || hex === undefined || hex.length !== KEY_BYTES * 2) die({ code: 'INVALID_REQUEST', message: 'not a blindfill recovery key file' });
  if (vault !== undefined && vault !== parsed.header.vault_id) {
    die({ code: 'BAD_PASSPHRASE', message: `the recovery key is for vault ${vault}, not ${parsed.header.vault_id}; nothing was written` });
  }
  const key = Buffer.alloc(KEY_BYTES);
  key.write(hex, 'hex');
  try {
    checkOpens(parsed, key, 'the recovery key');
    const { osKeyStore } = await import('../../vault/keychain.js');
    const set = osKeyStore().set(account, key);
    if (!set.ok) die(set);
  } finally {
    key.fill(0);
  }
  ctx.out(`the key of vault ${parsed.header.vault_id} is back in the OS keychain; blindfill unlock opens it`);
}

export async function recoveryCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: { out: { type: 'string' } }, allowPositionals: true, strict: true });
  const action = positionals[0];
  if (action === 'export' && positionals.length === 1) return exportKey(ctx, values.out);
  if (action === 'import' && positionals.length === 2 && values.out === undefined) return importKey(ctx, positionals[1]);
  die({ code: 'INVALID_REQUEST', message: USAGE });
}
