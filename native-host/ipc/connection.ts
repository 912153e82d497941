/**
 * One NDJSON connection on the daemon socket, usable from both ends: it sends requests
 * and matches their responses by id, and hands incoming requests to a handler.
 *
 * A message may carry raw bytes: its JSON line has `"bin": N` and the N bytes follow the
 * newline (docs/PROTOCOL.md). Here that is the `ATTACHMENT` key of an outgoing message (a
 * symbol: it never reaches JSON) and the `attachment` of what comes in; `bin` itself is
 * taken off before a handler or a schema sees the message.
 */
import type { Duplex } from 'node:stream';
import { fail, type Failure } from '../../shared/errors.js';
import { type IpcResponse, MAX_IPC_LINE, ResponseSchema } from '../../shared/ipc.js';
import { LineDecoder } from './lines.js';

/** Where an outgoing message keeps its raw bytes. */
export const ATTACHMENT: unique symbol = Symbol('blindfill.ipc.attachment');

export type Outgoing = Record<string, unknown> & { [ATTACHMENT]?: Buffer };

/** A response, with the bytes that came with it. */
export type IpcReply = IpcResponse & { attachment?: Buffer };

export type RequestHandler = (message: unknown, conn: Connection, attachment?: Buffer) => Promise<Outgoing | null>;

interface Pending {
  resolve: (r: IpcReply) => void;
  timer: NodeJS.Timeout | undefined;
}

export class Connection {
  private readonly decoder: LineDecoder;
  private readonly pending = new Map<string | number, Pending>();
  private nextId = 1;
  private closed = false;
  private readonly closeHandlers: Array<() => void> = [];
  /** A message whose `bin` bytes are still on their way. */
  private awaiting: unknown = null;

  constructor(
    private readonly stream: Duplex,
    private readonly handler: RequestHandler | null,
    private readonly idPrefix = '',
    maxLine = MAX_IPC_LINE,
  ) {
    this.decoder = new LineDecoder(maxLine);
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    stream.on('close', () => this.onClose());
    stream.on('error', () => this.onClose());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  onClosed(cb: () => void): void {
    if (this.closed) cb();
    else this.closeHandlers.push(cb);
  }

  /**
   * Send a request (with raw bytes, if given) and wait for its response; a closed
   * connection or timeout becomes a failure response.
   */
  request(body: Record<string, unknown>, timeoutMs?: number, attachment?: Buffer): Promise<IpcReply> {
    const id = this.idPrefix === '' ? this.nextId++ : `${this.idPrefix}${this.nextId++}`;
    return new Promise((resolve) => {
      if (this.closed) {
        resolve(failureResponse(id, fail('DAEMON_UNAVAILABLE', 'the connection is closed')));
        return;
      }
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              this.pending.delete(id);
              resolve(failureResponse(id, fail('TIMEOUT', `no answer within ${Math.round(timeoutMs / 1000)} s`)));
            }, timeoutMs);
      this.pending.set(id, { resolve, timer });
      this.write({ t: 'req', id, ...body, ...(attachment ? { [ATTACHMENT]: attachment } : {}) });
    });
  }

  write(message: Outgoing): void {
    if (this.closed) return;
    const bytes = message[ATTACHMENT];
    if (bytes === undefined) {
      this.stream.write(`${JSON.stringify(message)}\n`);
      return;
    }
    this.stream.write(`${JSON.stringify({ ...message, bin: bytes.length })}\n`);
    if (bytes.length > 0) this.stream.write(bytes);
  }

  close(): void {
    if (!this.closed) this.stream.end();
    this.onClose();
  }

  private onData(chunk: Buffer): void {
    for (const ev of this.decoder.push(chunk)) {
      if (this.closed) return;
      if (ev.kind === 'too_long') {
        this.refuse('message too large');
        return;
      }
      if (ev.kind === 'attachment') {
        const msg = this.awaiting;
        this.awaiting = null;
        this.dispatch(msg, ev.data);
        continue;
      }
      let msg: unknown;
      try {
        msg = JSON.parse(ev.line);
      } catch {
        this.write({ t: 'res', id: 0, ok: false, code: 'INVALID_REQUEST', message: 'a line is not valid JSON' });
        continue;
      }
      if (typeof msg === 'object' && msg !== null && 'bin' in msg) {
        const { bin, ...rest } = msg as { bin: unknown };
        // The framing depends on it: a bad length leaves nothing to read the rest by.
        if (typeof bin !== 'number' || !this.decoder.expectAttachment(bin)) {
          this.refuse('bad attachment length');
          return;
        }
        if (bin === 0) this.dispatch(rest, Buffer.alloc(0));
        else this.awaiting = rest;
        continue;
      }
      this.dispatch(msg);
    }
  }

  private refuse(why: string): void {
    this.write({ t: 'res', id: 0, ok: false, code: 'INVALID_REQUEST', message: why });
    this.close();
  }

  private dispatch(msg: unknown, attachment?: Buffer): void {
    const t = typeof msg === 'object' && msg !== null ? (msg as { t?: unknown }).t : undefined;
    if (t === 'res') {
      const parsed = ResponseSchema.safeParse(msg);
      if (!parsed.success) return;
      const p = this.pending.get(parsed.data.id);
      if (!p) return;
      this.pending.delete(parsed.data.id);
      if (p.timer) clearTimeout(p.timer);
      p.resolve(attachment ? { ...parsed.data, attachment } : parsed.data);
      return;
    }
    const id = typeof msg === 'object' && msg !== null ? (msg as { id?: unknown }).id : undefined;
    const safeId = typeof id === 'number' || (typeof id === 'string' && id.length <= 64) ? id : 0;
    if (t !== 'req' || this.handler === null) {
      this.write({ t: 'res', id: safeId, ok: false, code: 'INVALID_REQUEST', message: 'expected a request' });
      return;
    }
    this.handler(msg, this, attachment).then(
      (res) => {
        if (res !== null) this.write({ t: 'res', id: safeId, ...res });
      },
      () => {
        this.write({ t: 'res', id: safeId, ok: false, code: 'INTERNAL', message: 'internal error' });
      },
    );
  }

  private onClose(): void {
    if (this.closed && this.pending.size === 0 && this.closeHandlers.length === 0) return;
    this.closed = true;
    for (const [id, p] of this.pending) {
      if (p.timer) clearTimeout(p.timer);
      p.resolve(failureResponse(id, fail('DAEMON_UNAVAILABLE', 'the connection closed before an answer')));
    }
    this.pending.clear();
    const hs = this.closeHandlers.splice(0);
    for (const h of hs) h();
  }
}

export function failureResponse(id: string | number, f: Failure): IpcResponse {
  return { t: 'res', id, ok: false, code: f.code, message: f.message };
}
