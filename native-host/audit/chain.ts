/**
 * The audit log's HMAC chain (pure). Each entry's MAC covers its canonical JSON, which
 * includes the previous entry's MAC (`prev`) and its sequence number, so an edited,
 * removed, reordered or inserted line breaks the chain; the separately stored head
 * (last seq and MAC) catches lines cut from the end.
 *
 * An entry holds labels, origins, window titles and codes: never a secret. The event
 * schema is strict, so a stray field (a value passed by mistake) throws instead of
 * being written.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { fail, ok, type Result } from '../../shared/errors.js';

export const AUDIT_EVENTS = ['init', 'unlock', 'unlock_failed', 'lock', 'add', 'update', 'remove', 'fill', 'type', 'refusal', 'generate', 'dropped', 'browser', 'agent', 'passwd', 'passkey'] as const;
export type AuditEventName = (typeof AUDIT_EVENTS)[number];

export interface AuditEvent {
  event: AuditEventName;
  label?: string;
  target?: string;
  code?: string;
  caller?: string;
  detail?: string;
  /** The verified browser a value went to (kind, host pid, executable). */
  via?: string;
}
export interface AuditEntry extends AuditEvent {
  seq: number;
  ts: string;
  prev: string;
  mac: string;
}

/** Long window titles and details are cut rather than refused. */
export const MAX_FIELD = 512;
const text = z.string().transform((s) => s.slice(0, MAX_FIELD));

export const AuditEventSchema = z.strictObject({
  event: z.enum(AUDIT_EVENTS),
  label: text.optional(),
  target: text.optional(),
  code: text.optional(),
  caller: text.optional(),
  detail: text.optional(),
  via: text.optional(),
});

const HEX64 = /^[0-9a-f]{64}$/;
const EntrySchema = z.strictObject({
  seq: z.number().int().nonnegative(),
  ts: z.string().max(64),
  event: z.enum(AUDIT_EVENTS),
  label: z.string().max(MAX_FIELD).optional(),
  target: z.string().max(MAX_FIELD).optional(),
  code: z.string().max(MAX_FIELD).optional(),
  caller: z.string().max(MAX_FIELD).optional(),
  detail: z.string().max(MAX_FIELD).optional(),
  via: z.string().max(MAX_FIELD).optional(),
  prev: z.string().regex(HEX64),
  mac: z.string().regex(HEX64),
});

/** Field order of the canonical JSON (the MAC input is this without `mac`). */
const ORDER = ['seq', 'ts', 'event', 'label', 'target', 'code', 'caller', 'detail', 'via', 'prev'] as const;

export function canonicalJson(e: Omit<AuditEntry, 'mac'> & { mac?: string }): string {
  const out: Record<string, unknown> = {};
  for (const k of ORDER) if (e[k] !== undefined) out[k] = e[k];
  if (e.mac !== undefined) out.mac = e.mac;
  return JSON.stringify(out);
}

/** Validates strictly: throws on unknown fields or a bad event name (a bug in the caller). */
export function checkEvent(ev: AuditEvent): AuditEvent {
  const r = AuditEventSchema.safeParse(ev);
  if (!r.success) {
    // Names fields and issue codes only, never the values.
    const why = r.error.issues.map((i) => (i.code === 'unrecognized_keys' ? `unknown field(s) ${i.keys.join(', ')}` : `${i.path.join('.') || '(root)'}: ${i.code}`));
    throw new Error(`audit event refused: ${why.join('; ')}`);
  }
  return r.data;
}

export function genesis(vaultId: string): string {
  return createHash('sha256').update(`blindfill audit genesis v1\n${vaultId}`, 'utf8').digest('hex');
}

function macOf(key: Buffer, body: Omit<AuditEntry, 'mac'>): string {
  return createHmac('sha256', key).update(canonicalJson(body), 'utf8').digest('hex');
}

export function makeEntry(key: Buffer, prevMac: string, seq: number, ev: AuditEvent, ts: string): AuditEntry {
  const body: Omit<AuditEntry, 'mac'> = { seq, ts, ...checkEvent(ev), prev: prevMac };
  return { ...body, mac: macOf(key, body) };
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** MAC of the head record {seq, mac}, so the head file cannot be rewritten to match a cut log. */
export function headMac(key: Buffer, head: { seq: number; mac: string }): string {
  return createHmac('sha256', key).update(`blindfill audit head v1\n${head.seq}\n${head.mac}`, 'utf8').digest('hex');
}

function broken(line: number, why: string): Result<never> {
  return fail('AUDIT_BROKEN', `line ${line}: ${why}`);
}

/**
 * Verify a whole log (one entry per element, no trailing empty element). `head` is the
 * last (seq, mac) recorded at append time: the log may run past it (a crash between the
 * line and the head write) but must contain it. `anchor` is the entry the vault bound at
 * its last save: the log must contain it too.
 */
export function verifyLines(
  key: Buffer,
  vaultId: string,
  lines: string[],
  head?: { seq: number; mac: string },
  anchor?: { seq: number; mac: string },
): Result<{ lines: number }> {
  let prev = genesis(vaultId);
  let headSeen = head === undefined;
  let anchorSeen = anchor === undefined;
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    let json: unknown;
    try {
      json = JSON.parse(lines[i] ?? '');
    } catch {
      return broken(n, 'not a JSON entry (damaged or partly written)');
    }
    const parsed = EntrySchema.safeParse(json);
    if (!parsed.success) return broken(n, 'not a well-formed audit entry');
    const e = parsed.data as AuditEntry;
    const { mac, ...body } = e;
    if (!sameHex(macOf(key, body), mac)) return broken(n, 'MAC mismatch (entry edited, forged, or written under another key)');
    if (e.seq !== i) return broken(n, `expected seq ${i}, found ${e.seq} (lines removed, reordered or inserted)`);
    if (!sameHex(e.prev, prev)) return broken(n, 'does not follow the previous line (lines removed, reordered or inserted)');
    if (head && e.seq === head.seq) {
      if (!sameHex(e.mac, head.mac)) return broken(n, 'differs from the entry recorded in audit.head (lines were cut and the log rewritten)');
      headSeen = true;
    }
    if (anchor && e.seq === anchor.seq) {
      if (!sameHex(e.mac, anchor.mac)) return broken(n, 'differs from the entry the vault recorded at its last save (the log was rewritten)');
      anchorSeen = true;
    }
    prev = mac;
  }
  if (!anchorSeen && anchor) {
    return broken(lines.length + 1, `missing: the log ends at seq ${lines.length - 1} but the vault recorded seq ${anchor.seq} at its last save (lines cut, or an older log restored)`);
  }
  if (!headSeen && head) return broken(lines.length + 1, `missing: the log ends at seq ${lines.length - 1} but audit.head records seq ${head.seq} (lines cut from the end)`);
  return ok({ lines: lines.length });
}
