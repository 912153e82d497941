import { describe, expect, it } from 'vitest';
import { originHint } from './origin-hint.js';

const msg = (o: string) => `${o} is not one of this credential's origins`;

describe('originHint', () => {
  it('suggests *.site for a page on the same registrable domain', () => {
    expect(originHint('shop', ['https://www.example.com'], msg('https://login.example.com'))).toBe(
      ' (it is the same site as https://www.example.com: the vault\'s owner may add "https://*.example.com" to shop\'s origins, with `blindfill edit shop --json-stdin` or in the settings page)',
    );
    expect(originHint('a', ['https://example.co.uk:8443'], msg('https://id.example.co.uk:8443'))).toContain('"https://*.example.co.uk:8443"');
    expect(originHint('a', ['https://alice.github.io'], msg('https://x.alice.github.io'))).toContain('"https://*.alice.github.io"');
  });
  it('suggests nothing for another site, another port, a public-suffix sibling or another message', () => {
    expect(originHint('a', ['https://www.example.com'], msg('https://example.evil.test'))).toBe('');
    expect(originHint('a', ['https://www.example.com'], msg('https://login.example.com:444'))).toBe('');
    expect(originHint('a', ['https://alice.github.io'], msg('https://bob.github.io'))).toBe('');
    expect(originHint('a', ['https://www.example.com'], 'the page changed since it was checked (https://login.example.com)')).toBe('');
    expect(originHint('a', ['http://localhost:3000'], msg('http://localhost:3001'))).toBe('');
  });
});
