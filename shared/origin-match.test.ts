/**
 * shared/origin-match.ts (the PSL-free matcher of the page scripts) against
 * shared/origin.ts (the rule book): on every pattern origin.ts accepts, the same parse
 * and the same checkOrigin answers (code and message); a pattern origin.ts refuses is
 * refused too, unless the only reason is the public-suffix rule.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as full from './origin.js';
import * as lite from './origin-match.js';

const PSL_REASON = /would cover a public suffix/;

/**
 * What origin.ts accepts parses identically; what it refuses is refused too, except a
 * wildcard over a dotted domain that origin.ts refused for the public suffix alone.
 */
function expectSameOrPslOnly(input: string): void {
  const f = full.parseOriginPattern(input);
  const l = lite.parseMatchPattern(input);
  if (f.ok) {
    expect(l).toEqual(f.value);
  } else if (l !== null) {
    expect(f.message).toMatch(PSL_REASON);
    expect(l.wildcard).toBe(true);
    expect(l.host).toContain('.');
  }
}

/** Full validation first (what the service worker does), then the PSL-free matcher. */
const liteOnValid = (patterns: readonly string[], url: string) => lite.checkOrigin(patterns.filter((p) => full.parseOriginPattern(p).ok), url);

const PATTERNS = [
  'https://github.com',
  'https://GitHub.COM/',
  'https://github.com:443',
  'https://github.com:8443',
  'https://*.example.com',
  'https://*.EXAMPLE.com:444',
  'https://bücher.example',
  'https://ｇｉｔｈｕｂ.com',
  'http://localhost:3000',
  'http://127.0.0.1',
  'http://127.8.9.10:81',
  'http://[::1]:8080',
  'https://[::1]',
  'https://alice.github.io',
  'https://*.alice.github.io',
  'https://*.example.co.uk',
  'https://10.0.0.1',
  // refused by both
  'http://github.com',
  'http://10.0.0.1',
  'http://*.localhost',
  'https://*.127.0.0.1',
  'https://*.[::1]',
  'https://*.localhost',
  'https://git*.com',
  'https://*.*.example.com',
  'https://github.com/login',
  'https://github.com?x=1',
  'https://github.com#x',
  'https://user@github.com',
  'ftp://github.com',
  'github.com',
  'javascript:alert(1)',
  'https://bank.test\\@evil.test',
  'https://github.com :443',
  'https://github.com:99999',
  'https://',
  'https://*.',
  'https://*.com.',
  'https://*.github.io.',
  'https://github.com.',
  'https://*.example.com.',
  'https://.example.com',
  'https://a..example.com',
  '',
  'x'.repeat(301),
  // refused by origin.ts only for the public suffix
  'https://*.github.io',
  'https://*.co.uk',
  'https://*.com',
  'https://*.appspot.com',
];

const URLS = [
  'https://github.com/login?return=/x',
  'https://GITHUB.com/',
  'https://github.com:443/',
  'https://github.com./login',
  'https://attacker.com./',
  'https://attacker.github.io./',
  'https://a.example.com./',
  'https://github.com:8443/',
  'https://gist.github.com/',
  'https://github.com.evil.test/',
  'https://evilgithub.com/',
  'https://github.com@evil.test/',
  'https://xn--gthub-n4a.com/',
  'https://gіthub.com/',
  'https://a.b.example.com/',
  'https://example.com/',
  'https://example.com:444/',
  'https://x.example.com:444/',
  'https://notexample.com/',
  'https://bob.github.io/',
  'https://alice.github.io/',
  'https://www.alice.github.io/',
  'https://shop.example.co.uk/',
  'https://xn--bcher-kva.example/',
  'http://localhost:3000/',
  'https://localhost:3000/',
  'http://127.0.0.1/',
  'http://127.8.9.10:81/',
  'http://[::1]:8080/',
  'https://[::1]/',
  'http://github.com/login',
  'http://10.0.0.1/',
  'https://10.0.0.1/',
  'blob:https://github.com/0c3c6a4e',
  'data:text/html,<form>',
  'about:blank',
  'file:///etc/passwd',
  'chrome://settings',
  'chrome-extension://abcdefghijklmnopabcdefghijklmnop/x.html',
  'null',
  'not a url',
  '',
];

describe('parseMatchPattern vs parseOriginPattern (table)', () => {
  it.each(PATTERNS)('%s', (input) => {
    const _f = full.parseOriginPattern(input);
    const _l = lite.parseMatchPattern(input);
    expectSameOrPslOnly(input);
  });

  it('the public-suffix cases are the only difference', () => {
    const differ = PATTERNS.filter((p) => !full.parseOriginPattern(p).ok && lite.parseMatchPattern(p) !== null);
    expect(differ).toEqual(['https://*.github.io', 'https://*.co.uk', 'https://*.appspot.com']);
  });
});

describe('checkOrigin vs shared/origin.ts (table)', () => {
  it.each(URLS)('%s, against each pattern and against all of them', (url) => {
    for (const p of PATTERNS) {
      expect(liteOnValid([p], url)).toEqual(full.checkOrigin([p], url));
      if (full.parseOriginPattern(p).ok) expect(lite.checkOrigin([p], url)).toEqual(full.checkOrigin([p], url));
    }
    expect(liteOnValid(PATTERNS, url)).toEqual(full.checkOrigin(PATTERNS, url));
    expect(lite.checkOrigin([], url)).toEqual(full.checkOrigin([], url));
  });

  it('describeUrl is the same', () => {
    for (const u of URLS) expect(lite.describeUrl(u)).toBe(full.describeUrl(u));
  });
});

// ---------------------------------------------------------------------------
// Properties: patterns and URLs assembled from parts that stress the rules.

const LABELS = ['example', 'com', 'github', 'io', 'co', 'uk', 'appspot', 'localhost', 'a', 'B', 'xn--bcher-kva', 'bücher', 'ｇｉｔｈｕｂ', 'test', 'evil', '127', '0', '1', '', '*', 'git*', 'x_y', '-a', 'a-'];
const label = fc.constantFrom(...LABELS);
const domain = fc.array(label, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('.'));
const ipHost = fc.constantFrom('127.0.0.1', '127.8.9.10', '10.0.0.1', '[::1]', '[::2]', '0x7f.1', '127.1', '256.0.0.1');
const host = fc.oneof({ weight: 4, arbitrary: domain }, { weight: 1, arbitrary: ipHost });
const port = fc.constantFrom('', ':443', ':80', ':8443', ':3000', ':0', ':65535', ':65536', ':', ':x');
const scheme = fc.constantFrom('https', 'http', 'HTTPS', 'Http', 'ftp', 'javascript', 'h+t');
const plausibleLabel = fc.constantFrom('example', 'com', 'github', 'io', 'co', 'uk', 'appspot', 'localhost', 'a', 'B', 'bücher', 'test');
const plausibleHost = fc.oneof(
  { weight: 4, arbitrary: fc.array(plausibleLabel, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('.')) },
  { weight: 1, arbitrary: ipHost },
);
const patternArb = fc.oneof(
  // mostly patterns origin.ts accepts (or refuses only for the public suffix)
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom('https', 'http'), fc.boolean(), plausibleHost, fc.constantFrom('', '', ':8443', ':3000')).map(([s, w, h, p]) => `${s}://${w ? '*.' : ''}${h}${p}`) },
  { weight: 6, arbitrary: fc.tuple(scheme, fc.boolean(), host, port, fc.constantFrom('', '', '/', '/x', '?q', '#f', ' ', '\\', '@h')).map(([s, w, h, p, tail]) => `${s}://${w ? '*.' : ''}${h}${p}${tail}`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);
const urlArb = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom('https', 'http'), plausibleHost, fc.constantFrom('', ':8443', ':3000', ':443')).map(([s, h, p]) => `${s}://${h}${p}/login`) },
  { weight: 6, arbitrary: fc.tuple(scheme, host, port, fc.constantFrom('/', '/login?x=1', '', '#frag', '@evil.test/')).map(([s, h, p, path]) => `${s}://${h}${p}${path}`) },
  { weight: 1, arbitrary: fc.constantFrom(...URLS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);

/** A page URL near one of these patterns: its host, a subdomain, a look-alike, another port or scheme. */
function nearUrl(patterns: string[]): fc.Arbitrary<string> {
  const valid = patterns.filter((p) => full.parseOriginPattern(p).ok);
  const pick = valid.length > 0 ? valid : patterns;
  if (pick.length === 0) return urlArb;
  return fc
    .tuple(
      fc.constantFrom(...pick),
      fc.constantFrom('', '', '', 'www.', 'a.b.', 'evil', 'x-'),
      fc.constantFrom('', '', '', '', '.evil.test', '.'),
      fc.constantFrom(null, null, null, null, '', ':8443', ':443'),
      fc.constantFrom(false, false, false, true),
    )
    .map(([p, pre, post, port, flip]) => {
      const m = /^([a-zA-Z][^:]*):\/\/(\*\.)?([^/:?#]*|\[[^\]]*\])(:[^/?#]*)?/.exec(p);
      if (!m) return p;
      const sch = flip ? (m[1]!.toLowerCase() === 'https' ? 'http' : 'https') : m[1]!;
      return `${sch}://${pre}${m[3]}${post}${port ?? m[4] ?? ''}/login?next=%2F`;
    });
}

describe('properties', () => {
  it('every pattern origin.ts accepts parses identically; any other is refused unless only the PSL refused it', () => {
    fc.assert(
      fc.property(patternArb, (input) => {
        expectSameOrPslOnly(input);
      }),
      { numRuns: 5000 },
    );
  });

  it('checkOrigin gives the same answer on the patterns origin.ts accepts', () => {
    let matched = 0;
    fc.assert(
      fc.property(fc.array(patternArb, { minLength: 1, maxLength: 4 }).chain((ps) => fc.tuple(fc.constant(ps), fc.oneof({ weight: 1, arbitrary: urlArb }, { weight: 3, arbitrary: nearUrl(ps) }))), ([patterns, url]) => {
        const want = full.checkOrigin(patterns, url);
        if (want.ok) matched++;
        expect(liteOnValid(patterns, url)).toEqual(want);
      }),
      { numRuns: 5000 },
    );
    expect(matched).toBeGreaterThan(150); // the generators do reach matching pages
  });

  it('a page under a valid pattern: subdomains match only a wildcard, look-alikes never', () => {
    fc.assert(
      fc.property(fc.tuple(fc.constantFrom('https', 'http'), fc.boolean(), host, port), label, fc.constantFrom('.', '', '-'), ([s, w, h, p], sub, sep) => {
        const pattern = `${s}://${w ? '*.' : ''}${h}${p}`;
        if (!full.parseOriginPattern(pattern).ok) return;
        for (const url of [`${s}://${h}${p}/`, `${s}://${sub}${sep}${h}${p}/`, `${s}://${h}.${sub}${p}/`]) {
          expect(lite.checkOrigin([pattern], url)).toEqual(full.checkOrigin([pattern], url));
        }
      }),
      { numRuns: 3000 },
    );
  });
});
