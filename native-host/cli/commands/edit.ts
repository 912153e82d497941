/** edit (a partial update from JSON on stdin) and rename. */
import { parseArgs } from 'node:util';
import { LABEL_RE } from '../../../shared/credential.js';
import { Requests } from '../../../shared/ipc.js';
import type { CliContext } from '../context.js';
import { die, parseJsonStdin, readStdin } from '../io.js';

const ChangesSchema = Requests.update.shape.changes;

function label(v: string | undefined, usage: string): string {
  if (v === undefined) die({ code: 'INVALID_REQUEST', message: usage });
  if (!LABEL_RE.test(v)) die({ code: 'INVALID_REQUEST', message: 'label: 1-64 characters of a-z 0-9 . _ -' });
  return v;
}

export async function editCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const usage = 'usage: blindfill edit LABEL --json-stdin';
  const { values, positionals } = parseArgs({ args: argv, options: { 'json-stdin': { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) die({ code: 'INVALID_REQUEST', message: usage });
  const name = label(positionals[0], usage);
  if (!values['json-stdin']) die({ code: 'INVALID_REQUEST', message: `${usage} (the changes as a JSON object on stdin)` });
  const raw = await readStdin(16 * 1024 * 1024);
  const changes = parseJsonStdin(raw, ChangesSchema, 'changes');
  const r = (await ctx.call({ op: 'update', label: name, changes }, 120_000)) as { updated: string; fields: string[] };
  ctx.out(`updated ${r.updated}: ${r.fields.join(', ')}`);
}

export async function renameCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const usage = 'usage: blindfill rename OLD NEW';
  const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true, strict: true });
  if (positionals.length !== 2) die({ code: 'INVALID_REQUEST', message: usage });
  const from = label(positionals[0], usage);
  const to = label(positionals[1], usage);
  await ctx.call({ op: 'rename', label: from, new_label: to });
  ctx.out(`renamed ${from} to ${to}`);
}
