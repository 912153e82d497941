/**
 * The credential object of CONTRACT §3 and the secret-free list view.
 * One zod schema per shape; the CLI, daemon, MCP server and settings page all use these.
 */
import * as z from 'zod';
import { fail, ok, type Result } from './errors.js';
import { normalizeOriginPattern } from './origin.js';
import { PasskeyInputSchema, type PasskeyInput } from './passkey.js';
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
  /** CONTRACT §8: write-only, like a password. */
  passkey: PasskeyInputSchema.optional(),
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
  passkey?: StoredPasskey;
}

/** A passkey as the vault holds it: rp id in lower case, sign count present. */
export interface StoredPasskey {
  rp_id: string;
  credential_id: string;
  user_handle: string;
  private_key: string;
  sign_count: number;
}

export function normalizePasskey(p: PasskeyInput): Result<StoredPasskey> {
  let rp: string;
  try {
    rp = new URL(`https://${p.rp_id}`).hostname;
  } catch {
    return fail('INVALID_REQUEST', 'passkey rp_id is not a domain name');
  }
  if (rp !== p.rp_id.toLowerCase()) return fail('INVALID_REQUEST', `passkey rp_id "${p.rp_id.slice(0, 80)}" is not a bare domain name`);
  return ok({ rp_id: rp, credential_id: p.credential_id, user_handle: p.user_handle, private_key: p.private_key, sign_count: p.sign_count ?? 0 });
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
  let passkey: StoredPasskey | undefined;
  if (input.passkey !== undefined) {
    const pk = normalizePasskey(input.passkey);
    if (!pk.ok) return fail(pk.code, `${input.label}: ${pk.message}`);
    passkey = pk.value;
  }
  const c: Credential = { label: input.label, origins, windows, policy: input.policy ?? 'auto' };
  if (passkey !== undefined) c.passkey = passkey;
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
  /**
   * Account flows (CONTRACT §7), shown to the owner only: `created` — a sign-up not (yet)
   * accepted by the site, never offered to agents; `new_password` — a changed password not
   * yet confirmed (the current one still fills).
   */
  pending: z.enum(['created', 'new_password']).optional(),
  /** A previous password is kept until the owner confirms the change (`blindfill confirm-password`). */
  has_previous_password: z.literal(true).optional(),
  /** CONTRACT §8. */
  has_passkey: z.boolean().optional(),
  rp_id: z.string().optional(),
  /** `local`, or the name of the remote vault it comes from (CONTRACT §9). */
  source: z.string().optional(),
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
/** `list` with `usernames: true` (the owner only): the summary plus the username, never a secret. */
export const OwnerCredentialSummarySchema = CredentialSummarySchema.extend({ username: z.string().optional() });
export type OwnerCredentialSummary = z.infer<typeof OwnerCredentialSummarySchema>;
export const OwnerCredentialListSchema = CredentialListSchema.extend({ credentials: z.array(OwnerCredentialSummarySchema) });
export type OwnerCredentialList = z.infer<typeof OwnerCredentialListSchema>;

export function summarize(c: Credential): CredentialSummary {
  return {
    label: c.label,
    origins: [...c.origins],
    windows: [...c.windows],
    policy: c.policy,
    has_username: c.username !== undefined && c.username !== '',
    has_password: c.password !== undefined && c.password !== '',
    has_totp: c.totp !== undefined,
    has_passkey: c.passkey !== undefined,
    ...(c.passkey !== undefined ? { rp_id: c.passkey.rp_id } : {}),
  };
}
