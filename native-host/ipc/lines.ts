/**
 * Message decoder for the daemon socket. Pure: feed it chunks, it yields complete lines
 * (newline-delimited JSON) and, where the reader asked for one, a binary attachment: while
 * handling a line, the reader may call `expectAttachment(n)`, and the next n bytes of the
 * stream (whatever they hold, newlines included) come back as one `attachment` event
 * before any further line. A line longer than `maxLine`, or an attachment larger, is
 * refused before it is buffered whole (the connection is then closed by the caller).
 *
 * `push` is a generator so that `expectAttachment` takes effect in the middle of a chunk.
 * Attachment bytes are kept as views of the pushed chunks, not copied: a caller must not
 * reuse a chunk's memory after pushing it (Node's streams never do).
 */
export type LineEvent = { kind: 'line'; line: string } | { kind: 'attachment'; data: Buffer } | { kind: 'too_long' };

export class LineDecoder {
  private parts: Buffer[] = [];
  private size = 0;
  /** 'refused': a too-long line or attachment was met; 'reported': its event was yielded. */
  private state: 'ok' | 'refused' | 'reported' = 'ok';
  /** Attachment bytes still to come (0: reading lines). */
  private want = 0;
  private attParts: Buffer[] = [];

  constructor(private readonly maxLine: number) {}

  /**
   * The n bytes that follow the line just yielded are an attachment. Call it only while
   * handling a `line` event. Over `maxLine`: false, and the decoder refuses everything
   * after (a `too_long` event comes with the next push).
   */
  expectAttachment(n: number): boolean {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.maxLine) {
      this.refuse();
      return false;
    }
    this.want = n;
    return true;
  }

  *push(chunk: Buffer): Generator<LineEvent> {
    let start = 0;
    while (this.state === 'ok') {
      if (this.want > 0) {
        if (start >= chunk.length) return;
        const take = Math.min(this.want, chunk.length - start);
        this.attParts.push(chunk.subarray(start, start + take));
        this.want -= take;
        start += take;
        if (this.want === 0) {
          const parts = this.attParts;
          this.attParts = [];
          yield { kind: 'attachment', data: parts.length === 1 ? parts[0]! : Buffer.concat(parts) };
        }
        continue;
      }
      const nl = chunk.indexOf(0x0a, start);
      if (nl === -1) break;
      const piece = chunk.subarray(start, nl);
      if (this.size + piece.length > this.maxLine) {
        this.refuse();
        break;
      }
      this.parts.push(piece);
      const line = this.parts.length === 1 ? piece.toString('utf8') : Buffer.concat(this.parts).toString('utf8');
      this.parts = [];
      this.size = 0;
      start = nl + 1;
      yield { kind: 'line', line };
    }
    const rest = chunk.subarray(start);
    if (this.state === 'ok' && rest.length > 0) {
      if (this.size + rest.length > this.maxLine) this.refuse();
    }
    if (this.state === 'refused') {
      this.state = 'reported';
      yield { kind: 'too_long' };
      return;
    }
    if (this.state === 'ok' && rest.length > 0) {
      // Copy: a line's start stays here until its newline comes, and lines are short.
      this.parts.push(Buffer.from(rest));
      this.size += rest.length;
    }
  }

  /** Bytes held for an unfinished line or attachment. */
  get pending(): number {
    return this.size + this.attParts.reduce((n, p) => n + p.length, 0);
  }

  private refuse(): void {
    if (this.state === 'ok') this.state = 'refused';
    this.parts = [];
    this.attParts = [];
    this.size = 0;
    this.want = 0;
  }
}
