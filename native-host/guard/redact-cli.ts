/**
 * `blindfill redact [--chunk-size N]`: stdin → stdout, every form of every vault secret
 * (and the one-time codes valid now) replaced with `[blindfill:LABEL]`, for harnesses and
 * logs. Byte-exact otherwise (binary-safe). The scrubbing happens in the daemon; a tail
 * that may begin a secret is carried from one piece to the next, so a secret split across
 * two reads is still caught.
 *
 * Fails closed: when the vault is locked it prints nothing, writes
 * `error VAULT_LOCKED: …` to stderr and exits 1.
 */
import { parseArgs } from 'node:util';
import type { Readable, Writable } from 'node:stream';
import type { Paths } from '../paths.js';
import { DaemonRedactor, PipelinedStream } from './daemon-redactor.js';

export interface RedactOptions {
  paths: Paths;
  selfCommand: readonly string[];
  argv: readonly string[];
  stdin?: Readable;
  stdout?: Writable;
}

const DEFAULT_CHUNK = 1024 * 1024;
const IN_FLIGHT = 4;

function errorLine(code: string, message: string): number {
  process.stderr.write(`error ${code}: ${message.replace(/[\r\n]+/g, ' ')}\n`);
  return code === 'INVALID_REQUEST' ? 2 : 1;
}

/** Split `b` into pieces of at most `size` bytes. */
function* pieces(b: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

export async function runRedact(o: RedactOptions): Promise<number> {
  let chunk = DEFAULT_CHUNK;
  try {
    const { values } = parseArgs({ args: [...o.argv], options: { 'chunk-size': { type: 'string' } }, strict: true, allowPositionals: false });
    if (values['chunk-size'] !== undefined) {
      chunk = Number(values['chunk-size']);
      if (!Number.isInteger(chunk) || chunk < 1 || chunk > 16 * 1024 * 1024) return errorLine('INVALID_REQUEST', '--chunk-size must be 1 to 16777216 bytes');
    }
  } catch (e) {
    return errorLine('INVALID_REQUEST', `${(e as Error).message.split('\n')[0]} (see blindfill redact --help)`);
  }
  const input = o.stdin ?? process.stdin;
  const output = o.stdout ?? process.stdout;
  const redactor = new DaemonRedactor(o.paths, o.selfCommand, 'cli');
  const stream = new PipelinedStream(redactor, IN_FLIGHT);
  const write = (b: Buffer) =>
    new Promise<void>((resolve, reject) => {
      if (b.length === 0) return resolve();
      output.write(b, (e) => (e ? reject(e) : resolve()));
    });
  try {
    // Pieces go to the daemon without waiting for the answers (up to IN_FLIGHT at once);
    // answers are written in order. Nothing is written before the first answer is a
    // success, so a locked vault prints nothing.
    for await (const data of input) {
      for (const p of pieces(data as Buffer, chunk)) {
        for (const r of await stream.push(p)) {
          if (!r.ok) return errorLine(r.code, r.message);
          await write(r.out);
        }
      }
    }
    for (const r of await stream.end()) {
      if (!r.ok) return errorLine(r.code, r.message);
      await write(r.out);
    }
    return 0;
  } finally {
    redactor.close();
  }
}
