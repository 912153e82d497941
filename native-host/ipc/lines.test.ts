import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineDecoder } from './lines.js';

describe('NDJSON line decoder', () => {
  it('splits lines across chunks', () => {
    const d = new LineDecoder(100);
    expect([...d.push(Buffer.from('{"a":1}\n{"b"'))]).toEqual([{ kind: 'line', line: '{"a":1}' }]);
    expect([...d.push(Buffer.from(':2}\n'))]).toEqual([{ kind: 'line', line: '{"b":2}' }]);
    expect(d.pending).toBe(0);
  });
  it('refuses a line over the limit before it is complete', () => {
    const d = new LineDecoder(10);
    expect([...d.push(Buffer.from('x'.repeat(11)))]).toEqual([{ kind: 'too_long' }]);
    expect([...d.push(Buffer.from('\n'))]).toEqual([]);
  });
  it('keeps multi-byte characters split across chunks intact', () => {
    const d = new LineDecoder(100);
    const b = Buffer.from('é€\n');
    expect([...d.push(b.subarray(0, 1))]).toEqual([]);
    expect([...d.push(b.subarray(1))]).toEqual([{ kind: 'line', line: 'é€' }]);
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

  it('an attachment asked for while handling its line: the next n bytes, newlines and all', () => {
    const d = new LineDecoder(100);
    const payload = Buffer.from([0x0a, 0x00, 0xff, 0x7b, 0x0a]);
    const all = Buffer.concat([Buffer.from('{"bin":5}\n'), payload, Buffer.from('{"next":1}\n')]);
    const events: unknown[] = [];
    for (const e of d.push(all)) {
      events.push(e);
      if (e.kind === 'line' && e.line.includes('bin')) expect(d.expectAttachment(5)).toBe(true);
    }
    expect(events).toEqual([{ kind: 'line', line: '{"bin":5}' }, { kind: 'attachment', data: payload }, { kind: 'line', line: '{"next":1}' }]);
    expect(d.pending).toBe(0);
  });
  it('any chunking yields the same lines and attachments', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 20 }).map((s) => s.replace(/\n/g, '')), fc.uint8Array({ maxLength: 30 })), { maxLength: 10 }),
        fc.integer({ min: 1, max: 9 }),
        (items, step) => {
          // A string is a line; bytes are an attachment announced by the line `bin N`.
          const wire = Buffer.concat(items.map((it) => (typeof it === 'string' ? Buffer.from(`${it}\n`) : Buffer.concat([Buffer.from(`bin ${it.length}\n`), Buffer.from(it)]))));
          const want = items.flatMap((it) => (typeof it === 'string' ? [it] : [`bin ${it.length}`, Buffer.from(it).toString('hex')]));
          const d = new LineDecoder(1000);
          const out: string[] = [];
          for (let i = 0; i < wire.length; i += step) {
            for (const e of d.push(wire.subarray(i, i + step))) {
              if (e.kind === 'line') {
                out.push(e.line);
                const m = /^bin (\d+)$/.exec(e.line);
                if (m && Number(m[1]) > 0) d.expectAttachment(Number(m[1]));
                else if (m) out.push('');
              } else if (e.kind === 'attachment') out.push(e.data.toString('hex'));
            }
          }
          expect(out).toEqual(want);
        },
      ),
      { numRuns: 3_000 },
    );
  });
  it('refuses an attachment over the limit, and everything after', () => {
    const d = new LineDecoder(10);
    const events: unknown[] = [];
    for (const e of d.push(Buffer.from('{"bin"}\nabc\n'))) {
      events.push(e);
      if (e.kind === 'line') expect(d.expectAttachment(11)).toBe(false);
    }
    expect(events).toEqual([{ kind: 'line', line: '{"bin"}' }, { kind: 'too_long' }]);
    expect([...d.push(Buffer.from('x\n'))]).toEqual([]);
  });
});
