import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineDecoder } from './lines.js';

describe('NDJSON line decoder', () => {
  it('splits lines across chunks', () => {
    const d = new LineDecoder(100);
    expect(d.push(Buffer.from('{"a":1}\n{"b"'))).toEqual([{ kind: 'line', line: '{"a":1}' }]);
    expect(d.push(Buffer.from(':2}\n'))).toEqual([{ kind: 'line', line: '{"b":2}' }]);
    expect(d.pending).toBe(0);
  });
  it('refuses a line over the limit before it is complete', () => {
    const d = new LineDecoder(10);
    expect(d.push(Buffer.from('x'.repeat(11)))).toEqual([{ kind: 'too_long' }]);
    expect(d.push(Buffer.from('\n'))).toEqual([]);
  });
  it('keeps multi-byte characters split across chunks intact', () => {
    const d = new LineDecoder(100);
    const b = Buffer.from('é€\n');
    expect(d.push(b.subarray(0, 1))).toEqual([]);
    expect(d.push(b.subarray(1))).toEqual([{ kind: 'line', line: 'é€' }]);
  });
  it('any chunking yields the same lines', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 20 }).map((s) => s.replace(/\n/g, '')), { maxLength: 10 }), fc.integer({ min: 1, max: 9 }), (lines, step) => {
        const all = Buffer.from(lines.map((l) => `${l}\n`).join(''));
        const d = new LineDecoder(1000);
        const out: string[] = [];
        for (let i = 0; i < all.length; i += step) for (const e of d.push(all.subarray(i, i + step))) if (e.kind === 'line') out.push(e.line);
        expect(out).toEqual(lines);
      }),
      { numRuns: 5_000 },
    );
  });
});
