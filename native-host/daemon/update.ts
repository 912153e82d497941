/**
 * Pure merge of an `update` request into a held credential, and whether the change widens
 * where its secrets may go (new origin or window, or policy confirm → auto) or replaces a
 * stored value. Either, from the settings page, needs re-authentication (reauth.ts).
 */
import { windowEntryError } from '../../shared/window-entry.js';
import type * as z from 'zod';
import { fail, ok, type Result } from '../../shared/errors.js';
import type { Requests } from '../../shared/ipc.js';
import { normalizeOriginPattern } from '../../shared/origin.js';
import { parseSequence } from '../../shared/sequence.js';
import { parseTotp } from '../../shared/totp.js';
import type { HeldCredential } from './secret-credential.js';

export type Changes = z.infer<typeof Requests.update>['changes'];

export interface Merged {
  updated: HeldCredential;
  widens: boolean;
  /** Stored values (username, password, TOTP seed) this change replaces or clears: lost for good. */
  replaces: Array<'username' | 'password' | 'totp' | 'passkey'>;
  /** What changed, for the audit log: field names only. */
  fields: string[];
}

export function mergeUpdate(old: HeldCredential, changes: Changes): Result<Merged> {
  const u: HeldCredential = { ...old, origins: [...old.origins], windows: [...old.windows] };
  const fields: string[] = [];
  const replaces: Merged['replaces'] = [];
  let widens = false;
  if (changes.origins !== undefined) {
    const origins: string[] = [];
    for (const o of changes.origins) {
      const r = normalizeOriginPattern(o);
      if (!r.ok) return fail(r.code, `${old.label}: ${r.message}`);
      if (!origins.includes(r.value)) origins.push(r.value);
    }
    if (origins.some((o) => !old.origins.includes(o))) widens = true;
    u.origins = origins;
    fields.push('origins');
  }
  if (changes.windows !== undefined) {
    const windows = [...new Set(changes.windows)];
    for (const w of windows) {
      const e = windowEntryError(w);
      if (e !== null) return fail('INVALID_REQUEST', `${old.label}: window entry ${JSON.stringify(w)}: ${e}`);
    }
    if (windows.some((w) => !old.windows.includes(w))) widens = true;
    u.windows = windows;
    fields.push('windows');
  }
  if (changes.policy !== undefined) {
    if (old.policy === 'confirm' && changes.policy === 'auto') widens = true;
    u.policy = changes.policy;
    fields.push('policy');
  }
  if (changes.sequence !== undefined) {
    if (changes.sequence !== null) {
      const seq = parseSequence(changes.sequence);
      if (!seq.ok) return fail(seq.code, `${old.label}: sequence: ${seq.message}`);
    }
    if (changes.sequence === null) delete u.sequence;
    else u.sequence = changes.sequence;
    fields.push('sequence');
  }
  if (changes.username !== undefined) {
    if (old.username !== undefined) replaces.push('username');
    if (changes.username === null) delete u.username;
    else u.username = Buffer.from(changes.username, 'utf8');
    fields.push('username');
  }
  if (changes.password !== undefined) {
    if (old.password !== undefined) replaces.push('password');
    if (changes.password === null) delete u.password;
    else u.password = Buffer.from(changes.password, 'utf8');
    fields.push('password');
  }
  if (changes.totp !== undefined) {
    if (old.totp !== undefined) replaces.push('totp');
    if (changes.totp === null) delete u.totp;
    else {
      const t = parseTotp(changes.totp);
      if (!t.ok) return fail(t.code, `${old.label}: ${t.message}`);
      u.totp = { secret: Buffer.from(t.value.secret, 'utf8'), digits: t.value.digits, period: t.value.period, algorithm: t.value.algorithm };
    }
    fields.push('totp');
  }
  if (changes.passkey !== undefined) {
    // Only removal: a passkey enters through add, import or create_passkey.
    if (old.passkey !== undefined) replaces.push('passkey');
    delete u.passkey;
    fields.push('passkey');
  }
  if (fields.length === 0) return fail('INVALID_REQUEST', 'nothing to change');
  return ok({ updated: u, widens, replaces, fields });
}

const ALPHABET = {
  lower: 'abcdefghijkmnopqrstuvwxyz',
  upper: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
  digits: '23456789',
  symbols: '!#$%&*+-=?@^_~',
};

/** A random password with every class present, drawn without modulo bias. */
export function generatePassword(length: number, random: (n: number) => Buffer): Buffer {
  const all = ALPHABET.lower + ALPHABET.upper + ALPHABET.digits + ALPHABET.symbols;
  const pick = (set: string): number => {
    const limit = 256 - (256 % set.length);
    for (;;) {
      const b = random(1)[0]!;
      if (b < limit) return set.charCodeAt(b % set.length);
    }
  };
  for (;;) {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = pick(all);
    const s = (set: string) => out.some((c) => set.includes(String.fromCharCode(c)));
    if (s(ALPHABET.lower) && s(ALPHABET.upper) && s(ALPHABET.digits) && s(ALPHABET.symbols)) return out;
    out.fill(0);
  }
}
