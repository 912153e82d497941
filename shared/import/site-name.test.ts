import { describe, expect, it } from 'vitest';
import { punycodeDecode, siteOf, slug, unicodeLabel } from './site-name.js';

describe('punycode', () => {
  it('decodes RFC 3492 labels', () => {
    expect(punycodeDecode('bcher-kva')).toBe('bücher');
    expect(punycodeDecode('mnchen-3ya')).toBe('münchen');
    expect(punycodeDecode('d1acufc')).toBe('домен');
    expect(punycodeDecode('wgv71a119e')).toBe('日本語');
    expect(unicodeLabel('xn--d1acufc')).toBe('домен');
    expect(unicodeLabel('plain')).toBe('plain');
  });
  it('answers null for malformed input, never throws', () => {
    for (const bad of ['!!', 'zzzzzzzzzzzzzzzzzzzzzzzz', 'é-abc', 'a-']) expect(() => punycodeDecode(bad)).not.toThrow();
    expect(punycodeDecode('é-abc')).toBeNull();
  });
});

describe('siteOf', () => {
  it('names the registrable domain without its suffix, subdomains apart, www dropped', () => {
    expect(siteOf('https://accounts.google.com')).toMatchObject({ name: 'google', sub: ['accounts'] });
    expect(siteOf('https://www.example.co.uk')).toMatchObject({ name: 'example', sub: [] });
    expect(siteOf('https://*.example.com')).toMatchObject({ name: 'example', sub: [] });
    expect(siteOf('https://alice.github.io')).toMatchObject({ name: 'alice' });
    expect(siteOf('https://127.0.0.1:8443')).toMatchObject({ name: '127.0.0.1' });
    expect(siteOf('http://localhost:3000')).toMatchObject({ name: 'localhost' });
  });
  it('gives IDN hosts readable names in label characters', () => {
    expect(siteOf('https://xn--bcher-kva.de')!.name).toBe('bucher');
    expect(siteOf('https://www.xn--mnchen-3ya.de')!.name).toBe('munchen');
    expect(siteOf('https://xn--d1acufc.xn--p1ai')!.name).toBe('domen');
    // Nothing readable in a-z: null, so the caller falls back to the title.
    expect(siteOf('https://xn--wgv71a119e.jp')).toBeNull();
  });
  it('slug transliterates and keeps label characters only', () => {
    expect(slug('Straße Ünïcode')).toBe('strasse-unicode');
    expect(slug('Почта')).toBe('pochta');
    expect(slug('  --Work / Personal--  ')).toBe('work-personal');
  });
});
