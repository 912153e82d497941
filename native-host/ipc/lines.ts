/**
 * Newline-delimited message decoder for the daemon socket. Pure: feed it chunks, it
 * yields complete lines. A line longer than `maxLine` is refused before it is buffered
 * whole (the connection is then closed by the caller).
 */
export type LineEvent = { kind: 'line'; line: string } | { kind: 'too_long' };

export class LineDecoder {
  private parts: Buffer[] = [];
  private size = 0;
  private overflowed = false;

  constructor(private readonly maxLine: number) {}

  push(chunk: Buffer): LineEvent[] {
    const out: LineEvent[] = [];
    if (this.overflowed) return out;
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl === -1) break;
      const piece = chunk.subarray(start, nl);
      if (this.size + piece.length > this.maxLine) {
        this.fail(out);
        return out;
      }
      this.parts.push(piece);
      const line = Buffer.concat(this.parts).toString('utf8');
      this.parts = [];
      this.size = 0;
      out.push({ kind: 'line', line });
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    if (rest.length > 0) {
      if (this.size + rest.length > this.maxLine) {
        this.fail(out);
        return out;
      }
      // Copy: the caller may reuse its chunk buffer.
      this.parts.push(Buffer.from(rest));
      this.size += rest.length;
    }
    return out;
  }

  /** Bytes held for an unfinished line. */
  get pending(): number {
    return this.size;
  }

  private fail(out: LineEvent[]): void {
    this.overflowed = true;
    this.parts = [];
    this.size = 0;
    out.push({ kind: 'too_long' });
  }
}
