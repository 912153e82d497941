/**
 * Messages between the daemon and the browser extension (relayed unchanged by the
 * native host). Two phases keep secrets in the daemon until the page is known to match:
 *   probe: no secret; the extension checks the active tab and finds fillable frames.
 *   fill:  the values, sent only to the frames (by documentId) the probe approved.
 */
import * as z from 'zod';
import { ErrorCodeSchema } from './errors.js';
import { OutcomeSchema } from './outcome.js';

/** `new_password`: every field of a sign-up or change-password form that sets the password (create/change flows only). */
export const FIELD_KINDS = ['username', 'password', 'totp', 'new_password'] as const;
export const FieldKindSchema = z.enum(FIELD_KINDS);
export type FieldKind = z.infer<typeof FieldKindSchema>;

/**
 * Account flows (CONTRACT §7): `create` looks for a sign-up form (its new-password fields,
 * and the username field when wanted), `change` for a change-password form (current + new).
 * A `create` probe with no origins takes the active tab's own origin (https, or http on
 * loopback): the credential does not exist yet and is bound to that origin.
 */
export const FLOWS = ['create', 'change'] as const;
export const FlowSchema = z.enum(FLOWS);
export type Flow = z.infer<typeof FlowSchema>;

export const ProbeRequestSchema = z.strictObject({
  type: z.literal('probe'),
  origins: z.array(z.string().max(300)).max(100),
  want: z.array(FieldKindSchema).min(1).max(4),
  flow: FlowSchema.optional(),
});
export type ProbeRequest = z.infer<typeof ProbeRequestSchema>;

export const FillTargetSchema = z.strictObject({
  frameId: z.number().int().min(0),
  documentId: z.string().min(1).max(200),
  fields: z.array(FieldKindSchema).max(4),
});
export type FillTarget = z.infer<typeof FillTargetSchema>;

/**
 * What the new-password fields of the form say about the password they accept (no secret):
 * Apple's `passwordrules` attribute, `minlength`, `maxlength`, `pattern`.
 */
export const PasswordHintsSchema = z.strictObject({
  passwordrules: z.string().max(1000).optional(),
  minlength: z.number().int().min(0).max(100_000).optional(),
  maxlength: z.number().int().min(0).max(100_000).optional(),
  pattern: z.string().max(1000).optional(),
});
export type PasswordHints = z.infer<typeof PasswordHintsSchema>;

export const ProbeResultSchema = z.strictObject({
  ok: z.literal(true),
  tabId: z.number().int(),
  origin: z.string().max(300),
  targets: z.array(FillTargetSchema).min(1).max(64),
  /** Flows only: the hints of the form's new-password fields. */
  hints: PasswordHintsSchema.optional(),
});
export type ProbeResult = z.infer<typeof ProbeResultSchema>;

export const FillValuesSchema = z.strictObject({
  username: z.string().max(1024).optional(),
  password: z.string().max(4096).optional(),
  totp: z.string().regex(/^\d{6,8}$/).optional(),
  /** Flows only: the generated password, into every new-password field of the form. */
  new_password: z.string().max(4096).optional(),
});
export type FillValues = z.infer<typeof FillValuesSchema>;

export const FillRequestSchema = z.strictObject({
  type: z.literal('fill'),
  tabId: z.number().int(),
  origins: z.array(z.string().max(300)).max(100),
  targets: z.array(FillTargetSchema).min(1).max(64),
  values: FillValuesSchema,
  submit: z.boolean(),
  flow: FlowSchema.optional(),
  /** After a submit, watch the page this long at most for the outcome (CONTRACT §7); absent or 0: no outcome. */
  outcomeWaitMs: z.number().int().min(0).max(60_000).optional(),
});
export type FillRequest = z.infer<typeof FillRequestSchema>;

export const FillResultSchema = z.strictObject({
  ok: z.literal(true),
  origin: z.string().max(300),
  filled: z.array(FieldKindSchema),
  submitted: z.boolean(),
  /** Only after a submit the extension watched (CONTRACT §7). */
  outcome: OutcomeSchema.optional(),
});
export type FillResult = z.infer<typeof FillResultSchema>;

export const PingRequestSchema = z.strictObject({ type: z.literal('ping') });

/** The active tab's origin (scheme, host, port; never a path), for `list` filtered by it. No secret either way. */
export const ActiveOriginRequestSchema = z.strictObject({ type: z.literal('active_origin') });
export const ActiveOriginResultSchema = z.strictObject({ ok: z.literal(true), active_origin: z.string().max(300) });
export type ActiveOriginResult = z.infer<typeof ActiveOriginResultSchema>;
export const PingResultSchema = z.strictObject({ ok: z.literal(true), version: z.string().max(50) });

/**
 * Arm one WebAuthn ceremony on the active tab: no secret. The extension answers with the
 * tab and its top-level origin; the page's next matching call is relayed to the daemon.
 */
export const PasskeyArmRequestSchema = z.strictObject({
  type: z.literal('passkey_arm'),
  kind: z.enum(['get', 'create']),
  ttl_ms: z.number().int().min(100).max(600_000),
});
export type PasskeyArmRequest = z.infer<typeof PasskeyArmRequestSchema>;
/** Take back an arm the daemon refused after the extension recorded it: the tab's calls pass to the browser again. */
export const PasskeyDisarmRequestSchema = z.strictObject({ type: z.literal('passkey_disarm'), tabId: z.number().int(), kind: z.enum(['get', 'create']) });
export const PasskeyArmedSchema = z.strictObject({ ok: z.literal(true), tabId: z.number().int(), origin: z.string().max(300), armed: z.enum(['get', 'create']) });
export type PasskeyArmed = z.infer<typeof PasskeyArmedSchema>;

export const BrowserRequestSchema = z.discriminatedUnion('type', [ProbeRequestSchema, FillRequestSchema, PingRequestSchema, PasskeyArmRequestSchema, PasskeyDisarmRequestSchema, ActiveOriginRequestSchema]);
export type BrowserRequest = z.infer<typeof BrowserRequestSchema>;

export const BrowserFailureSchema = z.strictObject({
  ok: z.literal(false),
  code: ErrorCodeSchema,
  message: z.string().max(2000),
});
export type BrowserFailure = z.infer<typeof BrowserFailureSchema>;

export const BrowserResponseSchema = z.union([ProbeResultSchema, FillResultSchema, PingResultSchema, PasskeyArmedSchema, ActiveOriginResultSchema, BrowserFailureSchema]);
export type BrowserResponse = z.infer<typeof BrowserResponseSchema>;
