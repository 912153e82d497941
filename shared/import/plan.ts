/**
 * From raw export entries to the credentials `add` will accept, and the entries it will
 * not, each with a reason. Pure; never puts a secret into a reason.
 *
 * - URLs become origins by CONTRACT §4: scheme, host and port of the URL (paths, queries
 *   and user info dropped). `http:` is importable only on loopback hosts; app URIs
 *   (android://, iosapp://) and other schemes are not web sites. A bare host name
 *   (`github.com`, as some managers store it) is taken as https.
 * - An entry with several URLs keeps those that are importable; it is skipped only when
 *   none is.
 * - Labels come from the entry's name: lower-cased, accents dropped, anything outside
 *   [a-z0-9._-] turned into `-`, made unique with -2, -3… against the vault's labels and
 *   the batch's own.
 * - Each credential is validated with the same code the daemon runs at `add`
 *   (normalizeCredential), so the one batch sent is all-or-nothing without surprises.
 */
import { type CredentialInput, CredentialInputSchema, LABEL_RE, normalizeCredential } from '../credential.js';
import { isLoopbackHost, normalizeOriginPattern } from '../origin.js';
import { parseTotp } from '../totp.js';
import type { RawEntry } from './types.js';

export interface Skipped {
  name: string;
  reason: string;
}

export interface ImportPlan {
  credentials: CredentialInput[];
  skipped: Skipped[];
  /** Per imported label: URLs that were dropped (origin-level descriptions only). */
  notes: string[];
}

type OriginResult = { ok: true; origin: string } | { ok: false; reason: string };

const APP_SCHEMES = new Set(['android:', 'androidapp:', 'ios:', 'iosapp:', 'app:']);

/** An export URL as an origin pattern, or why it cannot be one. */
export function urlToOrigin(raw: string): OriginResult {
  let s = raw.trim();
  if (s === '') return { ok: false, reason: 'no URL' };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(s);
  const looksHostPort = /^[^:/]+:\d+(\/|$)/.test(s);
  if (scheme && !looksHostPort) {
    const proto = `${scheme[1]!.toLowerCase()}:`;
    if (APP_SCHEMES.has(proto)) return { ok: false, reason: `app URI (${proto}//…), not a web site` };
    if (proto !== 'http:' && proto !== 'https:') return { ok: false, reason: `not a web URL (${proto})` };
  } else {
    if (!/^[^\s/?#]+\.[^\s/?#]+/.test(s) && !/^localhost(:\d+)?(\/|$)/i.test(s)) return { ok: false, reason: 'the URL is not a web address' };
    s = `https://${s}`;
  }
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return { ok: false, reason: 'the URL cannot be parsed' };
  }
  if (u.hostname === '') return { ok: false, reason: 'the URL has no host' };
  if (u.protocol === 'http:' && !isLoopbackHost(u.hostname)) {
    return { ok: false, reason: `http: site (${u.origin}): blindfill fills only over HTTPS` };
  }
  const n = normalizeOriginPattern(u.origin);
  if (!n.ok) return { ok: false, reason: `unusable URL (${u.origin})` };
  return { ok: true, origin: n.value };
}

/** The label an entry name maps to, before de-duplication. */
export function baseLabel(name: string, origin: string | undefined): string {
  const fromName = slug(name);
  if (fromName !== '') return fromName;
  if (origin !== undefined) {
    const host = origin.replace(/^[a-z]+:\/\/(\*\.)?/, '').replace(/:\d+$/, '');
    const h = slug(host);
    if (h !== '') return h;
  }
  return 'imported';
}

function slug(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '')
    .slice(0, 56)
    .replace(/[-._]+$/g, '');
}

/** `base`, else `base-2`, `base-3`… (kept within 64 characters). Adds the result to `taken`. */
export function uniqueLabel(base: string, taken: Set<string>): string {
  let label = base;
  for (let n = 2; taken.has(label); n++) {
    const suffix = `-${n}`;
    label = `${base.slice(0, 64 - suffix.length)}${suffix}`;
  }
  if (!LABEL_RE.test(label)) throw new Error('uniqueLabel produced an invalid label');
  taken.add(label);
  return label;
}

export function planImport(entries: readonly RawEntry[], existingLabels: Iterable<string>, onProgress?: (done: number, total: number) => void): ImportPlan {
  const taken = new Set(existingLabels);
  const plan: ImportPlan = { credentials: [], skipped: [], notes: [] };
  const total = entries.length;
  entries.forEach((e, i) => {
    planOne(e, taken, plan);
    onProgress?.(i + 1, total);
  });
  return plan;
}

function planOne(e: RawEntry, taken: Set<string>, plan: ImportPlan): void {
  const name = e.name.trim() === '' ? '(untitled)' : e.name.trim();
  const skip = (reason: string): void => {
    plan.skipped.push({ name, reason });
  };
  if (e.notImportable !== undefined) return skip(e.notImportable);

  const origins: string[] = [];
  const dropped: string[] = [];
  for (const url of e.urls) {
    const r = urlToOrigin(url);
    if (r.ok) {
      if (!origins.includes(r.origin)) origins.push(r.origin);
    } else dropped.push(r.reason);
  }
  // A passkey's rp id names its site when the entry has no URL of its own.
  if (origins.length === 0 && e.passkey !== undefined) {
    const r = urlToOrigin(`https://${e.passkey.rp_id}`);
    if (r.ok) origins.push(r.origin);
  }
  if (origins.length === 0 && !e.urlless) return skip(dropped[0] ?? 'no URL');

  const hasPassword = e.password !== undefined && e.password !== '';
  const hasTotp = e.totp !== undefined && e.totp.trim() !== '';
  if (!hasPassword && !hasTotp && e.passkey === undefined) return skip('no password, one-time code or passkey');
  if (hasTotp) {
    const t = parseTotp(e.totp!);
    if (!t.ok) return skip(`bad TOTP: ${t.message.replace(/^totp: /, '')}`);
    // otpauth:// URIs reach parseTotp without its length floor for bare seeds: apply it here.
    if (t.value.secret.length < 13) return skip('bad TOTP: the seed is shorter than 8 bytes');
  }

  const label = uniqueLabel(baseLabel(name === '(untitled)' ? '' : name, origins[0]), taken);
  const input: CredentialInput = { label };
  if (e.username !== undefined && e.username !== '') input.username = e.username;
  if (hasPassword) input.password = e.password!;
  if (hasTotp) input.totp = e.totp!.trim();
  if (origins.length > 0) input.origins = origins;
  if (e.passkey !== undefined) input.passkey = { ...e.passkey };
  const shape = CredentialInputSchema.safeParse(input);
  if (!shape.success) {
    taken.delete(label);
    const issue = shape.error.issues[0];
    return skip(issue ? `${issue.path.join('.') || 'entry'}: ${issue.message}` : 'invalid entry');
  }
  const n = normalizeCredential(input);
  if (!n.ok) {
    taken.delete(label);
    return skip(n.message.startsWith(`${label}: `) ? n.message.slice(label.length + 2) : n.message);
  }
  plan.credentials.push(input);
  if (dropped.length > 0) plan.notes.push(`${label}: ignored ${dropped.length} URL${dropped.length === 1 ? '' : 's'} (${dropped.join('; ')})`);
}
