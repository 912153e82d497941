/**
 * Auto-Type sequences (KeePassXC's syntax, a strict subset): `{USERNAME}`, `{PASSWORD}`,
 * `{TOTP}`, `{TAB}`, `{ENTER}`, `{DELAY n}` (milliseconds) and literal text between them.
 * Placeholder names are case-insensitive; `{{}` and `{}}` type a literal brace. Anything
 * else in braces is refused before a single key is pressed. Pure: no I/O, no secrets.
 */
import { fail, ok, type Result } from './errors.js';

export type SecretField = 'username' | 'password' | 'totp';

export type SequenceStep =
  | { readonly kind: 'field'; readonly field: SecretField }
  | { readonly kind: 'key'; readonly key: 'tab' | 'enter' }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'text'; readonly text: string };

/** KeePassXC's default sequence, used when `field: "sequence"` names a credential without one. */
export const DEFAULT_SEQUENCE = '{USERNAME}{TAB}{PASSWORD}{ENTER}';
/** One `{DELAY n}` waits at most this long. */
export const MAX_DELAY_MS = 10_000;
/** All the delays of one sequence together. */
export const MAX_TOTAL_DELAY_MS = 60_000;

const FIELDS: Record<string, SecretField> = { USERNAME: 'username', PASSWORD: 'password', TOTP: 'totp' };
const KEYS: Record<string, 'tab' | 'enter'> = { TAB: 'tab', ENTER: 'enter' };

/** A character the sequence's literal text may not hold: use {TAB} / {ENTER} instead. */
function isControl(cp: number): boolean {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/**
 * Parse a sequence into steps. Messages quote only the offending placeholder (sequences
 * are configuration, not secrets), truncated.
 */
export function parseSequence(seq: string): Result<SequenceStep[]> {
  const steps: SequenceStep[] = [];
  let text = '';
  let totalDelay = 0;
  const flush = () => {
    if (text.length > 0) steps.push({ kind: 'text', text });
    text = '';
  };
  const bad = (what: string) => fail('INVALID_REQUEST', `sequence: ${what}`);
  const quote = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);

  let i = 0;
  while (i < seq.length) {
    const ch = seq[i]!;
    if (ch === '{') {
      // `{{}` and `{}}` are literal braces.
      if (seq.startsWith('{{}', i)) {
        text += '{';
        i += 3;
        continue;
      }
      if (seq.startsWith('{}}', i)) {
        text += '}';
        i += 3;
        continue;
      }
      const end = seq.indexOf('}', i + 1);
      if (end < 0) return bad(`unclosed "{" at position ${i}`);
      const inner = seq.slice(i + 1, end);
      const name = inner.trim().toUpperCase();
      const field = FIELDS[name];
      const key = KEYS[name];
      if (field) {
        flush();
        steps.push({ kind: 'field', field });
      } else if (key) {
        flush();
        steps.push({ kind: 'key', key });
      } else {
        const m = /^DELAY\s+(\d{1,6})$/.exec(name);
        if (!m) return bad(`unknown placeholder ${quote(`{${inner}}`)} (known: {USERNAME} {PASSWORD} {TOTP} {TAB} {ENTER} {DELAY n})`);
        const ms = Number(m[1]);
        if (ms > MAX_DELAY_MS) return bad(`{DELAY ${ms}} is longer than ${MAX_DELAY_MS} ms`);
        totalDelay += ms;
        if (totalDelay > MAX_TOTAL_DELAY_MS) return bad(`the delays add up to more than ${MAX_TOTAL_DELAY_MS} ms`);
        flush();
        steps.push({ kind: 'delay', ms });
      }
      i = end + 1;
      continue;
    }
    if (ch === '}') return bad(`unmatched "}" at position ${i} (type a literal brace as {}})`);
    const cp = seq.codePointAt(i)!;
    if (isControl(cp)) return bad(`control character at position ${i} (use {TAB} or {ENTER})`);
    const width = cp > 0xffff ? 2 : 1;
    text += seq.slice(i, i + width);
    i += width;
  }
  flush();
  if (steps.length === 0) return bad('it is empty');
  return ok(steps);
}

/** The secret fields a parsed sequence types. */
export function fieldsOf(steps: readonly SequenceStep[]): Set<SecretField> {
  const s = new Set<SecretField>();
  for (const st of steps) if (st.kind === 'field') s.add(st.field);
  return s;
}
