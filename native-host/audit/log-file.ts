/** Read-only helpers for the audit files: the first line, the last entries, the head. */
import fs from 'node:fs';
import * as z from 'zod';
import { ExpectedError } from '../../shared/errors.js';

export interface Head {
  seq: number;
  mac: string;
  hmac: string;
}
/** Where the chain continues. `partial`: the file ends inside a line (a torn write). */
export interface Tail {
  seq: number;
  mac: string;
  partial: boolean;
}

const HEX64 = z.string().regex(/^[0-9a-f]{64}$/);
const HeadSchema = z.strictObject({ seq: z.number().int().nonnegative(), mac: HEX64, hmac: HEX64 });
const LinkSchema = z.looseObject({ seq: z.number().int().nonnegative(), mac: HEX64, prev: HEX64 });
type Link = z.infer<typeof LinkSchema>;

/** How much of the end of the log is read to continue the chain. */
export const TAIL_BYTES = 64 * 1024;
const NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

function parseLink(line: string): Link | null {
  try {
    const r = LinkSchema.safeParse(JSON.parse(line));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/** Read `length` bytes at `position`; null when the file does not exist. */
function readRange(file: string, fromEnd: boolean, length: number): { bytes: Buffer; start: number; size: number } | null {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | NOFOLLOW);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') throw new ExpectedError('INSECURE_PERMISSIONS', `refusing to use ${file}: it is a symbolic link`);
    throw new ExpectedError('WRITE_FAILED', `cannot read ${file}: ${code ?? 'unknown error'}`);
  }
  try {
    const size = fs.fstatSync(fd).size;
    const n = Math.min(size, length);
    const start = fromEnd ? size - n : 0;
    const bytes = Buffer.alloc(n);
    let off = 0;
    while (off < n) {
      const got = fs.readSync(fd, bytes, off, n - off, start + off);
      if (got === 0) break;
      off += got;
    }
    return { bytes: bytes.subarray(0, off), start, size };
  } finally {
    fs.closeSync(fd);
  }
}

export function firstLine(file: string): Link | null {
  const r = readRange(file, false, TAIL_BYTES);
  if (!r || r.size === 0) return null;
  const nl = r.bytes.indexOf(0x0a);
  return nl < 0 ? null : parseLink(r.bytes.subarray(0, nl).toString('utf8'));
}

/** The well-formed entries among the last complete lines of the log. */
export function readTailEntries(file: string): { entries: Link[]; partial: boolean; size: number } {
  const r = readRange(file, true, TAIL_BYTES);
  if (!r || r.size === 0) return { entries: [], partial: false, size: 0 };
  const partial = r.bytes[r.bytes.length - 1] !== 0x0a;
  const lines = r.bytes.toString('utf8').split('\n');
  lines.pop(); // the empty string after the final newline, or the torn last line
  if (r.start > 0) lines.shift(); // may begin mid-line
  const entries = lines.map(parseLink).filter((l): l is Link => l !== null);
  return { entries, partial, size: r.size };
}

/** The whole file as text, refusing to follow a symbolic link. Throws the fs error. */
export function readTextNoFollow(file: string): string {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | NOFOLLOW);
  try {
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

export function readHead(file: string): Head | 'absent' | 'damaged' {
  let text: string;
  try {
    text = readTextNoFollow(file);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : 'damaged';
  }
  try {
    const r = HeadSchema.safeParse(JSON.parse(text));
    return r.success ? r.data : 'damaged';
  } catch {
    return 'damaged';
  }
}
