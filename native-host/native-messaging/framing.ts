/**
 * Chrome/Firefox native messaging framing: a 32-bit length in native byte order (little
 * endian on every platform we ship for) followed by that many bytes of UTF-8 JSON.
 * Pure. The decoder refuses an oversized frame from its header alone, before buffering it.
 */
export type FrameEvent =
  | { kind: 'message'; value: unknown }
  | { kind: 'error'; reason: 'zero_length' | 'too_large' | 'bad_utf8' | 'bad_json' };

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);
  private dead = false;

  constructor(private readonly maxFrame: number) {}

  /** Feed bytes; returns decoded messages, or one terminal error after which it stops. */
  push(chunk: Buffer): FrameEvent[] {
    const out: FrameEvent[] = [];
    if (this.dead) return out;
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    while (this.buf.length >= 4) {
      const len = this.buf.readUInt32LE(0);
      if (len === 0) return this.die(out, 'zero_length');
      if (len > this.maxFrame) return this.die(out, 'too_large');
      if (this.buf.length < 4 + len) break;
      const body = this.buf.subarray(4, 4 + len);
      this.buf = Buffer.from(this.buf.subarray(4 + len));
      let text: string;
      try {
        text = utf8.decode(body);
      } catch {
        return this.die(out, 'bad_utf8');
      }
      try {
        out.push({ kind: 'message', value: JSON.parse(text) as unknown });
      } catch {
        return this.die(out, 'bad_json');
      }
    }
    return out;
  }

  /** True when the stream ended in the middle of a frame. */
  get truncated(): boolean {
    return this.buf.length > 0;
  }

  private die(out: FrameEvent[], reason: 'zero_length' | 'too_large' | 'bad_utf8' | 'bad_json'): FrameEvent[] {
    this.dead = true;
    this.buf = Buffer.alloc(0);
    out.push({ kind: 'error', reason });
    return out;
  }
}

/** Encode one message; returns null when it would exceed `maxFrame` bytes. */
export function encodeFrame(value: unknown, maxFrame: number): Buffer | null {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  if (body.length > maxFrame) return null;
  const out = Buffer.alloc(4 + body.length);
  out.writeUInt32LE(body.length, 0);
  body.copy(out, 4);
  return out;
}
