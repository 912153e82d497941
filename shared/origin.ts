/**
 * Origin patterns (CONTRACT §4): where a credential may be filled in a browser.
 * Pure: WHATWG URL parsing for hosts (punycode, case, full-width folding), the Public
 * Suffix List (tldts, private section included) for wildcard refusal. Never substring.
 *
 * Every rule but the public-suffix one lives in shared/origin-match.ts (which the page
 * scripts use without the PSL); this file adds the PSL check on top.
 */
import { getPublicSuffix } from 'tldts';
import { fail, ok, type Failure, type Result } from './errors.js';
import {
  checkOriginWith,
  describeUrl,
  isLoopbackHost,
  type MatchPattern,
  type PageOrigin,
  pageOrigin,
  parsePatternNoPsl,
  patternMatches,
  publicSuffixWildcard,
} from './origin-match.js';

export { describeUrl, isLoopbackHost, pageOrigin, patternMatches, type PageOrigin };
export type OriginPattern = MatchPattern;

/** Parse and validate one `origins` entry as given to `add`. */
export function parseOriginPattern(input: string): Result<OriginPattern> {
  const r = parsePatternNoPsl(input);
  if (!r.ok || !r.value.wildcard) return r;
  const host = r.value.host;
  const suffix = getPublicSuffix(host, { allowPrivateDomains: true });
  if (suffix === null || suffix === host) return fail('INVALID_REQUEST', publicSuffixWildcard(input, host));
  return r;
}

/** Canonical text of a pattern, or the failure explaining why it is refused. */
export function normalizeOriginPattern(input: string): Result<string> {
  const r = parseOriginPattern(input);
  return r.ok ? ok(r.value.text) : r;
}

/**
 * May a credential with these origin patterns be filled on `url`?
 * ORIGIN_MISMATCH when no pattern matches; INSECURE_ORIGIN for a non-loopback http: page.
 */
export function checkOrigin(patterns: readonly string[], url: string): Result<PageOrigin> {
  return checkOriginWith(patterns, url, (text) => {
    const p = parseOriginPattern(text);
    return p.ok ? p.value : null;
  });
}

export type { Failure };
