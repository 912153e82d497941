/**
 * The credential object of CONTRACT §3 and the secret-free list view.
 * One zod schema per shape; the CLI, daemon, MCP server and settings page all use these.
 */
import * as z from 'zod';
import { fail, ok, type Result } from './errors.js';
import { normalizeOriginPattern } from './origin.js';
import { parseSequence } from './sequence.js';
import { parseTotp, TotpInputSchema, type TotpParams } from './totp.js';
import { windowEntryError } from './window-entry.js';

export const LABEL_RE = /^[a-z0-9._-]{1,64}$/;
export const LabelSchema = z.string().regex(LABEL_RE, 'label: 1-64 characters of a-z 0-9 . _ -');

export const POLICIES = ['auto', 'confirm'] as const;
export const PolicySchema = z.enum(POLICIES);
export type Policy = z.infer<typeof PolicySchema>;

/** `{USERNAME}{TAB}{PASSWORD}{ENTER}` style sequences; parsed fully by the desktop typer. */
export const SequenceSchema = z.string().min(1).max(1024);
/** A `windows` entry: a window title, `//regex//`, with optional `{class=…,exe=…}` first (shared/window-entry.ts). */
export const WindowPatternSchema = z.string().min(1).max(256);

/** Input to `add` (CONTRACT §3): unknown fields are refused. */
export const CredentialInputSchema = z.strictObject({
  label: LabelSchema,
  username: z.string().max(1024).optional(),
  password: z.string().max(4096).optional(),
  totp: TotpInputSchema.optional(),
  origins: z.array(z.string()).max(100).optional(),
  windows: z.array(WindowPatternSchema).max(100).optional(),
  sequence: SequenceSchema.optional(),
  policy: PolicySchema.optional(),
});
export type CredentialInput = z.infer<typeof CredentialInputSchema>;

export const CredentialInputsSchema = z.union([CredentialInputSchema, z.array(CredentialInputSchema).max(100_000)]);

/** A credential as the vault holds it, validated and normalized. */
export interface Credential {
  label: string;
  username?: string;
  password?: string;
  totp?: TotpParams;
  origins: string[];
  windows: string[];
  sequence?: string;
  policy: Policy;
}

/**
 * Validate the rules zod cannot express (origin rules, TOTP parsing) and normalize.
 * Messages name the label and the offending origin, never a secret.
 */
export function normalizeCredential(input: CredentialInput): Result<Credential> {
  const origins: string[] = [];
  for (const o of input.origins ?? []) {
    const r = normalizeOriginPattern(o);
    if (!r.ok) return fail(r.code, `${input.label}: ${r.message}`);
    if (!origins.includes(r.value)) origins.push(r.value);
  }
  let totp: TotpParams | undefined;
  if (input.totp !== undefined) {
    const t = parseTotp(input.totp);
    if (!t.ok) return fail(t.code, `${input.label}: ${t.message}`);
    totp = t.value;
  }
  const windows = [...new Set(input.windows ?? [])];
  for (const w of windows) {
    const e = windowEntryError(w);
    if (e !== null) return fail('INVALID_REQUEST', `${input.label}: window entry ${JSON.stringify(w)}: ${e}`);
  }
  if (input.sequence !== undefined) {
    const seq = parseSequence(input.sequence);
    if (!seq.ok) return fail(seq.code, `${input.label}: sequence: ${seq.message}`);
  }
  const c: Credential = { label: input.label, origins, windows, policy: input.policy ?? 'auto' };
  if (input.username !== undefined) c.username = input.username;
  if (input.password !== undefined) c.password = input.password;
  if (totp !== undefined) c.totp = totp;
  if (input.sequence !== undefined) c.sequence = input.sequence;
  return ok(c);
}

/** `list --json` item: no username, no secret. */
export const CredentialSummarySchema = z.strictObject({
  label: LabelSchema,
  origins: z.array(z.string()),
  windows: z.array(z.string()),
  policy: PolicySchema,
  has_username: z.boolean(),
  has_password: z.boolean(),
  has_totp: z.boolean(),
});
export type CredentialSummary = z.infer<typeof CredentialSummarySchema>;
export const CredentialListSchema = z.strictObject({
  credentials: z.array(CredentialSummarySchema),
  /** With a `list` origin filter: the page origin the list was filtered by. */
  origin: z.string().max(300).optional(),
  /** With `max_bytes`: more follow; ask again with `after` set to this label. */
  next: LabelSchema.optional(),
});
export type CredentialList = z.infer<typeof CredentialListSchema>;

export function summarize(c: Credential): CredentialSummary {
  return {
    label: c.label,
    origins: [...c.origins],
    windows: [...c.windows],
    policy: c.policy,
    has_username: c.username !== undefined && c.username !== '',
    has_password: c.password !== undefined && c.password !== '',
    has_totp: c.totp !== undefined,
  };
}
