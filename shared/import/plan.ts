/**
 * From raw export entries to the credentials `add` will accept, and the entries it will
 * not, each with a reason. Pure; never puts a secret into a reason, a note or a label.
 *
 * - URLs become origins by CONTRACT §4: scheme, host and port of the URL (paths, queries
 *   and user info dropped). `http:` is importable only on loopback hosts; app URIs
 *   (android://, iosapp://) and other schemes are not web sites. A bare host name
 *   (`github.com`, as some managers store it) is taken as https.
 * - A site's own name (`example.com`) or its `www.` host becomes `https://*.example.com`
 *   (the site and its subdomains, where logins often move), unless the registrable domain
 *   is a public suffix (then the exact origin stays) or `exactOrigins` is set. Other
 *   subdomains (`accounts.google.com`) stay exact.
 * - An entry with several URLs keeps those that are importable; it is skipped only when
 *   none is.
 * - A TOTP blindfill cannot use (Steam's `steam://`, a bad seed, HOTP) is left out and the
 *   login imported without it, with a note; an entry with nothing else is skipped.
 * - Labels: the site's name and the words of the entry's title that are not the site's
 *   (`google-work` for "Google (work)" on accounts.google.com), IDN hosts in readable
 *   letters; when that is taken, the entry's folder or group, then its subdomain, then
 *   (only with `labelWithUsername`) the username's local part, then -2, -3…. No word of
 *   the username (unless asked) or of the password is ever used.
 * - The same login twice in one file (same origins, username, password and TOTP) is
 *   imported once.
 * - Each credential is validated with the same code the daemon runs at `add`
 *   (normalizeCredential), so the one batch sent is all-or-nothing without surprises.
 */
import { parse as parseHost } from 'tldts';
import { type CredentialInput, CredentialInputSchema, LABEL_RE, normalizeCredential } from '../credential.js';
import { isLoopbackHost, normalizeOriginPattern } from '../origin.js';
import { parseTotp } from '../totp.js';
import { type Site, siteOf, slug, words } from './site-name.js';
import type { RawEntry } from './types.js';

export interface Skipped {
  name: string;
  reason: string;
}

export interface ImportPlan {
  credentials: CredentialInput[];
  skipped: Skipped[];
  /** Per imported label: URLs that were dropped, a TOTP left out (descriptions only). */
  notes: string[];
}

export interface ImportOptions {
  /** Use the username's local part to tell labels apart (off unless the person asks). */
  labelWithUsername?: boolean;
  /** Keep each URL's exact origin (no `*.site` for bare and `www.` hosts). */
  exactOrigins?: boolean;
}

/** An importable entry before it has a label. */
export interface PreparedEntry {
  name: string;
  credential: Omit<CredentialInput, 'label'>;
  /** The exact origins the URLs named, before any `*.` widening (for duplicate checks). */
  exactOrigins: string[];
  group?: string;
  /** Notes without the label in front. */
  notes: string[];
}

export interface Prepared {
  entries: PreparedEntry[];
  skipped: Skipped[];
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

/**
 * `https://*.site` for an origin on the site's registrable domain itself or its `www.`
 * host, when the Public Suffix List (private section included) lets that domain carry a
 * wildcard; otherwise the origin unchanged.
 */
export function siteWideOrigin(origin: string): string {
  const m = /^https:\/\/([^/*:[\]]+)(:\d+)?$/.exec(origin);
  if (!m) return origin;
  const host = m[1]!;
  const p = parseHost(host, { allowPrivateDomains: true });
  if (p.isIp || p.domain === null || p.domain === '') return origin;
  if (host !== p.domain && host !== `www.${p.domain}`) return origin;
  const wide = normalizeOriginPattern(`https://*.${p.domain}${m[2] ?? ''}`);
  return wide.ok ? wide.value : origin;
}

/** Why a TOTP from an export cannot be used, or null when it can. */
export function totpProblem(totp: string): string | null {
  const s = totp.trim();
  if (/^steam:\/\//i.test(s)) return 'Steam Guard codes (steam://) are not supported';
  if (/^otpauth:\/\/hotp\//i.test(s)) return 'counter-based (HOTP) codes are not supported';
  const t = parseTotp(s);
  if (!t.ok) return t.message.replace(/^totp: /, '');
  // otpauth:// URIs reach parseTotp without its length floor for bare seeds: apply it here.
  if (t.value.secret.length < 13) return 'the seed is shorter than 8 bytes';
  return null;
}

/** The label an entry name maps to when it has no site, before de-duplication. */
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

export function planImport(
  entries: readonly RawEntry[],
  existingLabels: Iterable<string>,
  onProgress?: (done: number, total: number) => void,
  opts: ImportOptions = {},
): ImportPlan {
  const prepared = prepareImport(entries, opts, onProgress);
  const plan = labelImport(prepared.entries, existingLabels, opts);
  plan.skipped.push(...prepared.skipped);
  return plan;
}

/** Origins, TOTP and validation, everything but labels. */
export function prepareImport(entries: readonly RawEntry[], opts: ImportOptions = {}, onProgress?: (done: number, total: number) => void): Prepared {
  const out: Prepared = { entries: [], skipped: [] };
  const seen = new Map<string, string>();
  const total = entries.length;
  entries.forEach((e, i) => {
    const p = prepareOne(e, opts, out.skipped);
    if (p !== null) {
      // Same login twice in the file: the later one is dropped (the key lives only here).
      const key = JSON.stringify([[...p.exactOrigins].sort(), p.credential.username ?? '', p.credential.password ?? '', p.credential.totp ?? '']);
      const first = seen.get(key);
      if (first !== undefined) out.skipped.push({ name: p.name, reason: `the same login as "${first}" earlier in this file` });
      else {
        seen.set(key, p.name);
        out.entries.push(p);
      }
    }
    onProgress?.(i + 1, total);
  });
  return out;
}

function prepareOne(e: RawEntry, opts: ImportOptions, skipped: Skipped[]): PreparedEntry | null {
  const name = e.name.trim() === '' ? '(untitled)' : e.name.trim();
  const skip = (reason: string): null => {
    skipped.push({ name, reason });
    return null;
  };
  if (e.notImportable !== undefined) return skip(e.notImportable);

  const exact: string[] = [];
  const dropped: string[] = [];
  for (const url of e.urls) {
    const r = urlToOrigin(url);
    if (r.ok) {
      if (!exact.includes(r.origin)) exact.push(r.origin);
    } else dropped.push(r.reason);
  }
  // A passkey's rp id names its site when the entry has no URL of its own.
  if (exact.length === 0 && e.passkey !== undefined) {
    const r = urlToOrigin(`https://${e.passkey.rp_id}`);
    if (r.ok) exact.push(r.origin);
  }
  if (exact.length === 0 && !e.urlless) return skip(dropped[0] ?? 'no URL');
  const origins = opts.exactOrigins ? [...exact] : [...new Set(exact.map(siteWideOrigin))];

  const notes: string[] = [];
  const hasPassword = e.password !== undefined && e.password !== '';
  let totp = e.totp !== undefined && e.totp.trim() !== '' ? e.totp.trim() : undefined;
  if (totp !== undefined) {
    const problem = totpProblem(totp);
    if (problem !== null) {
      if (!hasPassword && e.passkey === undefined) return skip(`bad TOTP: ${problem}`);
      notes.push(`imported without its one-time code (${problem})`);
      totp = undefined;
    }
  }
  if (!hasPassword && totp === undefined && e.passkey === undefined) return skip('no password, one-time code or passkey');

  const credential: Omit<CredentialInput, 'label'> = {};
  if (e.username !== undefined && e.username !== '') credential.username = e.username;
  if (hasPassword) credential.password = e.password!;
  if (totp !== undefined) credential.totp = totp;
  if (origins.length > 0) credential.origins = origins;
  if (e.passkey !== undefined) credential.passkey = { ...e.passkey };
  // Validate with a stand-in label: the real one is chosen later.
  const input = { label: 'x', ...credential };
  const shape = CredentialInputSchema.safeParse(input);
  if (!shape.success) {
    const issue = shape.error.issues[0];
    return skip(issue ? `${issue.path.join('.') || 'entry'}: ${issue.message}` : 'invalid entry');
  }
  const n = normalizeCredential(input);
  if (!n.ok) return skip(n.message.startsWith('x: ') ? n.message.slice(3) : n.message);
  if (dropped.length > 0) notes.push(`ignored ${dropped.length} URL${dropped.length === 1 ? '' : 's'} (${dropped.join('; ')})`);
  const p: PreparedEntry = { name, credential, exactOrigins: exact, notes };
  if (e.group !== undefined && e.group.trim() !== '') p.group = e.group.trim();
  return p;
}

/** Labels for prepared entries, unique against the vault's and each other. */
export function labelImport(entries: readonly PreparedEntry[], existingLabels: Iterable<string>, opts: ImportOptions = {}): ImportPlan {
  const taken = new Set(existingLabels);
  const plan: ImportPlan = { credentials: [], skipped: [], notes: [] };
  for (const p of entries) {
    const label = uniqueLabel(readableLabel(p, taken, opts), taken);
    plan.credentials.push({ label, ...p.credential });
    for (const n of p.notes) plan.notes.push(`${label}: ${n}`);
  }
  return plan;
}

const MAX_BASE = 56;

function joinLabel(parts: readonly string[]): string {
  let s = '';
  for (const w of parts) {
    const next = s === '' ? w : `${s}-${w}`;
    if (next.length > MAX_BASE) break;
    s = next;
  }
  return s.replace(/[-._]+$/g, '');
}

/** The base label: site + distinguishing words, extended while it is taken. */
function readableLabel(p: PreparedEntry, taken: ReadonlySet<string>, opts: ImportOptions): string {
  const origin = p.credential.origins?.[0];
  const site: Site | null = origin !== undefined ? siteOf(origin) : null;
  // The local part of an e-mail address names the person; its domain (gmail.com) does not.
  const userWords = p.credential.username !== undefined ? words(p.credential.username.replace(/@[^@]*$/, '')) : [];
  const allUserWords = new Set(userWords);
  const pw = p.credential.password !== undefined ? slug(p.credential.password) : '';
  const used = new Set<string>();
  const usable = (w: string, hostOk: boolean): boolean =>
    !used.has(w) &&
    (hostOk || !(site?.hostWords.has(w) ?? false)) &&
    !(opts.labelWithUsername !== true && allUserWords.has(w)) &&
    // A word that is the password, or a long piece of it, is never a label word.
    !(pw !== '' && (w === pw || (w.length >= 6 && pw.includes(w))));
  const take = (ws: readonly string[], max: number, hostOk = false): string[] => {
    const out: string[] = [];
    for (const w of ws) {
      if (out.length >= max) break;
      if (usable(w, hostOk)) {
        used.add(w);
        out.push(w);
      }
    }
    return out;
  };

  const title = take(words(p.name === '(untitled)' ? '' : p.name), 3);
  const parts = site !== null ? [site.name, ...title] : title;
  if (site !== null) used.add(site.name);
  if (parts.length === 0) {
    // No readable site and no title words: the host as it is (punycode included), else "imported".
    if (origin !== undefined) parts.push(...words(origin.replace(/^[a-z]+:\/\/(\*\.)?/, '').replace(/:\d+$/, '')).slice(0, 4));
    if (parts.length === 0) parts.push('imported');
  }
  let label = joinLabel(parts);
  const extras: [string[], boolean][] = [
    ...(opts.labelWithUsername === true ? [[userWords, false] as [string[], boolean]] : []),
    [p.group !== undefined ? words(p.group) : [], false],
    [site?.sub ?? [], true],
  ];
  for (const [ws, hostOk] of extras) {
    if (!taken.has(label)) break;
    const more = take(ws, 2, hostOk);
    if (more.length > 0) label = joinLabel([label, ...more]);
  }
  return label === '' ? 'imported' : label;
}
