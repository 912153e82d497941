import { describe, expect, it } from 'vitest';
import { effectiveRpId, passkeyOriginOk, rpIdAllowed } from './passkey.js';

describe('rpIdAllowed (WebAuthn L3 §5.1.3, PSL with private domains)', () => {
  it.each([
    ['https://example.com', 'example.com', true],
    ['https://login.example.com', 'example.com', true],
    ['https://login.example.com:8443', 'login.example.com', true],
    ['https://a.b.example.co.uk', 'example.co.uk', true],
    ['https://example.com', 'login.example.com', false],
    ['https://example.com.evil.test', 'example.com', false],
    ['https://evilexample.com', 'example.com', false],
    ['https://example.com', 'com', false],
    ['https://alice.github.io', 'github.io', false],
    ['https://alice.github.io', 'alice.github.io', true],
    ['https://example.co.uk', 'co.uk', false],
    ['https://127.0.0.1', '127.0.0.1', true],
    ['https://1.127.0.0.1', '0.0.1', false],
    ['https://example.com', 'EXAMPLE.com', false],
    ['https://example.com', 'example.com:443', false],
    ['https://example.com', '', false],
    ['https://xn--bcher-kva.example', 'bücher.example', false],
    ['https://xn--bcher-kva.example', 'xn--bcher-kva.example', true],
  ])('%s may use %s: %s', (origin, rp, want) => {
    expect(rpIdAllowed(origin, rp)).toBe(want);
  });
  it('takes the effective domain when the page names no rp id', () => {
    expect(effectiveRpId('https://login.example.com:8443', undefined)).toBe('login.example.com');
  });
  it('https only, loopback http excepted', () => {
    expect(passkeyOriginOk('https://example.com').ok).toBe(true);
    expect(passkeyOriginOk('http://localhost:3000').ok).toBe(true);
    const r = passkeyOriginOk('http://example.com');
    expect(r.ok ? null : r.code).toBe('INSECURE_ORIGIN');
  });
});
