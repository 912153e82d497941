/** Connection over an in-memory duplex pair: requests, responses and raw attachments. */
import { Duplex, PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ATTACHMENT, Connection, type RequestHandler } from './connection.js';

/** Two connected duplex streams: what one writes, the other reads. */
function pair(): [Duplex, Duplex] {
  const ab = new PassThrough();
  const ba = new PassThrough();
  return [Duplex.from({ readable: ba, writable: ab }), Duplex.from({ readable: ab, writable: ba })];
}

function connected(handler: RequestHandler): { client: Connection; server: Connection; clientSide: Duplex } {
  const [clientSide, serverSide] = pair();
  const server = new Connection(serverSide, handler, 'd');
  const client = new Connection(clientSide, null);
  return { client, server, clientSide };
}

describe('Connection', () => {
  it('carries raw bytes both ways beside the JSON, and never puts `bin` before a handler', async () => {
    const seen: unknown[] = [];
    const { client } = connected(async (msg, _conn, attachment) => {
      seen.push({ msg, attachment });
      const back = Buffer.from(attachment ?? Buffer.alloc(0)).reverse();
      return { ok: true, result: { n: back.length }, [ATTACHMENT]: back };
    });
    const bytes = Buffer.from([0x0a, 0x7b, 0x00, 0xff, 0x0a, 0x7d]);
    const r = await client.request({ op: 'echo' }, 5_000, bytes);
    expect(r).toMatchObject({ ok: true, result: { n: 6 } });
    expect(r.attachment?.equals(Buffer.from(bytes).reverse())).toBe(true);
    expect(seen).toEqual([{ msg: { t: 'req', id: 1, op: 'echo' }, attachment: bytes }]);
    // Empty bytes, then a plain request: the framing stays in step.
    const e = await client.request({ op: 'echo' }, 5_000, Buffer.alloc(0));
    expect(e.attachment?.length).toBe(0);
    const plain = await client.request({ op: 'echo' }, 5_000);
    expect(plain).toMatchObject({ ok: true, result: { n: 0 } });
    expect((seen[2] as { attachment?: Buffer }).attachment).toBeUndefined();
  });

  it('a bad attachment length is refused and the connection closed (the framing is lost)', async () => {
    for (const bad of ['-1', '1.5', '"3"', String(64 * 1024 * 1024 + 1)]) {
      const { clientSide: c, server: s } = connected(async () => ({ ok: true, result: {} }));
      const answers: string[] = [];
      c.on('data', (d: Buffer) => answers.push(d.toString()));
      c.write(`{"t":"req","id":1,"op":"x","bin":${bad}}\n`);
      await new Promise((r) => setTimeout(r, 20));
      expect(s.isClosed, bad).toBe(true);
      expect(answers.join(''), bad).toContain('INVALID_REQUEST');
    }
  });
});
