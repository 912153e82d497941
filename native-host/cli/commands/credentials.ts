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
import { die, parseJsonStdin, readStdin } from '../io.js';
import { interactiveInput } from './add-prompts.js';

function parseJsonInput(raw: Buffer): CredentialInput[] {
  const data = parseJsonStdin(raw, CredentialInputsSchema, 'credential');
  return Array.isArray(data) ? data : [data];
}

export async function addCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { 'json-stdin': { type: 'boolean' } }, strict: true });
  let creds: CredentialInput[];
  if (values['json-stdin']) creds = parseJsonInput(await readStdin());
  else if (process.stdin.isTTY) creds = await interactiveInput(ctx);
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
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, usernames: { type: 'boolean' }, origin: { type: 'string' } }, strict: true });
  if (values.usernames && !values.json) die({ code: 'INVALID_REQUEST', message: '--usernames goes with --json (the plain list shows usernames already)' });
  const agentSocket = process.env.BLINDFILL_SOCKET !== undefined;
  const filter = values.origin !== undefined ? { origin: values.origin } : {};
  let list: OwnerCredentialList;
  if (values.json) {
    list = values.usernames
      ? OwnerCredentialListSchema.parse(await ctx.call({ op: 'list', usernames: true, ...filter }))
      : CredentialListSchema.parse(await ctx.call({ op: 'list', ...filter }));
    ctx.out(JSON.stringify(list));
    return;
  }
  const named = agentSocket ? null : await ctx.callRaw({ op: 'list', usernames: true, ...filter });
  if (named !== null && named.ok) list = OwnerCredentialListSchema.parse(named.result);
  else if (named !== null && named.code !== 'UNTRUSTED_CALLER') die(named);
  else list = CredentialListSchema.parse(await ctx.call({ op: 'list', ...filter }));
  if (list.credentials.length === 0) {
    ctx.out(list.origin !== undefined ? `no credential may be filled on ${list.origin}` : 'no credentials');
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
