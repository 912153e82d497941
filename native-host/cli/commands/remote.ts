/** `blindfill remote add|list|sync|remove|put`: team vaults on OpenBao (CONTRACT §9). */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { CredentialInputSchema, LABEL_RE } from '../../../shared/credential.js';
import { RemoteListResultSchema } from '../../../shared/ipc.js';
import type { CliContext } from '../context.js';
import { die, parseJsonStdin, prompt, readStdin } from '../io.js';

const USAGE = 'usage: blindfill remote add NAME --openbao URL --mount M --path P --role-id ID [--ca-file F] | list [--json] | sync NAME | remove NAME | put NAME LABEL';

/** The AppRole secret-id: the first line of stdin, or a no-echo prompt on a terminal. */
async function readSecretId(): Promise<string> {
  if (process.stdin.isTTY) return (await prompt('AppRole secret-id (hidden): ', true)).trim();
  const all = await readStdin(64 * 1024);
  const text = all.toString('utf8');
  all.fill(0);
  const line = text.split(/\r?\n/)[0]?.trim() ?? '';
  if (line === '') die({ code: 'INVALID_REQUEST', message: 'the AppRole secret-id on stdin is empty' });
  return line;
}

function oneName(positionals: string[], what: string): string {
  const name = positionals[0];
  if (positionals.length !== 1 || name === undefined) die({ code: 'INVALID_REQUEST', message: `usage: blindfill remote ${what} NAME` });
  return name;
}

async function add(ctx: CliContext, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { openbao: { type: 'string', multiple: true }, mount: { type: 'string' }, path: { type: 'string' }, 'role-id': { type: 'string' }, 'ca-file': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const name = oneName(positionals, 'add');
  const urls = (values.openbao ?? []).flatMap((u) => u.split(',')).map((u) => u.trim()).filter(Boolean);
  if (urls.length === 0 || values.mount === undefined || values['role-id'] === undefined) die({ code: 'INVALID_REQUEST', message: USAGE });
  let ca: string | undefined;
  if (values['ca-file'] !== undefined) {
    try {
      ca = fs.readFileSync(values['ca-file'], 'utf8');
    } catch (e) {
      die({ code: 'INVALID_REQUEST', message: `cannot read the CA file ${values['ca-file']}: ${(e as NodeJS.ErrnoException).code ?? 'error'}` });
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) die({ code: 'INVALID_REQUEST', message: `${values['ca-file']} holds no PEM certificate` });
  }
  const secretId = await readSecretId();
  const r = (await ctx.call(
    { op: 'remote_add', name, urls, mount: values.mount, path: values.path ?? '', role_id: values['role-id'], secret_id: secretId, ...(ca ? { ca } : {}) },
    120_000,
  )) as { added: string; credentials: number };
  ctx.out(`added remote ${r.added} (${r.credentials} credentials)`);
}

async function list(ctx: CliContext, argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' } }, strict: true });
  const r = RemoteListResultSchema.parse(await ctx.call({ op: 'remote_list' }));
  if (values.json) {
    ctx.out(JSON.stringify(r));
    return;
  }
  if (r.remotes.length === 0) {
    ctx.out('no remotes');
    return;
  }
  ctx.out(r.remotes.map((x) => `${x.name}\t${x.url}\t${x.mount}/${x.path}\t${x.credentials} credentials\tlast sync ${x.last_sync ?? 'never'}`).join('\n'));
}

async function sync(ctx: CliContext, argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true, strict: true });
  const name = oneName(positionals, 'sync');
  const r = (await ctx.call({ op: 'remote_sync', name }, 300_000)) as { credentials?: number };
  ctx.out(`synced ${name} (${r.credentials ?? 0} credentials)`);
}

async function remove(ctx: CliContext, argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true, strict: true });
  const name = oneName(positionals, 'remove');
  await ctx.call({ op: 'remote_remove', name });
  ctx.out(`removed remote ${name}`);
}

/** The credential object without `label` (it comes from argv), or with the same label. */
const PutInputSchema = z.union([CredentialInputSchema, CredentialInputSchema.omit({ label: true })]);

async function put(ctx: CliContext, argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true, strict: true });
  const [name, label] = positionals;
  if (positionals.length !== 2 || name === undefined || label === undefined) die({ code: 'INVALID_REQUEST', message: 'usage: blindfill remote put NAME LABEL (credential JSON on stdin)' });
  if (!LABEL_RE.test(label)) die({ code: 'INVALID_REQUEST', message: 'label: 1-64 characters of a-z 0-9 . _ -' });
  const input = parseJsonStdin(await readStdin(1024 * 1024), PutInputSchema, 'credential');
  if ('label' in input && input.label !== label) die({ code: 'INVALID_REQUEST', message: `the JSON's label differs from ${label}` });
  await ctx.call({ op: 'remote_put', name, credential: { ...input, label } }, 60_000);
  ctx.out(`wrote ${label} to remote ${name}`);
}

export async function remoteCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const fn = { add, list, sync, remove, put }[sub ?? ''];
  if (!fn) die({ code: 'INVALID_REQUEST', message: USAGE });
  await fn(ctx, rest);
}
