/** add, list, remove. */
import { parseArgs } from 'node:util';
import { type CredentialInput, CredentialInputsSchema, CredentialListSchema, LABEL_RE } from '../../../shared/credential.js';
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

export async function listCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, origin: { type: 'string' } }, strict: true });
  const list = CredentialListSchema.parse(await ctx.call({ op: 'list', ...(values.origin !== undefined ? { origin: values.origin } : {}) }));
  if (values.json) {
    ctx.out(JSON.stringify(list));
    return;
  }
  if (list.credentials.length === 0) {
    ctx.out(list.origin !== undefined ? `no credential may be filled on ${list.origin}` : 'no credentials');
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
