/**
 * `blindfill guard --socket PATH [--name NAME]`, run by an agent user: a byte relay between
 * its stdio and one connection to the owner's agent socket. Its first request asks the
 * daemon for the browser tool the owner registered under NAME; the daemon starts that tool
 * as the owner behind `blindfill guard` on the connection, and that guard answers the
 * request once ready. From then on the bytes are MCP JSON-RPC, which this process neither
 * reads nor changes. The agent user names no command: whatever it named would run as the owner.
 */
import net from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { ResponseSchema } from '../../shared/ipc.js';

export interface RelayOptions {
  socket: string;
  name: string;
  stdin?: Readable;
  stdout?: Writable;
  log?: (msg: string) => void;
}

export async function runRelay(o: RelayOptions): Promise<number> {
  const stdin = o.stdin ?? process.stdin;
  const stdout = o.stdout ?? process.stdout;
  const log = o.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const sock = net.createConnection(o.socket);
  const failed = await new Promise<string | null>((resolve) => {
    let head = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      head = Buffer.concat([head, d]);
      const nl = head.indexOf(0x0a);
      if (nl < 0) {
        if (head.length > 64 * 1024) resolve('error INTERNAL: the daemon\'s answer is too long');
        return;
      }
      sock.off('data', onData);
      sock.pause();
      let res: ReturnType<typeof ResponseSchema.safeParse> | null;
      try {
        res = ResponseSchema.safeParse(JSON.parse(head.subarray(0, nl).toString('utf8')));
      } catch {
        res = null;
      }
      if (!res?.success) return resolve('error INTERNAL: the daemon answered with a malformed message');
      if (!res.data.ok) return resolve(`error ${res.data.code}: ${res.data.message}`);
      const rest = head.subarray(nl + 1);
      if (rest.length > 0) stdout.write(rest);
      resolve(null);
    };
    sock.on('data', onData);
    sock.once('error', (e: NodeJS.ErrnoException) => resolve(`error DAEMON_UNAVAILABLE: cannot reach the agent socket ${o.socket} (${e.code ?? 'error'})`));
    sock.once('close', () => resolve('error DAEMON_UNAVAILABLE: the agent socket closed before the browser tool started'));
    sock.write(`${JSON.stringify({ t: 'req', id: 1, op: 'guard', name: o.name })}\n`);
  });
  if (failed !== null) {
    log(failed);
    sock.destroy();
    return 1;
  }
  return await new Promise<number>((resolve) => {
    stdin.pipe(sock);
    sock.pipe(stdout);
    sock.resume();
    sock.once('end', () => resolve(0));
    sock.once('error', () => resolve(1));
  });
}
