import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder } from './framing.js';

const MAX = 1024 * 1024;
const frame = (body: Buffer) => {
  const h = Buffer.alloc(4);
  h.writeUInt32LE(body.length, 0);
  return Buffer.concat([h, body]);
};

describe('native messaging framing', () => {
  it('round-trips a message', () => {
    const d = new FrameDecoder(MAX);
    const f = encodeFrame({ t: 'req', id: 1, text: 'héllo ✓' }, MAX)!;
    expect(d.push(f)).toEqual([{ kind: 'message', value: { t: 'req', id: 1, text: 'héllo ✓' } }]);
  });

  it('reassembles frames split at every byte', () => {
    const f = Buffer.concat([encodeFrame({ a: 1 }, MAX)!, encodeFrame({ b: [2, 3] }, MAX)!]);
    const d = new FrameDecoder(MAX);
    const out = [];
    for (let i = 0; i < f.length; i++) out.push(...d.push(f.subarray(i, i + 1)));
    expect(out).toEqual([
      { kind: 'message', value: { a: 1 } },
      { kind: 'message', value: { b: [2, 3] } },
    ]);
    expect(d.truncated).toBe(false);
  });

  it('refuses a zero-length frame', () => {
    expect(new FrameDecoder(MAX).push(Buffer.from([0, 0, 0, 0]))).toEqual([{ kind: 'error', reason: 'zero_length' }]);
  });

  it('refuses 0xFFFFFFFF from the header alone, before buffering', () => {
    const d = new FrameDecoder(MAX);
    expect(d.push(Buffer.from([0xff, 0xff, 0xff, 0xff]))).toEqual([{ kind: 'error', reason: 'too_large' }]);
    // Dead after a terminal error: later bytes are ignored, nothing accumulates.
    expect(d.push(Buffer.alloc(1000, 0x41))).toEqual([]);
  });

  it('refuses a frame just over the cap (64 MiB + 1 claimed)', () => {
    const h = Buffer.alloc(4);
    h.writeUInt32LE(64 * 1024 * 1024 + 1, 0);
    expect(new FrameDecoder(MAX).push(h)).toEqual([{ kind: 'error', reason: 'too_large' }]);
  });

  it('reports truncation at end of stream', () => {
    const d = new FrameDecoder(MAX);
    const f = encodeFrame({ a: 'bcdef' }, MAX)!;
    expect(d.push(f.subarray(0, f.length - 2))).toEqual([]);
    expect(d.truncated).toBe(true);
  });

  it('refuses invalid UTF-8', () => {
    expect(new FrameDecoder(MAX).push(frame(Buffer.from([0x22, 0xc3, 0x28, 0x22])))).toEqual([{ kind: 'error', reason: 'bad_utf8' }]);
  });

  it('refuses invalid JSON', () => {
    expect(new FrameDecoder(MAX).push(frame(Buffer.from('{"a":')))).toEqual([{ kind: 'error', reason: 'bad_json' }]);
  });

  it('encodeFrame refuses a reply over the cap instead of truncating it', () => {
    expect(encodeFrame({ big: 'x'.repeat(MAX) }, MAX)).toBeNull();
  });

  it('never throws and never yields a message from random bytes that are not valid frames of JSON', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), (chunks) => {
        const d = new FrameDecoder(1024);
        for (const c of chunks) {
          for (const ev of d.push(Buffer.from(c))) {
            if (ev.kind === 'message') expect(() => JSON.stringify(ev.value)).not.toThrow();
          }
        }
      }),
      { numRuns: 20_000 },
    );
  });

  it('any JSON value survives encode → decode in arbitrary chunking', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 1, max: 7 }), (v, step) => {
        const f = encodeFrame(v, MAX)!;
        const d = new FrameDecoder(MAX);
        const out = [];
        for (let i = 0; i < f.length; i += step) out.push(...d.push(f.subarray(i, i + step)));
        expect(out).toHaveLength(1);
        expect(out[0]).toEqual({ kind: 'message', value: JSON.parse(JSON.stringify(v)) });
      }),
      { numRuns: 5_000 },
    );
  });

  it('a message over the host → browser cap is never framed (the host answers with an error instead)', () => {
    expect(encodeFrame({ big: 'x'.repeat(1024 * 1024) }, 1024 * 1024)).toBeNull();
    expect(encodeFrame({ small: 'x' }, 1024 * 1024)?.readUInt32LE(0)).toBe(JSON.stringify({ small: 'x' }).length);
  });
});
