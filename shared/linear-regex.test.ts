import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileLinearRegex, linearTest, MAX_PROGRAM } from './linear-regex.js';

const test = (src: string, text: string) => {
  const r = compileLinearRegex(src);
  if (!r.ok) throw new Error(r.message);
  return linearTest(r.value, text);
};

describe('linear-time window regex', () => {
  it.each([
    '^Acme VPN$',
    'Acme',
    'Log(in|on) - (Acme|Initech)',
    '^a*b+c?$',
    '[A-Z][a-z]+ \\d{2,4}',
    '[^x]y',
    '\\w+\\s\\W',
    'a.c',
    '^$',
    '(?:ab)*$',
    'x{3}',
    'x{2,}',
    '\\.\\(\\)\\/',
    '[\\d-]+',
    '[]',
    '[^]',
    'a|',
    '\\x41\\u0042',
    'a+?b*?',
    '(a|ab)(c|bcd)(d*)',
  ])('agrees with RegExp on %j', (src) => {
    const js = new RegExp(src);
    const texts = ['', 'Acme VPN', 'Acme VPN 2', 'Login - Acme', 'Logon - Initech', 'aaabbc', 'ac', 'b', 'Title 2024', 'zy', 'xy', 'foo_1 !', 'abc', 'a\nc', 'abab', 'xxx', 'xx', '.()/', '12-3', 'AB', 'abcd', 'aab'];
    for (const t of texts) expect(test(src, t), `${src} on ${JSON.stringify(t)}`).toBe(js.test(t));
  });

  it('agrees with RegExp on random patterns and titles from a small alphabet', () => {
    const atom = fc.constantFrom('a', 'b', '.', '[ab]', '[^a]', '(a|b)', '(ab)', '^', '$');
    const quant = fc.constantFrom('', '', '*', '+', '?', '{2}', '{1,2}');
    const pattern = fc.array(fc.tuple(atom, quant), { minLength: 1, maxLength: 6 }).map((parts) =>
      parts.map(([a, q]) => ((a === '^' || a === '$') ? a : a + q)).join(''),
    );
    fc.assert(
      fc.property(pattern, fc.stringMatching(/^[abc]{0,8}$/), (src, text) => {
        expect(test(src, text)).toBe(new RegExp(src).test(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses what needs backtracking or is not supported', () => {
    for (const src of ['(?=a)', '(?!a)', '(?<=a)', '(?<n>a)', '(a)\\1', '\\b', '\\p{L}', 'a**', '(', ')', '[a', 'a{', '{1}', '*a', 'x{101}', 'x{3,2}', '\\', '\\q', '\\01']) {
      expect(compileLinearRegex(src), src).toMatchObject({ ok: false, code: 'INVALID_REQUEST' });
    }
  });

  it('refuses patterns that would compile too large', () => {
    expect(compileLinearRegex('(((a{100}){100}){100})')).toMatchObject({ ok: false, code: 'INVALID_REQUEST', message: expect.stringMatching(String(MAX_PROGRAM)) });
  });

  it('catastrophic patterns on crafted titles run in linear time', () => {
    const title = `${'a'.repeat(1024)}!`;
    const t0 = performance.now();
    for (const src of ['(a+)+$', '^(a|a)*$', '(a*)*b', '^(a|aa)+$', '(.*a){20}$', '^(\\w+\\s?)*$']) {
      expect(test(src, title)).toBe(false);
    }
    const ms = performance.now() - t0;
    // RegExp would take longer than the age of the universe on the first one.
    expect(ms).toBeLessThan(2000);
  });
});
