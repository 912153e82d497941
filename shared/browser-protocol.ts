/**
 * Messages between the daemon and the browser extension (relayed unchanged by the
 * native host). Two phases keep secrets in the daemon until the page is known to match:
 *   probe: no secret; the extension checks the active tab and finds fillable frames.
 *   fill:  the values, sent only to the frames (by documentId) the probe approved.
 */
import * as z from 'zod';
import { ErrorCodeSchema } from './errors.js';
import { OutcomeSchema } from './outcome.js';

export const FIELD_KINDS = ['username', 'password', 'totp'] as const;
export const FieldKindSchema = z.enum(FIELD_KINDS);
export type FieldKind = z.infer<typeof FieldKindSchema>;

export const ProbeRequestSchema = z.strictObject({
  type: z.literal('probe'),
  origins: z.array(z.string().max(300)).max(100),
  want: z.array(FieldKindSchema).min(1).max(3),
});
export type ProbeRequest = z.infer<typeof ProbeRequestSchema>;

export const FillTargetSchema = z.strictObject({
  frameId: z.number().int().min(0),
  documentId: z.string().min(1).max(200),
  fields: z.array(FieldKindSchema).max(3),
});
export type FillTarget = z.infer<typeof FillTargetSchema>;

export const ProbeResultSchema = z.strictObject({
  ok: z.literal(true),
  tabId: z.number().int(),
  origin: z.string().max(300),
  targets: z.array(FillTargetSchema).min(1).max(64),
});
export type ProbeResult = z.infer<typeof ProbeResultSchema>;

export const FillValuesSchema = z.strictObject({
  username: z.string().max(1024).optional(),
  password: z.string().max(4096).optional(),
  totp: z.string().regex(/^\d{6,8}$/).optional(),
});
export type FillValues = z.infer<typeof FillValuesSchema>;

export const FillRequestSchema = z.strictObject({
  type: z.literal('fill'),
  tabId: z.number().int(),
  origins: z.array(z.string().max(300)).max(100),
  targets: z.array(FillTargetSchema).min(1).max(64),
  values: FillValuesSchema,
  submit: z.boolean(),
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

export const BrowserRequestSchema = z.discriminatedUnion('type', [ProbeRequestSchema, FillRequestSchema, PingRequestSchema, ActiveOriginRequestSchema]);
export type BrowserRequest = z.infer<typeof BrowserRequestSchema>;

export const BrowserFailureSchema = z.strictObject({
  ok: z.literal(false),
  code: ErrorCodeSchema,
  message: z.string().max(2000),
});
export type BrowserFailure = z.infer<typeof BrowserFailureSchema>;

export const BrowserResponseSchema = z.union([ProbeResultSchema, FillResultSchema, PingResultSchema, ActiveOriginResultSchema, BrowserFailureSchema]);
export type BrowserResponse = z.infer<typeof BrowserResponseSchema>;
