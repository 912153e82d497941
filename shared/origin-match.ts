/**
 * Origin matching (CONTRACT §4) without the Public Suffix List, for the page scripts.
 *
 * shared/origin.ts is the rule book: it validates patterns at `add` time, refusing a
 * wildcard over a public suffix (`*.github.io`) with tldts, whose PSL trie is ~170 kB of
 * code and data. The page scripts are re-injected into pages on demand and only need to
 * match patterns that were already validated: exact scheme, host (ASCII, after WHATWG URL
 * parsing) and port, plus the `*.` rule (the host itself or any subdomain of it). This
 * file is that matcher, with no dependency at all (only type imports), so the page
 * scripts stay small.
 *
 * It applies every rule of shared/origin.ts except the public-suffix check: on any pattern
 * origin.ts accepts it gives the same results (same codes, same messages); a pattern
 * origin.ts refuses for any other reason it refuses too (origin-match.test.ts compares
 * both, by table and by property). The public-suffix rule is enforced where the PSL is
 * at hand: at `add`, and in the service worker, which keeps only the patterns
 * origin.ts accepts before it selects frames or hands patterns to the filler.
 *
 * Pure: no I/O, no globals besides URL.
 */
import type { Failure, Result } from './errors.js';

export interface MatchPattern {
  /** Canonical text form: `https://host[:port]` or `https://*.host[:port]`. */
  readonly text: string;
  readonly scheme: 'https:' | 'http:';
  /** ASCII (punycode) host, without the `*.`; IPv6 in brackets. */
  readonly host: string;
  /** Explicit port, or '' for the scheme's default. */
  readonly port: string;
  readonly wildcard: boolean;
}

export interface PageOrigin {
  readonly scheme: string;
  readonly host: string;
  readonly port: string;
  /** `scheme//host[:port]` as the browser would serialize it. */
  readonly origin: string;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '[::1]') return true;
  if (IPV4.test(host)) return host.split('.')[0] === '127';
  return false;
}

export function isIpHost(host: string): boolean {
  return IPV4.test(host) || host.startsWith('[');
}

function refused(code: 'INVALID_REQUEST' | 'INSECURE_ORIGIN', message: string): Failure {
  return { ok: false, code, message };
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** The message for a wildcard that would cover a public suffix (also used by origin.ts). */
export const publicSuffixWildcard = (input: string, host: string): string =>
  `origin "${clip(input)}": *.${host} would cover a public suffix; name the site itself`;

/**
 * Parse and validate one origin pattern by every rule of CONTRACT §4 except the public
 * suffix check, which shared/origin.ts parseOriginPattern adds on top of this.
 */
export function parsePatternNoPsl(input: string): Result<MatchPattern> {
  if (typeof input !== 'string' || input.length === 0 || input.length > 300) {
    return refused('INVALID_REQUEST', 'an origin must be a non-empty string of at most 300 characters');
  }
  if (/[\s\\]/.test(input)) return refused('INVALID_REQUEST', `origin "${clip(input)}" contains whitespace or a backslash`);
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(\*\.)?([^/?#]*)\/?$/.exec(input);
  if (!m) {
    return refused('INVALID_REQUEST', `origin "${clip(input)}" must look like https://host[:port] (no path, query or fragment)`);
  }
  const scheme = `${m[1]!.toLowerCase()}:`;
  const wildcard = m[2] !== undefined;
  const authority = m[3]!;
  if (authority.includes('@')) return refused('INVALID_REQUEST', `origin "${clip(input)}" must not contain user info`);
  if (authority.includes('*')) return refused('INVALID_REQUEST', `origin "${clip(input)}": a wildcard is allowed only as a leading "*."`);
  if (scheme !== 'https:' && scheme !== 'http:') {
    return refused('INVALID_REQUEST', `origin "${clip(input)}": only https: (or http: on loopback) origins are allowed`);
  }
  let url: URL;
  try {
    url = new URL(`${scheme}//${authority}/`);
  } catch {
    return refused('INVALID_REQUEST', `origin "${clip(input)}" is not a valid URL origin`);
  }
  const host = url.hostname;
  if (host === '') return refused('INVALID_REQUEST', `origin "${clip(input)}" has no host`);
  if (hasEmptyLabel(host)) {
    return refused('INVALID_REQUEST', `origin "${clip(input)}": the host has an empty label (a trailing dot names a different host); write it without the dot`);
  }
  if (scheme === 'http:' && !(isLoopbackHost(host) && !wildcard)) {
    return refused('INSECURE_ORIGIN', `origin "${clip(input)}": http: is allowed only for loopback hosts (localhost, 127.0.0.0/8, [::1])`);
  }
  if (wildcard) {
    if (isIpHost(host)) return refused('INVALID_REQUEST', `origin "${clip(input)}": a wildcard needs a domain name, not an IP address`);
    // A single label is a public suffix whatever the list says (`*.com`, `*.localhost`).
    if (!host.includes('.')) return refused('INVALID_REQUEST', publicSuffixWildcard(input, host));
  }
  const port = url.port;
  const text = `${scheme}//${wildcard ? '*.' : ''}${host}${port ? `:${port}` : ''}`;
  return { ok: true, value: { text, scheme: scheme as 'https:' | 'http:', host, port, wildcard } };
}

/** parsePatternNoPsl without the reason: null when refused. */
export function parseMatchPattern(input: string): MatchPattern | null {
  const r = parsePatternNoPsl(input);
  return r.ok ? r.value : null;
}

/**
 * `host.` (trailing dot), `.host` and `a..b`: DNS treats `host.` as `host`, but browsers
 * give it its own origin, and the public-suffix check does not see `com.` as `com`. Such
 * a host is refused in patterns and matches nothing as a page: never normalised, so no
 * pattern written for `host` reaches a page on `host.` and back.
 */
export function hasEmptyLabel(host: string): boolean {
  return !host.startsWith('[') && host.split('.').includes('');
}

/** Parse the URL the browser reports for a page or frame. Only http(s) pages are candidates. */
export function pageOrigin(url: string): PageOrigin | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  if (u.hostname === '') return null;
  return { scheme: u.protocol, host: u.hostname, port: u.port, origin: u.origin };
}

/** Exact scheme and port; exact host, or (wildcard) a subdomain of it. Never a substring. */
export function patternMatches(p: MatchPattern, page: PageOrigin): boolean {
  if (p.scheme !== page.scheme || p.port !== page.port) return false;
  if (hasEmptyLabel(page.host) || hasEmptyLabel(p.host)) return false;
  if (page.host === p.host) return true;
  return p.wildcard && page.host.endsWith(`.${p.host}`);
}

function refuse(code: 'ORIGIN_MISMATCH' | 'INSECURE_ORIGIN', message: string): Failure {
  return { ok: false, code, message };
}

/**
 * May a credential with these origin patterns be filled on `url`? ORIGIN_MISMATCH when no
 * pattern matches; INSECURE_ORIGIN for a non-loopback http: page. `parse` decides which
 * patterns count (shared/origin.ts passes its PSL-checking parser).
 */
export function checkOriginWith(patterns: readonly string[], url: string, parse: (text: string) => MatchPattern | null): Result<PageOrigin> {
  const page = pageOrigin(url);
  if (page === null) return refuse('ORIGIN_MISMATCH', `this page (${describeUrl(url)}) is not a web origin a credential can be filled on`);
  if (page.scheme === 'http:' && !isLoopbackHost(page.host)) {
    return refuse('INSECURE_ORIGIN', `${page.origin} is not HTTPS; credentials are never filled on insecure pages`);
  }
  for (const text of patterns) {
    const p = parse(text);
    if (p !== null && patternMatches(p, page)) return { ok: true, value: page };
  }
  return refuse('ORIGIN_MISMATCH', `${page.origin} is not one of this credential's origins`);
}

/** checkOriginWith for patterns already validated at `add` (the page scripts' check). */
export function checkOrigin(patterns: readonly string[], url: string): Result<PageOrigin> {
  return checkOriginWith(patterns, url, parseMatchPattern);
}

/** Scheme and host only, for messages: never a path or query (they may hold tokens). */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.protocol === 'http:' || u.protocol === 'https:') return u.origin;
    return u.protocol;
  } catch {
    return 'an unparsable URL';
  }
}
