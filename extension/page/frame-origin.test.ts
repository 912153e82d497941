import { describe, expect, it } from 'vitest';
import * as real from '../../shared/errors.js';
import * as lite from './errors-lite.js';
import { checkFrame } from './frame-origin.js';

const P = ['https://example.com', 'https://*.example.org', 'http://127.0.0.1:8080'];

describe('checkFrame', () => {
  it.each([
    [{ origin: 'https://example.com', protocol: 'https:', ancestors: [] }, true],
    [{ origin: 'https://a.example.org', protocol: 'https:', ancestors: ['https://example.com'] }, true],
    [{ origin: 'http://127.0.0.1:8080', protocol: 'http:', ancestors: [] }, true],
    [{ origin: 'https://example.com', protocol: 'https:', ancestors: ['https://evil.example'] }, false],
    [{ origin: 'https://example.com', protocol: 'https:', ancestors: ['https://evil.example', 'https://example.com'] }, false],
    [{ origin: 'https://example.com', protocol: 'https:', ancestors: ['null'] }, false],
    [{ origin: 'null', protocol: 'https:', ancestors: [] }, false],
    [{ origin: 'https://example.com', protocol: 'about:', ancestors: ['https://example.com'] }, false],
    [{ origin: 'https://example.com', protocol: 'blob:', ancestors: [] }, false],
    [{ origin: 'https://example.com.evil.example', protocol: 'https:', ancestors: [] }, false],
    [{ origin: 'https://example.com:444', protocol: 'https:', ancestors: [] }, false],
    [{ origin: 'http://example.com', protocol: 'http:', ancestors: [] }, false],
  ])('%j → %s', (frame, expected) => {
    expect(checkFrame(P, frame).ok).toBe(expected);
  });

  it('INSECURE_ORIGIN for a non-loopback http frame', () => {
    expect(checkFrame(['https://example.com'], { origin: 'http://example.com', protocol: 'http:', ancestors: [] })).toMatchObject({ ok: false, code: 'INSECURE_ORIGIN' });
  });
});

describe('errors-lite (the zod-free stand-in bundled into page scripts)', () => {
  it('fail() and ok() behave like shared/errors.ts', () => {
    expect(lite.fail('ORIGIN_MISMATCH', 'm')).toEqual(real.fail('ORIGIN_MISMATCH', 'm'));
    expect(lite.ok({ a: 1 })).toEqual(real.ok({ a: 1 }));
  });
});
