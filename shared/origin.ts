/**
 * Origin patterns (CONTRACT §4): where a credential may be filled in a browser.
 * Pure: WHATWG URL parsing for hosts (punycode, case, full-width folding), the Public
 * Suffix List (tldts, private section included) for wildcard refusal. Never substring.
 */
import { getPublicSuffix } from 'tldts';
import { type Failure, fail, ok, type Result } from './errors.js';

export interface OriginPattern {
  /** Canonical text form: `https://host[:port]` or `https://*.host[:port]`. */
  readonly text: string;
  readonly scheme: 'https:' | 'http:';
  /** ASCII (punycode) host, without the `*.`; IPv6 in brackets. */
  readonly host: string;
  /** Explicit port, or '' for the scheme's default. */
  readonly port: string;
  readonly wildcard: boolean;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '[::1]') return true;
  if (IPV4.test(host)) return host.split('.')[0] === '127';
  return false;
}

function isIpHost(host: string): boolean {
  return IPV4.test(host) || host.startsWith('[');
}

/** Parse and validate one `origins` entry as given to `add`. */
export function parseOriginPattern(input: string): Result<OriginPattern> {
  if (typeof input !== 'string' || input.length === 0 || input.length > 300) {
    return fail('INVALID_REQUEST', 'an origin must be a non-empty string of at most 300 characters');
  }
  if (/[\s\\]/.test(input)) return fail('INVALID_REQUEST', `origin "${clip(input)}" contains whitespace or a backslash`);
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(\*\.)?([^/?#]*)\/?$/.exec(input);
  if (!m) {
    return fail('INVALID_REQUEST', `origin "${clip(input)}" must look like https://host[:port] (no path, query or fragment)`);
  }
  const scheme = `${m[1]!.toLowerCase()}:`;
  const wildcard = m[2] !== undefined;
  const authority = m[3]!;
  if (authority.includes('@')) return fail('INVALID_REQUEST', `origin "${clip(input)}" must not contain user info`);
  if (authority.includes('*')) return fail('INVALID_REQUEST', `origin "${clip(input)}": a wildcard is allowed only as a leading "*."`);
  if (scheme !== 'https:' && scheme !== 'http:') {
    return fail('INVALID_REQUEST', `origin "${clip(input)}": only https: (or http: on loopback) origins are allowed`);
  }
  let url: URL;
  try {
    url = new URL(`${scheme}//${authority}/`);
  } catch {
    return fail('INVALID_REQUEST', `origin "${clip(input)}" is not a valid URL origin`);
  }
  const host = url.hostname;
  if (host === '') return fail('INVALID_REQUEST', `origin "${clip(input)}" has no host`);
  if (scheme === 'http:' && !(isLoopbackHost(host) && !wildcard)) {
    return fail('INSECURE_ORIGIN', `origin "${clip(input)}": http: is allowed only for loopback hosts (localhost, 127.0.0.0/8, [::1])`);
  }
  if (wildcard) {
    if (isIpHost(host)) return fail('INVALID_REQUEST', `origin "${clip(input)}": a wildcard needs a domain name, not an IP address`);
    const suffix = getPublicSuffix(host, { allowPrivateDomains: true });
    if (suffix === null || suffix === host || !host.includes('.')) {
      return fail('INVALID_REQUEST', `origin "${clip(input)}": *.${host} would cover a public suffix; name the site itself`);
    }
  }
  const port = url.port;
  const text = `${scheme}//${wildcard ? '*.' : ''}${host}${port ? `:${port}` : ''}`;
  return ok({ text, scheme: scheme as 'https:' | 'http:', host, port, wildcard });
}

/** Canonical text of a pattern, or the failure explaining why it is refused. */
export function normalizeOriginPattern(input: string): Result<string> {
  const r = parseOriginPattern(input);
  return r.ok ? ok(r.value.text) : r;
}

export interface PageOrigin {
  readonly scheme: string;
  readonly host: string;
  readonly port: string;
  /** `scheme//host[:port]` as the browser would serialize it. */
  readonly origin: string;
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

export function patternMatches(p: OriginPattern, page: PageOrigin): boolean {
  if (p.scheme !== page.scheme || p.port !== page.port) return false;
  if (page.host === p.host) return true;
  return p.wildcard && page.host.endsWith(`.${p.host}`);
}

/**
 * May a credential with these origin patterns be filled on `url`?
 * ORIGIN_MISMATCH when no pattern matches; INSECURE_ORIGIN for a non-loopback http: page.
 */
export function checkOrigin(patterns: readonly string[], url: string): Result<PageOrigin> {
  const page = pageOrigin(url);
  if (page === null) return fail('ORIGIN_MISMATCH', `this page (${describeUrl(url)}) is not a web origin a credential can be filled on`);
  if (page.scheme === 'http:' && !isLoopbackHost(page.host)) {
    return fail('INSECURE_ORIGIN', `${page.origin} is not HTTPS; credentials are never filled on insecure pages`);
  }
  for (const text of patterns) {
    const p = parseOriginPattern(text);
    if (p.ok && patternMatches(p.value, page)) return ok(page);
  }
  return fail('ORIGIN_MISMATCH', `${page.origin} is not one of this credential's origins`);
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

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

export type { Failure };
