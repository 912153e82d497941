/**
 * Terminal I/O for the CLI: reading secrets from stdin or a no-echo prompt, and the one
 * error line format of the contract (`error CODE: message` on stderr).
 */
import type * as z from 'zod';
import type { Failure } from '../../shared/errors.js';

export class CliExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

export function printError(f: Pick<Failure, 'code' | 'message'>): void {
  const oneLine = f.message.replace(/[\r\n]+/g, ' ');
  process.stderr.write(`error ${f.code}: ${oneLine}\n`);
}

/** Print the failure and exit non-zero (2 for a usage error, 1 otherwise). */
export function die(f: Pick<Failure, 'code' | 'message'>): never {
  printError(f);
  throw new CliExit(f.code === 'INVALID_REQUEST' ? 2 : 1);
}

export async function readStdin(limit = 256 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) die({ code: 'INVALID_REQUEST', message: 'stdin is too large' });
    chunks.push(b);
  }
  const all = Buffer.concat(chunks);
  for (const c of chunks) c.fill(0);
  return all;
}

/** A passphrase from stdin: everything up to the first line break. */
export async function readPassphraseStdin(): Promise<Buffer> {
  const all = await readStdin(64 * 1024);
  let end = all.indexOf(0x0a);
  if (end === -1) end = all.length;
  if (end > 0 && all[end - 1] === 0x0d) end -= 1;
  const pass = Buffer.alloc(end);
  all.copy(pass, 0, 0, end);
  all.fill(0);
  if (pass.length === 0) die({ code: 'INVALID_REQUEST', message: 'the passphrase on stdin is empty' });
  return pass;
}

/** Input typed ahead of the current prompt (a paste of several lines), kept for the next prompts. */
let typedAhead = '';

/** Ask on the terminal; with `hidden`, nothing is echoed. Prompts go to stderr. */
export function prompt(question: string, hidden: boolean): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  const raw = hidden && stdin.isTTY;
  return new Promise((resolve, reject) => {
    let acc = '';
    const finish = (answer: string, rest: string) => {
      typedAhead = rest;
      stdin.off('data', onData);
      if (raw) {
        stdin.setRawMode(false);
        process.stderr.write('\n');
      }
      stdin.pause();
      resolve(answer);
    };
    const take = (text: string): boolean => {
      for (let i = 0; i < text.length; i++) {
        const ch = text[i]!;
        if (ch === '\r' || ch === '\n') {
          const next = ch === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1;
          finish(acc, text.slice(next));
          return true;
        }
        if (ch === '\u0003') {
          if (raw) stdin.setRawMode(false);
          stdin.off('data', onData);
          reject(new CliExit(130));
          return true;
        }
        if (ch === '\u007f' || ch === '\b') acc = acc.slice(0, -1);
        else acc += ch;
      }
      return false;
    };
    const onData = (d: Buffer) => {
      take(d.toString('utf8'));
    };
    if (raw) stdin.setRawMode(true);
    const ahead = typedAhead;
    typedAhead = '';
    if (take(ahead)) return;
    stdin.on('data', onData);
    stdin.resume();
  });
}

/** Idle-timeout units; a plain number is minutes (as the default, 30). */
const UNITS: Record<string, number> = {
  s: 1, sec: 1, secs: 1, second: 1, seconds: 1,
  m: 60, min: 60, mins: 60, minute: 60, minutes: 60,
  h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600,
  d: 86400, day: 86400, days: 86400,
};

/** `90s`, `15m`, `2h`, `1d`, `1h30m`, or a plain number of minutes; 1 s to 7 days, else null. */
export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (/^\d+$/.test(t)) {
    const s = Number(t) * 60;
    return s >= 1 && s <= 7 * 86400 ? s : null;
  }
  const re = /(\d+)\s*([a-z]+)\s*/gy;
  let total = 0;
  let at = 0;
  for (let m = re.exec(t); m !== null; m = re.exec(t)) {
    const mult = Object.hasOwn(UNITS, m[2]!) ? UNITS[m[2]!] : undefined;
    if (mult === undefined) return null;
    total += Number(m[1]) * mult;
    at = re.lastIndex;
  }
  if (at === 0 || at !== t.length) return null;
  return total >= 1 && total <= 7 * 86400 ? total : null;
}

/**
 * Parse stdin's JSON (the buffer is zeroed: it may hold secrets) against `schema`; on a
 * failure die with INVALID_REQUEST naming the field, never its value: `invalid WHAT (…)`.
 */
export function parseJsonStdin<T>(raw: Buffer, schema: z.ZodType<T>, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    die({ code: 'INVALID_REQUEST', message: 'stdin is not valid JSON' });
  } finally {
    raw.fill(0);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    die({ code: 'INVALID_REQUEST', message: `invalid ${what} (${issue ? `${issue.path.join('.') || 'input'}: ${issue.message}` : what})` });
  }
  return parsed.data;
}
