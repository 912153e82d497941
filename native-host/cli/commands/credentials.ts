/** add, list, remove. */
import { parseArgs } from 'node:util';
import { type CredentialInput, CredentialInputsSchema, CredentialListSchema, LABEL_RE } from '../../../shared/credential.js';
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

export async function listCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' } }, strict: true });
  const list = CredentialListSchema.parse(await ctx.call({ op: 'list' }));
  if (values.json) {
    ctx.out(JSON.stringify(list));
    return;
  }
  if (list.credentials.length === 0) {
    ctx.out('no credentials');
    return;
  }
  const rows = list.credentials.map((c) => {
    const has = [c.has_username && 'user', c.has_password && 'password', c.has_totp && 'totp'].filter(Boolean).join('+') || '-';
    const where = [...c.origins, ...c.windows.map((w) => `window:${w}`)].join(' ') || '(nowhere)';
    return `${c.label}\t${c.policy}\t${has}\t${where}`;
  });
  ctx.out(rows.join('\n'));
}

export async function removeCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true, strict: true });
  const label = positionals[0];
  if (positionals.length !== 1 || label === undefined) die({ code: 'INVALID_REQUEST', message: 'usage: blindfill remove LABEL' });
  if (!LABEL_RE.test(label)) die({ code: 'INVALID_REQUEST', message: 'label: 1-64 characters of a-z 0-9 . _ -' });
  await ctx.call({ op: 'remove', label });
  ctx.out(`removed ${label}`);
}
