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

function isIpHost(host: string): boolean {
  return IPV4.test(host) || host.startsWith('[');
}

/**
 * Parse one origin pattern with every rule of shared/origin.ts's parseOriginPattern
 * except the public-suffix check; null when refused.
 */
export function parseMatchPattern(input: string): MatchPattern | null {
  if (typeof input !== 'string' || input.length === 0 || input.length > 300) return null;
  if (/[\s\\]/.test(input)) return null;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(\*\.)?([^/?#]*)\/?$/.exec(input);
  if (!m) return null;
  const scheme = `${m[1]!.toLowerCase()}:`;
  const wildcard = m[2] !== undefined;
  const authority = m[3]!;
  if (authority.includes('@') || authority.includes('*')) return null;
  if (scheme !== 'https:' && scheme !== 'http:') return null;
  let url: URL;
  try {
    url = new URL(`${scheme}//${authority}/`);
  } catch {
    return null;
  }
  const host = url.hostname;
  if (host === '') return null;
  if (scheme === 'http:' && !(isLoopbackHost(host) && !wildcard)) return null;
  // The PSL-free part of origin.ts's wildcard rule: a domain name with at least one dot.
  if (wildcard && (isIpHost(host) || !host.includes('.'))) return null;
  const port = url.port;
  const text = `${scheme}//${wildcard ? '*.' : ''}${host}${port ? `:${port}` : ''}`;
  return { text, scheme: scheme as 'https:' | 'http:', host, port, wildcard };
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
  if (page.host === p.host) return true;
  return p.wildcard && page.host.endsWith(`.${p.host}`);
}

function refuse(code: 'ORIGIN_MISMATCH' | 'INSECURE_ORIGIN', message: string): Failure {
  return { ok: false, code, message };
}

/**
 * May a credential with these (already validated) origin patterns be filled on `url`?
 * The same answer as shared/origin.ts checkOrigin on patterns origin.ts accepts:
 * ORIGIN_MISMATCH when no pattern matches; INSECURE_ORIGIN for a non-loopback http: page.
 */
export function checkOrigin(patterns: readonly string[], url: string): Result<PageOrigin> {
  const page = pageOrigin(url);
  if (page === null) return refuse('ORIGIN_MISMATCH', `this page (${describeUrl(url)}) is not a web origin a credential can be filled on`);
  if (page.scheme === 'http:' && !isLoopbackHost(page.host)) {
    return refuse('INSECURE_ORIGIN', `${page.origin} is not HTTPS; credentials are never filled on insecure pages`);
  }
  for (const text of patterns) {
    const p = parseMatchPattern(text);
    if (p !== null && patternMatches(p, page)) return { ok: true, value: page };
  }
  return refuse('ORIGIN_MISMATCH', `${page.origin} is not one of this credential's origins`);
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
