/**
 * The guard's and `blindfill redact`'s side of the daemon's `redact` op: one long-lived
 * connection (re-opened if the daemon restarts), whole texts in batches, and streams
 * with the held-back tail carried between pieces. The secrets stay in the daemon.
 */
import { type RedactResult, RedactResultSchema } from '../../shared/ipc.js';
import { connectDaemon } from '../ipc/client.js';
import { Connection } from '../ipc/connection.js';
import type { Paths } from '../paths.js';
import type { ScrubTexts } from './walk.js';

export type Failed = { ok: false; code: string; message: string };

/** Largest batch of texts per request, in characters (the socket takes 64 MiB lines). */
const BATCH_CHARS = 8 * 1024 * 1024;

export class DaemonRedactor {
  private conn: Connection | null = null;
  private connecting: Promise<Connection | Failed> | null = null;

  constructor(
    private readonly paths: Paths,
    private readonly selfCommand: readonly string[],
    private readonly caller: 'cli' | 'mcp',
    private readonly timeoutMs = 120_000,
  ) {}

  private async connection(): Promise<Connection | Failed> {
    if (this.conn && !this.conn.isClosed) return this.conn;
    this.connecting ??= connectDaemon({ paths: this.paths, selfCommand: this.selfCommand, autostart: true }).then((c) => {
      this.connecting = null;
      if (!(c instanceof Connection)) return { ok: false, code: c.code, message: c.message };
      this.conn = c;
      return c;
    });
    return this.connecting;
  }

  async call(body: Record<string, unknown>, bytes?: Buffer): Promise<{ ok: true; result: RedactResult; bytes?: Buffer | undefined } | Failed> {
    const c = await this.connection();
    if (!(c instanceof Connection)) return c;
    const res = await c.request({ caller: this.caller, op: 'redact', ...body }, this.timeoutMs, bytes);
    if (!res.ok) return { ok: false, code: res.code, message: res.message };
    const parsed = RedactResultSchema.safeParse(res.result);
    if (!parsed.success) return { ok: false, code: 'INTERNAL', message: 'the daemon answered redact with an unexpected shape' };
    return { ok: true, result: parsed.data, bytes: res.attachment };
  }

  /** Scrub whole texts (each on its own), in as few requests as fit. */
  readonly scrubTexts: ScrubTexts = async (texts) => {
    const out: string[] = [];
    for (let i = 0; i < texts.length; ) {
      let j = i;
      let size = 0;
      while (j < texts.length && (j === i || size + texts[j]!.length <= BATCH_CHARS)) size += texts[j++]!.length;
      const r = await this.call({ texts: texts.slice(i, j) });
      if (!r.ok) return r;
      if (r.result.texts?.length !== j - i) return { ok: false, code: 'INTERNAL', message: 'the daemon answered the wrong number of texts' };
      out.push(...r.result.texts);
      i = j;
    }
    // An empty batch still proves the vault is unlocked: nothing passes while it is locked.
    if (texts.length === 0) {
      const r = await this.call({ texts: [] });
      if (!r.ok) return r;
    }
    return { ok: true, texts: out };
  };

  close(): void {
    this.conn?.close();
    this.conn = null;
  }
}

/**
 * A byte stream scrubbed piece by piece (latin1 on the wire: binary-safe). `push` and
 * `end` return what may be written now; pieces must be pushed one at a time, in order.
 */
export class StreamRedactor {
  private rest = '';

  constructor(private readonly redactor: DaemonRedactor) {}

  async push(piece: Buffer): Promise<{ ok: true; out: Buffer } | Failed> {
    return this.send(this.rest + piece.toString('latin1'), true);
  }

  async end(): Promise<{ ok: true; out: Buffer } | Failed> {
    return this.send(this.rest, false);
  }

  get pending(): number {
    return this.rest.length;
  }

  private async send(text: string, more: boolean): Promise<{ ok: true; out: Buffer } | Failed> {
    const r = await this.redactor.call({ text, encoding: 'latin1', more });
    if (!r.ok) return r;
    this.rest = r.result.rest ?? '';
    return { ok: true, out: Buffer.from(r.result.text ?? '', 'latin1') };
  }
}

type Piece = { ok: true; out: Buffer } | Failed;

/**
 * A byte stream scrubbed with the tail kept in the daemon (`stream` id), so several
 * pieces can be in flight at once. The pieces and the answers travel as raw bytes (`bytes`
 * requests), not as JSON text. `push` and `end` return the answers that are due, in
 * order; the caller stops at the first failure.
 */
export class PipelinedStream {
  private readonly queue: Array<Promise<Piece>> = [];
  private readonly id = `s${process.pid}-${Date.now().toString(36)}`;

  constructor(
    private readonly redactor: DaemonRedactor,
    private readonly inFlight: number,
  ) {}

  private send(piece: Buffer, more: boolean): void {
    this.queue.push(
      this.redactor.call({ bytes: true, more, stream: this.id }, piece).then((r): Piece => {
        if (!r.ok) return r;
        if (!r.bytes) return { ok: false, code: 'INTERNAL', message: 'the daemon answered a bytes redact without its bytes' };
        return { ok: true, out: r.bytes };
      }),
    );
  }

  async push(piece: Buffer): Promise<Piece[]> {
    this.send(piece, true);
    const due: Piece[] = [];
    while (this.queue.length >= this.inFlight) due.push(await this.queue.shift()!);
    return due;
  }

  async end(): Promise<Piece[]> {
    this.send(Buffer.alloc(0), false);
    const due: Piece[] = [];
    while (this.queue.length > 0) due.push(await this.queue.shift()!);
    return due;
  }
}
