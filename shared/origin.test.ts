import { describe, expect, it } from 'vitest';
import { checkOrigin, normalizeOriginPattern } from './origin.js';

describe('origin patterns at add time', () => {
  it.each([
    ['https://github.com', 'https://github.com'],
    ['https://GitHub.COM/', 'https://github.com'],
    ['https://github.com:443', 'https://github.com'],
    ['https://github.com:8443', 'https://github.com:8443'],
    ['https://*.example.com', 'https://*.example.com'],
    ['https://bücher.example', 'https://xn--bcher-kva.example'],
    ['https://ｇｉｔｈｕｂ.com', 'https://github.com'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['http://127.0.0.1', 'http://127.0.0.1'],
    ['http://127.8.9.10:81', 'http://127.8.9.10:81'],
    ['http://[::1]:8080', 'http://[::1]:8080'],
    ['https://alice.github.io', 'https://alice.github.io'],
  ])('%s → %s', (input, want) => {
    const r = normalizeOriginPattern(input);
    expect(r.ok && r.value).toBe(want);
  });

  it.each([
    ['http://github.com', 'INSECURE_ORIGIN'],
    ['http://10.0.0.1', 'INSECURE_ORIGIN'],
    ['http://*.localhost', 'INSECURE_ORIGIN'],
    ['https://*.github.io', 'INVALID_REQUEST'],
    ['https://*.co.uk', 'INVALID_REQUEST'],
    ['https://*.com', 'INVALID_REQUEST'],
    ['https://*.127.0.0.1', 'INVALID_REQUEST'],
    ['https://git*.com', 'INVALID_REQUEST'],
    ['https://github.com/login', 'INVALID_REQUEST'],
    ['https://github.com?x=1', 'INVALID_REQUEST'],
    ['https://user@github.com', 'INVALID_REQUEST'],
    ['ftp://github.com', 'INVALID_REQUEST'],
    ['github.com', 'INVALID_REQUEST'],
    ['javascript:alert(1)', 'INVALID_REQUEST'],
    ['https://bank.test\\@evil.test', 'INVALID_REQUEST'],
    ['', 'INVALID_REQUEST'],
    // A trailing dot (or any empty label) names another host and hides a public suffix.
    ['https://*.com.', 'INVALID_REQUEST'],
    ['https://*.github.io.', 'INVALID_REQUEST'],
    ['https://*.co.uk.', 'INVALID_REQUEST'],
    ['https://github.com.', 'INVALID_REQUEST'],
    ['https://github.com%2E', 'INVALID_REQUEST'],
    ['https://github.com。', 'INVALID_REQUEST'],
    ['https://*.example.com.', 'INVALID_REQUEST'],
    ['https://a..example.com', 'INVALID_REQUEST'],
  ])('refuses %s with %s', (input, code) => {
    const r = normalizeOriginPattern(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe(code);
  });
});

describe('matching a page URL', () => {
  const gh = ['https://github.com'];
  it.each([
    [gh, 'https://github.com/login?return=/x', true],
    [gh, 'https://GITHUB.com/', true],
    [gh, 'https://github.com:443/', true],
    [gh, 'https://github.com./login', false], // trailing dot is another host
    [gh, 'https://github.com:8443/', false],
    [gh, 'https://gist.github.com/', false], // subdomain without a wildcard
    [gh, 'https://github.com.evil.test/', false],
    [gh, 'https://evilgithub.com/', false],
    [gh, 'https://github.com@evil.test/', false], // user info: the host is evil.test
    [gh, 'https://xn--gthub-n4a.com/', false], // gíthub
    [gh, 'https://gіthub.com/', false], // Cyrillic і
    [['https://*.example.com'], 'https://a.b.example.com/', true],
    [['https://*.example.com'], 'https://example.com/', true],
    [['https://*.example.com'], 'https://notexample.com/', false],
    [['https://alice.github.io'], 'https://bob.github.io/', false],
    [['http://localhost:3000'], 'http://localhost:3000/', true],
    [['http://localhost:3000'], 'https://localhost:3000/', false],
    [gh, 'blob:https://github.com/0c3c6a4e', false],
    [gh, 'data:text/html,<form>', false],
    [gh, 'about:blank', false],
    [gh, 'file:///etc/passwd', false],
    [gh, 'chrome://settings', false],
    [gh, 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/x.html', false],
    [gh, 'not a url', false],
    // A page host with a trailing dot matches nothing, whatever the stored pattern says
    // (a pattern saved before such patterns were refused, or an exact one ending in a dot).
    [['https://*.com.'], 'https://attacker.com./', false],
    [['https://*.github.io.'], 'https://attacker.github.io./', false],
    [['https://*.example.com'], 'https://a.example.com./', false],
    [['https://github.com.'], 'https://github.com./', false],
    [['https://github.com.'], 'https://github.com/', false],
  ])('%j on %s → %s', (patterns, url, want) => {
    expect(checkOrigin(patterns as string[], url as string).ok).toBe(want);
  });

  it('an http: page for an https: credential is INSECURE_ORIGIN', () => {
    const r = checkOrigin(gh, 'http://github.com/login');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('INSECURE_ORIGIN');
  });
  it('other mismatches are ORIGIN_MISMATCH and name only the origin', () => {
    const r = checkOrigin(gh, 'https://evil.test/login?token=SECRET123');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('ORIGIN_MISMATCH');
      expect(r.message).toContain('https://evil.test');
      expect(r.message).not.toContain('SECRET123');
    }
  });
});
