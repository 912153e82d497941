/** fill, type, audit verify: thin wrappers over the daemon ops the MCP tools use too. */
import { parseArgs } from 'node:util';
import { LABEL_RE } from '../../../shared/credential.js';
import { FillCredentialResultSchema, PasskeyArmResultSchema, TYPE_FIELDS, TypeCredentialResultSchema } from '../../../shared/ipc.js';
import { callerSession } from '../../desktop/display-session.js';
import type { CliContext } from '../context.js';
import { die } from '../io.js';

function oneLabel(positionals: string[], usage: string): string {
  const label = positionals[0];
  if (positionals.length !== 1 || label === undefined) die({ code: 'INVALID_REQUEST', message: `usage: ${usage}` });
  if (!LABEL_RE.test(label)) die({ code: 'INVALID_REQUEST', message: 'label: 1-64 characters of a-z 0-9 . _ -' });
  return label;
}

export async function fillCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { submit: { type: 'boolean' }, totp: { type: 'boolean' }, json: { type: 'boolean' }, 'browser-profile': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const label = oneLabel(positionals, 'blindfill fill LABEL [--submit] [--totp]');
  const r = FillCredentialResultSchema.parse(
    await ctx.call(
      {
        op: 'fill',
        label,
        submit: values.submit === true,
        ...(values.totp ? { totp_only: true } : {}),
        ...(values['browser-profile'] !== undefined ? { browser_profile: values['browser-profile'] } : {}),
        session: callerSession(process.env),
      },
      60_000,
    ),
  );
  if (values.json) ctx.out(JSON.stringify(r));
  else ctx.out(`filled ${r.filled.join(', ')} for ${r.label} on ${r.origin}${r.submitted ? '; submitted' : ''}${r.outcome ? `; outcome: ${r.outcome}` : ''}`);
}

export async function typeCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { field: { type: 'string' }, submit: { type: 'boolean' }, json: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const label = oneLabel(positionals, 'blindfill type LABEL [--field username|password|totp|sequence] [--submit]');
  const field = values.field;
  if (field !== undefined && !(TYPE_FIELDS as readonly string[]).includes(field)) {
    die({ code: 'INVALID_REQUEST', message: `--field must be one of ${TYPE_FIELDS.join(', ')}` });
  }
  const r = TypeCredentialResultSchema.parse(
    await ctx.call({ op: 'type', label, ...(field ? { field } : {}), submit: values.submit === true, session: callerSession(process.env) }, 300_000),
  );
  if (values.json) ctx.out(JSON.stringify(r));
  else ctx.out(`typed ${r.field} of ${r.label} into "${r.window}"`);
}

/** `blindfill passkey use|create LABEL`: the MCP tools use_passkey / create_passkey. */
export async function passkeyCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean' }, 'browser-profile': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const usage = 'blindfill passkey use|create LABEL [--json]';
  const [verb, ...rest] = positionals;
  if (verb !== 'use' && verb !== 'create') die({ code: 'INVALID_REQUEST', message: `usage: ${usage}` });
  const label = oneLabel(rest, usage);
  const r = PasskeyArmResultSchema.parse(
    await ctx.call(
      {
        op: 'passkey_arm',
        label,
        kind: verb === 'use' ? 'get' : 'create',
        ...(values['browser-profile'] !== undefined ? { browser_profile: values['browser-profile'] } : {}),
      },
      60_000,
    ),
  );
  if (values.json) ctx.out(JSON.stringify(r));
  else ctx.out(`armed ${r.label} on ${r.origin} for ${r.armed_for_s} s`);
}

export async function auditCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true, strict: true });
  if (positionals[0] !== 'verify' || positionals.length !== 1) die({ code: 'INVALID_REQUEST', message: 'usage: blindfill audit verify' });
  const r = (await ctx.call({ op: 'audit_verify' })) as { lines: number };
  ctx.out(`audit log intact: ${r.lines} line${r.lines === 1 ? '' : 's'}`);
}
