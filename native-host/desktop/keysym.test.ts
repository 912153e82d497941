import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { codePointsOf, codePointsOfString } from './codepoints.js';
import { keysymsFor } from './keysym.js';

describe('keysymsFor', () => {
  it.each([
    ['a', [0x61]],
    [' ', [0x20]],
    ['~', [0x7e]],
    ['é', [0xe9]],
    ['ÿ', [0xff]],
    ['Ж', [0x1000416, 0x6f6]], // Unicode keysym, then Cyrillic_ZHE
    ['€', [0x10020ac, 0x20ac]], // Unicode keysym, then EuroSign
    ['😀', [0x101f600]],
  ])('%s → %j', (ch, syms) => {
    expect(keysymsFor(ch.codePointAt(0)!)).toEqual(syms);
  });

  it('gives control characters and surrogates no keysym', () => {
    for (const cp of [0, 9, 10, 13, 27, 0x7f, 0x85, 0x9f, 0xd800, 0x110000, -1]) expect(keysymsFor(cp)).toEqual([]);
  });
});

describe('codePointsOf (UTF-8 without strings)', () => {
  it('decodes what Buffer.from(s, "utf8") encodes (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        const cps = codePointsOf(Buffer.from(s, 'utf8'));
        expect(cps && Array.from(cps)).toEqual([...s].map((c) => c.codePointAt(0)));
        expect(Array.from(codePointsOfString(s))).toEqual([...s].map((c) => c.codePointAt(0)));
      }),
    );
  });

  it.each([
    [[0xc0, 0x80]], // overlong
    [[0xe0, 0x80, 0x80]], // overlong
    [[0xed, 0xa0, 0x80]], // surrogate
    [[0xf4, 0x90, 0x80, 0x80]], // > U+10FFFF
    [[0xe2, 0x82]], // truncated
    [[0x80]], // stray continuation
    [[0xff]],
  ])('refuses invalid UTF-8 %j', (bytes) => {
    expect(codePointsOf(Uint8Array.from(bytes))).toBeNull();
  });
});
