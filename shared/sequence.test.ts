import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_SEQUENCE, fieldsOf, MAX_DELAY_MS, parseSequence } from './sequence.js';

describe('parseSequence', () => {
  it('parses the KeePassXC default sequence', () => {
    const r = parseSequence(DEFAULT_SEQUENCE);
    expect(r).toEqual({
      ok: true,
      value: [
        { kind: 'field', field: 'username' },
        { kind: 'key', key: 'tab' },
        { kind: 'field', field: 'password' },
        { kind: 'key', key: 'enter' },
      ],
    });
  });

  it('keeps literal text between placeholders, case-insensitive names, delays', () => {
    const r = parseSequence('user: {username}{Tab}{DELAY 250}pin {TOTP}{ enter }');
    expect(r.ok && r.value).toEqual([
      { kind: 'text', text: 'user: ' },
      { kind: 'field', field: 'username' },
      { kind: 'key', key: 'tab' },
      { kind: 'delay', ms: 250 },
      { kind: 'text', text: 'pin ' },
      { kind: 'field', field: 'totp' },
      { kind: 'key', key: 'enter' },
    ]);
    expect(r.ok && [...fieldsOf(r.value)].sort()).toEqual(['totp', 'username']);
  });

  it('types literal braces with {{} and {}}', () => {
    const r = parseSequence('a{{}b{}}c');
    expect(r.ok && r.value).toEqual([{ kind: 'text', text: 'a{b}c' }]);
  });

  it('keeps non-BMP characters whole', () => {
    const r = parseSequence('😀{PASSWORD}');
    expect(r.ok && r.value[0]).toEqual({ kind: 'text', text: '😀' });
  });

  it.each([
    ['{FOO}', /unknown placeholder "\{FOO\}"/],
    ['{PASSWORD}{CLEARFIELD}', /unknown placeholder/],
    ['{USERNAME', /unclosed/],
    ['}', /unmatched/],
    ['{}', /unknown placeholder/],
    ['{DELAY}', /unknown placeholder/],
    ['{DELAY -1}', /unknown placeholder/],
    ['{DELAY 1.5}', /unknown placeholder/],
    [`{DELAY ${MAX_DELAY_MS + 1}}`, /longer than/],
    ['{DELAY 10000}'.repeat(7), /add up/],
    ['a\nb', /control character/],
    ['{PASSWORD}\t', /control character/],
    ['', /empty/],
  ])('refuses %j', (seq, msg) => {
    const r = parseSequence(seq);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('INVALID_REQUEST');
      expect(r.message).toMatch(msg);
    }
  });

  it('quotes only a short piece of an unknown placeholder', () => {
    const r = parseSequence(`{${'X'.repeat(200)}}`);
    expect(!r.ok && r.message.length).toBeLessThan(200);
  });

  it('never throws, and text steps reassemble the literal input (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
        const r = parseSequence(s);
        if (r.ok && !/[{}]/.test(s)) expect(r.value).toEqual([{ kind: 'text', text: s }]);
      }),
    );
  });
});
