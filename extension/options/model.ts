/**
 * The settings form's rules, pure (no DOM): validate what the person typed with the same
 * code the CLI and daemon use (shared/), and turn it into an `add` or `update` request.
 * For an edit it also works out whether the change widens where the credential's secrets
 * may go (a new origin or window, or policy confirm → auto) exactly as the daemon does
 * (native-host/daemon/update.ts mergeUpdate), so the page can ask for the passphrase
 * before sending. The daemon decides; this only makes the flow usable.
 *
 * Error messages name the field and, for origins and windows, the offending entry; they
 * never contain a password, a username or a TOTP seed.
 */
import { windowEntryError } from '../../shared/window-entry.js';
import { type CredentialInput, type CredentialSummary, LABEL_RE, type Policy } from '../../shared/credential.js';
import type { ParamsOf } from '../../shared/settings-protocol.js';
import { normalizeOriginPattern } from '../../shared/origin.js';
import { parseSequence } from '../../shared/sequence.js';
import { parseTotp } from '../../shared/totp.js';

export type Changes = ParamsOf<'update'>['changes'];

/** What the form holds when Save is pressed. Empty strings mean "nothing typed". */
export interface FormValues {
  label: string;
  username: string;
  usernameClear: boolean;
  password: string;
  passwordGenerate: boolean;
  passwordClear: boolean;
  /** Typed otpauth:// URI or base32 seed, or the text read from a QR-code image. */
  totp: string;
  totpClear: boolean;
  /** Remove the stored passkey (it is never entered here: create_passkey or import). */
  passkeyClear?: boolean;
  /** One entry per row in the form (empty rows are ignored). */
  origins: string[];
  windows: string[];
  sequence: string;
  sequenceClear: boolean;
  policy: Policy;
}

/** Keys: label, username, password, totp, sequence, `origins.N`, `windows.N` (row N). */
export type FieldErrors = Record<string, string>;

export interface Widening {
  kind: 'origin' | 'window' | 'policy';
  /** The new origin or window, or "confirm → auto". */
  text: string;
}

export type Plan =
  | { kind: 'add'; credential: CredentialInput; generate: boolean }
  | {
      kind: 'update';
      label: string;
      changes: Changes;
      generate: boolean;
      widening: Widening[];
      /** Stored values the edit replaces or clears (re-authentication, like widening). */
      replacing: Array<'username' | 'password' | 'TOTP seed' | 'passkey'>;
    };

export type Checked = { ok: true; plan: Plan } | { ok: false; errors: FieldErrors };

export const LABEL_HINT = '1–64 characters: lowercase letters a–z, digits, dot, underscore, hyphen';
const MAX_ROWS = 100;

export function emptyForm(): FormValues {
  return {
    label: '',
    username: '',
    usernameClear: false,
    password: '',
    passwordGenerate: false,
    passwordClear: false,
    totp: '',
    totpClear: false,
    origins: [],
    windows: [],
    sequence: '',
    sequenceClear: false,
    policy: 'auto',
  };
}

/** Why a label is refused, or null. */
export function labelError(label: string, taken: readonly string[]): string | null {
  if (label === '') return 'A label is required.';
  if (!LABEL_RE.test(label)) return `Use ${LABEL_HINT}.`;
  if (taken.includes(label)) return `A credential labelled ${label} already exists.`;
  return null;
}

/** Why an origin row is refused (the CLI's own rules), or null. */
export function originError(text: string): string | null {
  const r = normalizeOriginPattern(text.trim());
  return r.ok ? null : sentence(r.message);
}

/** Why a window row is refused, or null. */
export function windowError(text: string): string | null {
  const w = text;
  if (w.length > 256) return 'A window title pattern is at most 256 characters.';
  const e = windowEntryError(w);
  return e === null ? null : sentence(e);
}

/** Why a typing sequence is refused (the desktop typer's own parser), or null. */
export function sequenceError(text: string): string | null {
  if (text.length > 1024) return 'A sequence is at most 1024 characters.';
  const r = parseSequence(text);
  return r.ok ? null : sentence(r.message.replace(/^sequence:\s*/, ''));
}

/** Why the TOTP text is refused, or null. The message never contains the text. */
export function totpError(text: string): string | null {
  const r = parseTotp(text);
  return r.ok ? null : sentence(r.message.replace(/^totp:\s*/, ''));
}

/** A short description of a TOTP setting, e.g. "6 digits every 30 s (SHA1)" — no seed. */
export function describeTotp(text: string): string | null {
  const r = parseTotp(text);
  return r.ok ? `${r.value.digits} digits every ${r.value.period} s (${r.value.algorithm})` : null;
}

function sentence(s: string): string {
  const t = s.trim();
  const up = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(up) ? up : `${up}.`;
}

interface Lists {
  origins: string[];
  windows: string[];
}

function checkCommon(v: FormValues, errors: FieldErrors): Lists {
  const origins: string[] = [];
  v.origins.forEach((raw, i) => {
    if (raw.trim() === '') return;
    const r = normalizeOriginPattern(raw.trim());
    if (!r.ok) errors[`origins.${i}`] = sentence(r.message);
    else if (!origins.includes(r.value)) origins.push(r.value);
  });
  if (origins.length > MAX_ROWS) errors['origins.0'] = `At most ${MAX_ROWS} origins.`;
  const windows: string[] = [];
  v.windows.forEach((raw, i) => {
    if (raw.trim() === '') return;
    const e = windowError(raw);
    if (e) errors[`windows.${i}`] = e;
    else if (!windows.includes(raw)) windows.push(raw);
  });
  if (windows.length > MAX_ROWS) errors['windows.0'] = `At most ${MAX_ROWS} windows.`;
  if (v.username.length > 1024) errors.username = 'A username is at most 1024 characters.';
  if (!v.passwordGenerate && !v.passwordClear && v.password.length > 4096) errors.password = 'A password is at most 4096 characters.';
  if (!v.totpClear && v.totp !== '') {
    const e = totpError(v.totp);
    if (e) errors.totp = e;
  }
  if (!v.sequenceClear && v.sequence !== '') {
    const e = sequenceError(v.sequence);
    if (e) errors.sequence = e;
  }
  return { origins, windows };
}

/** A new credential: `add` (then `generate` when asked). Adding is never widening. */
export function checkAdd(v: FormValues, taken: readonly string[]): Checked {
  const errors: FieldErrors = {};
  const le = labelError(v.label, taken);
  if (le) errors.label = le;
  const lists = checkCommon(v, errors);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const c: CredentialInput = { label: v.label, origins: lists.origins, windows: lists.windows, policy: v.policy };
  if (v.username !== '') c.username = v.username;
  if (!v.passwordGenerate && v.password !== '') c.password = v.password;
  if (v.totp !== '') c.totp = v.totp.trim();
  if (v.sequence !== '') c.sequence = v.sequence;
  return { ok: true, plan: { kind: 'add', credential: c, generate: v.passwordGenerate } };
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** An edit of `old`: only what changed goes into `changes`; empty secret inputs keep. */
export function checkEdit(v: FormValues, old: CredentialSummary): Checked {
  const errors: FieldErrors = {};
  const lists = checkCommon(v, errors);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const changes: Changes = {};
  const widening: Widening[] = [];
  if (!sameSet(lists.origins, old.origins)) {
    changes.origins = lists.origins;
    for (const o of lists.origins) if (!old.origins.includes(o)) widening.push({ kind: 'origin', text: o });
  }
  if (!sameSet(lists.windows, old.windows)) {
    changes.windows = lists.windows;
    for (const w of lists.windows) if (!old.windows.includes(w)) widening.push({ kind: 'window', text: w });
  }
  if (v.policy !== old.policy) {
    changes.policy = v.policy;
    if (old.policy === 'confirm' && v.policy === 'auto') widening.push({ kind: 'policy', text: 'confirm → auto' });
  }
  if (v.usernameClear) {
    if (old.has_username) changes.username = null;
  } else if (v.username !== '') changes.username = v.username;
  if (v.passwordClear) {
    if (old.has_password) changes.password = null;
  } else if (!v.passwordGenerate && v.password !== '') changes.password = v.password;
  if (v.totpClear) {
    if (old.has_totp) changes.totp = null;
  } else if (v.totp !== '') changes.totp = v.totp.trim();
  if (v.passkeyClear === true && old.has_passkey === true) changes.passkey = null;
  if (v.sequenceClear) changes.sequence = null;
  else if (v.sequence !== '') changes.sequence = v.sequence;
  const generate = v.passwordGenerate && !v.passwordClear;
  const replacing: Array<'username' | 'password' | 'TOTP seed' | 'passkey'> = [];
  if (changes.username !== undefined && old.has_username) replacing.push('username');
  if ((changes.password !== undefined || generate) && old.has_password) replacing.push('password');
  if (changes.totp !== undefined && old.has_totp) replacing.push('TOTP seed');
  if (changes.passkey === null) replacing.push('passkey');
  return { ok: true, plan: { kind: 'update', label: old.label, changes, generate, widening, replacing } };
}

/** Whether an update plan would change anything at all. */
export function isEmptyUpdate(p: Extract<Plan, { kind: 'update' }>): boolean {
  return Object.keys(p.changes).length === 0 && !p.generate;
}
