/** add, list, remove. */
import { parseArgs } from 'node:util';
import {
  type CredentialInput,
  CredentialInputsSchema,
  CredentialListSchema,
  LABEL_RE,
  OwnerCredentialListSchema,
  type OwnerCredentialList,
} from '../../../shared/credential.js';
import type { CliContext } from '../context.js';
import { die, parseJsonStdin, prompt, readStdin } from '../io.js';

function parseJsonInput(raw: Buffer): CredentialInput[] {
  const data = parseJsonStdin(raw, CredentialInputsSchema, 'credential');
  return Array.isArray(data) ? data : [data];
}

async function interactiveInput(): Promise<CredentialInput[]> {
  const label = (await prompt('Label (a-z 0-9 . _ -): ', false)).trim();
  if (!LABEL_RE.test(label)) die({ code: 'INVALID_REQUEST', message: 'label: 1-64 characters of a-z 0-9 . _ -' });
  const c: CredentialInput = { label };
  const username = await prompt('Username (optional): ', false);
  if (username !== '') c.username = username;
  const password = await prompt('Password (hidden, optional): ', true);
  if (password !== '') c.password = password;
  const totp = await prompt('TOTP otpauth:// URI or base32 seed (hidden, optional): ', true);
  if (totp !== '') c.totp = totp;
  const origins = await prompt('Origins, comma separated (e.g. https://github.com): ', false);
  if (origins.trim() !== '') c.origins = origins.split(',').map((s) => s.trim()).filter(Boolean);
  const windows = await prompt('Desktop windows, comma separated: exact titles, //regex//, {exe=NAME}Title (optional): ', false);
  // Commas inside {class=…,exe=…} belong to the entry.
  if (windows.trim() !== '') c.windows = windows.split(/,(?![^{}]*\})/).map((s) => s.trim()).filter(Boolean);
  const policy = (await prompt('Policy [auto/confirm] (auto): ', false)).trim();
  if (policy === 'confirm' || policy === 'auto') c.policy = policy;
  else if (policy !== '') die({ code: 'INVALID_REQUEST', message: 'policy must be auto or confirm' });
  return [c];
}

export async function addCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { 'json-stdin': { type: 'boolean' } }, strict: true });
  let creds: CredentialInput[];
  if (values['json-stdin']) creds = parseJsonInput(await readStdin());
  else if (process.stdin.isTTY) creds = await interactiveInput();
  else die({ code: 'INVALID_REQUEST', message: 'stdin is not a terminal: pass the credential as JSON with --json-stdin' });
  const r = (await ctx.call({ op: 'add', credentials: creds }, 300_000)) as { added: string[] };
  ctx.out(r.added.length === 1 ? `added ${r.added[0]}` : `added ${r.added.length} credentials`);
}

/**
 * `list` prints usernames for the owner (human output, or `--json --usernames`); `list
 * --json` alone keeps CONTRACT §3's fields (no username). Through an agent socket, or
 * when the daemon refuses (under `blindfill guard`), the human output lists without them.
 */
export async function listCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, usernames: { type: 'boolean' } }, strict: true });
  if (values.usernames && !values.json) die({ code: 'INVALID_REQUEST', message: '--usernames goes with --json (the plain list shows usernames already)' });
  const agentSocket = process.env.BLINDFILL_SOCKET !== undefined;
  let list: OwnerCredentialList;
  if (values.json) {
    list = values.usernames
      ? OwnerCredentialListSchema.parse(await ctx.call({ op: 'list', usernames: true }))
      : CredentialListSchema.parse(await ctx.call({ op: 'list' }));
    ctx.out(JSON.stringify(list));
    return;
  }
  const named = agentSocket ? null : await ctx.callRaw({ op: 'list', usernames: true });
  if (named !== null && named.ok) list = OwnerCredentialListSchema.parse(named.result);
  else if (named !== null && named.code !== 'UNTRUSTED_CALLER') die(named);
  else list = CredentialListSchema.parse(await ctx.call({ op: 'list' }));
  if (list.credentials.length === 0) {
    ctx.out('no credentials');
    return;
  }
  const rows = list.credentials.map((c) => {
    const has = [c.has_username && 'user', c.has_password && 'password', c.has_totp && 'totp', c.has_passkey && `passkey(${c.rp_id})`].filter(Boolean).join('+') || '-';
    const where = [...c.origins, ...c.windows.map((w) => `window:${w}`)].join(' ') || '(nowhere)';
    const user = c.username !== undefined ? printable(c.username) : '-';
    const state = c.pending === 'created' ? '\t(pending sign-up)' : c.pending === 'new_password' ? '\t(password change pending)' : c.has_previous_password ? '\t(previous password kept)' : '';
    return `${c.label}\t${user}\t${c.policy}\t${has}\t${where}${state}`;
  });
  ctx.out(rows.join('\n'));
}

/** A username as one table cell: no control, bidi or zero-width characters, no tabs. */
function printable(s: string): string {
  return s.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, '?');
}

export async function removeCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true, strict: true });
  const label = positionals[0];
  if (positionals.length !== 1 || label === undefined) die({ code: 'INVALID_REQUEST', message: 'usage: blindfill remove LABEL' });
  if (!LABEL_RE.test(label)) die({ code: 'INVALID_REQUEST', message: 'label: 1-64 characters of a-z 0-9 . _ -' });
  await ctx.call({ op: 'remove', label });
  ctx.out(`removed ${label}`);
}
