/**
 * One entry of a credential's `windows`: which desktop window it may be typed into.
 *
 *   ENTRY  = [ "{" [QUAL ("," QUAL)*] "}" ] TITLE
 *   QUAL   = "class=" NAME        the window's program class (X11 WM_CLASS instance or class;
 *                                 macOS bundle id or process name), case-insensitive
 *          | "exe=" PATH|NAME     the executable of the process that owns the window: an
 *                                 absolute path compared exactly, or a file name compared
 *                                 with the path's last part (case-insensitive, ".exe" optional)
 *   TITLE  = "//" REGEX "//"      a linear-time regular expression (shared/linear-regex.ts),
 *                                 case-sensitive, unanchored unless it anchors itself
 *          | TEXT                 the whole title, case-insensitively (not a substring)
 *
 * Plain titles are whole-title matches because a title is whatever the window's owner
 * sets: with substrings (or prefixes) "Evil Acme VPN" or "Acme VPN - Chromium" would
 * pass for "Acme VPN". A page cannot set its browser's WM_CLASS or executable, so naming
 * the program is what binds an entry to a program; browser windows are refused unless
 * an entry names the browser (native-host/desktop/window-match.ts).
 *
 * `{}` (no qualifiers) lets a plain title start with `{`. Pure.
 */
import { fail, ok, type Result } from './errors.js';
import { compileLinearRegex, type LinearRegex } from './linear-regex.js';

export interface WindowQualifiers {
  readonly class?: string;
  readonly exe?: string;
}

export type TitlePattern = { readonly kind: 'exact'; readonly text: string } | { readonly kind: 'regex'; readonly source: string; readonly re: LinearRegex };

export interface WindowEntry {
  readonly qualifiers: WindowQualifiers;
  readonly title: TitlePattern;
}

export function isRegexTitle(t: string): boolean {
  return t.startsWith('//') && t.endsWith('//') && t.length > 4;
}

/** Control characters (C0, DEL, C1) and bidirectional / zero-width format characters. */
export const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2069\ufeff]/u;
const UNSAFE_CHARS_G = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2069\ufeff]/gu;

/** `s` without control, bidi and zero-width characters (for showing titles to people and agents). */
export function stripUnsafeChars(s: string): string {
  return s.replace(UNSAFE_CHARS_G, '');
}

const QUAL_VALUE = /^[^,{}]+$/;

/** Parse one entry, or INVALID_REQUEST saying what is wrong (the entry is not repeated). */
export function parseWindowEntry(entry: string): Result<WindowEntry> {
  if (entry.length === 0) return fail('INVALID_REQUEST', 'an empty window entry');
  if (UNSAFE_CHARS.test(entry)) return fail('INVALID_REQUEST', 'a window entry may not hold control, bidirectional or zero-width characters');
  let rest = entry;
  const qualifiers: { class?: string; exe?: string } = {};
  if (entry.startsWith('{')) {
    const close = entry.indexOf('}');
    if (close < 0) return fail('INVALID_REQUEST', 'a window entry starting with { needs a closing } after its qualifiers (write {} before a title that starts with {)');
    const inner = entry.slice(1, close).trim();
    rest = entry.slice(close + 1);
    if (inner !== '') {
      for (const part of inner.split(',')) {
        const eq = part.indexOf('=');
        const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
        const value = eq < 0 ? '' : part.slice(eq + 1).trim();
        if (key !== 'class' && key !== 'exe') return fail('INVALID_REQUEST', `unknown window qualifier ${JSON.stringify(key)} (known: class=, exe=)`);
        if (value === '' || !QUAL_VALUE.test(value)) return fail('INVALID_REQUEST', `window qualifier ${key}= needs a value without , { or }`);
        if (qualifiers[key] !== undefined) return fail('INVALID_REQUEST', `window qualifier ${key}= given twice`);
        qualifiers[key] = value;
      }
    }
  }
  if (rest.length === 0) return fail('INVALID_REQUEST', 'a window entry needs a title (or //regex//) after its qualifiers');
  if (isRegexTitle(rest)) {
    const source = rest.slice(2, -2);
    const re = compileLinearRegex(source);
    if (!re.ok) return fail('INVALID_REQUEST', `window pattern //…// is not a supported regular expression: ${re.message}`);
    return ok({ qualifiers, title: { kind: 'regex', source, re: re.value } });
  }
  return ok({ qualifiers, title: { kind: 'exact', text: rest } });
}

/** Why `entry` is refused, or null (for `add`, `update` and the settings page). */
export function windowEntryError(entry: string): string | null {
  const r = parseWindowEntry(entry);
  return r.ok ? null : r.message;
}
