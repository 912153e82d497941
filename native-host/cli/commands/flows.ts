/**
 * Account flows (CONTRACT §7) for scripts and the owner: `create` and `change-password`
 * (the MCP tools create_credential / change_password), and the owner's view and decision
 * on the password versions a flow leaves (`versions`, `confirm-password`). No value is
 * ever printed: only labels, origins, field kinds, outcomes and which versions exist.
 */
import { parseArgs } from 'node:util';
import { LABEL_RE } from '../../../shared/credential.js';
import { FillCredentialResultSchema, PASSWORD_CLASSES, PASSWORD_VERSIONS, VersionsResultSchema } from '../../../shared/ipc.js';
import type { CliContext } from '../context.js';
import { die } from '../io.js';

function oneLabel(positionals: string[], usage: string): string {
  const label = positionals[0];
  if (positionals.length !== 1 || label === undefined) die({ code: 'INVALID_REQUEST', message: `usage: ${usage}` });
  if (!LABEL_RE.test(label)) die({ code: 'INVALID_REQUEST', message: 'label: 1-64 characters of a-z 0-9 . _ -' });
  return label;
}

const generateOptions = { length: { type: 'string' }, classes: { type: 'string' } } as const;

function passwordOptions(values: { length?: string | undefined; classes?: string | undefined }): { length?: number; classes?: Array<(typeof PASSWORD_CLASSES)[number]> } {
  const out: { length?: number; classes?: Array<(typeof PASSWORD_CLASSES)[number]> } = {};
  if (values.length !== undefined) {
    if (!/^\d{1,3}$/.test(values.length)) die({ code: 'INVALID_REQUEST', message: '--length takes a number of characters (8-128)' });
    out.length = Number(values.length);
  }
  if (values.classes !== undefined) {
    const list = values.classes.split(',').map((c) => c.trim()).filter(Boolean);
    if (list.length === 0 || !list.every((c) => (PASSWORD_CLASSES as readonly string[]).includes(c))) {
      die({ code: 'INVALID_REQUEST', message: `--classes takes a comma-separated list of ${PASSWORD_CLASSES.join(', ')}` });
    }
    out.classes = list as Array<(typeof PASSWORD_CLASSES)[number]>;
  }
  return out;
}

function printFlow(ctx: CliContext, json: boolean | undefined, raw: unknown): void {
  const r = FillCredentialResultSchema.parse(raw);
  if (json) ctx.out(JSON.stringify(r));
  else ctx.out(`filled ${r.filled.join(', ')} for ${r.label} on ${r.origin}${r.submitted ? '; submitted' : ''}${r.outcome ? `; outcome: ${r.outcome}` : ''}`);
}

export async function createCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { username: { type: 'string' }, submit: { type: 'boolean' }, json: { type: 'boolean' }, 'browser-profile': { type: 'string' }, ...generateOptions },
    allowPositionals: true,
    strict: true,
  });
  const label = oneLabel(positionals, 'blindfill create LABEL [--username U] [--submit] [--length N] [--classes lower,upper,digit,special] [--json]');
  const body = {
    op: 'create' as const,
    label,
    submit: values.submit === true,
    ...(values.username !== undefined ? { username: values.username } : {}),
    ...passwordOptions(values),
    ...(values['browser-profile'] !== undefined ? { browser_profile: values['browser-profile'] } : {}),
  };
  printFlow(ctx, values.json, await ctx.call(body, 90_000));
}

export async function changePasswordCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { submit: { type: 'boolean' }, json: { type: 'boolean' }, 'browser-profile': { type: 'string' }, ...generateOptions },
    allowPositionals: true,
    strict: true,
  });
  const label = oneLabel(positionals, 'blindfill change-password LABEL [--submit] [--length N] [--classes …] [--json]');
  const body = {
    op: 'change_password' as const,
    label,
    submit: values.submit === true,
    ...passwordOptions(values),
    ...(values['browser-profile'] !== undefined ? { browser_profile: values['browser-profile'] } : {}),
  };
  printFlow(ctx, values.json, await ctx.call(body, 90_000));
}

export async function versionsCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: { json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  const label = oneLabel(positionals, 'blindfill versions LABEL [--json]');
  const r = VersionsResultSchema.parse(await ctx.call({ op: 'versions', label }));
  if (values.json) {
    ctx.out(JSON.stringify(r));
    return;
  }
  const have = (['current', 'new', 'previous'] as const).filter((v) => r.versions[v]);
  const state = r.pending === 'created' ? 'pending sign-up' : r.pending === 'new_password' ? 'password change awaiting confirmation' : 'settled';
  ctx.out(`${r.label}: ${state}; passwords held: ${have.join(', ') || 'none'}`);
}

export async function confirmPasswordCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: { keep: { type: 'string' } }, allowPositionals: true, strict: true });
  const label = oneLabel(positionals, 'blindfill confirm-password LABEL [--keep current|new|previous]');
  const keep = values.keep ?? 'current';
  if (!(PASSWORD_VERSIONS as readonly string[]).includes(keep)) die({ code: 'INVALID_REQUEST', message: `--keep takes ${PASSWORD_VERSIONS.join(', ')}` });
  await ctx.call({ op: 'confirm_password', label, keep: keep as (typeof PASSWORD_VERSIONS)[number] });
  ctx.out(`${label}: the ${keep} password is kept; other versions dropped`);
}
