/**
 * Canary secrets and leak assertions.
 *
 * A canary is a distinctive secret that contains every printable-ASCII class (upper, lower,
 * digit, space and the characters JSON, HTML, URLs and shells treat specially), so every
 * encoding below differs from the raw form. `assertNoSecret` looks for each encoding and,
 * on a hit, throws naming where and which form — never the secret itself.
 */
import { randomBytes } from 'node:crypto';

/** All 32 printable ASCII punctuation characters (and a space). */
export const PUNCTUATION = ' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
/** Punctuation that survives almost any channel (argv, shell words, keyboard layouts). */
export const SAFE_PUNCTUATION = '!#%+-.:=@^_~';

export interface CanaryOptions {
  /** A readable prefix, default `Bf`. Letters and digits only. */
  readonly prefix?: string;
  /** Random alphanumeric characters after the prefix (default 12). */
  readonly randomLength?: number;
  /** `full` (default): every printable-ASCII punctuation character and a space;
   *  `safe`: a smaller set without quotes, backslash, space, `$`, backtick, `<>&`. */
  readonly charset?: 'full' | 'safe';
}

const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

function randomAlnum(n: number): string {
  const bytes = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += ALNUM[(bytes[i] ?? 0) % ALNUM.length];
  return s;
}

/**
 * A distinctive secret, different on every call, e.g.
 * `BfQ7wz…Ka9 !"#$%&'()*+,-./:;<=>?@[\]^_\`{|}~Zx0`.
 * It always holds at least one upper-case letter, lower-case letter and digit.
 */
export function makeCanary(opts: CanaryOptions = {}): string {
  const prefix = opts.prefix ?? 'Bf';
  const rnd = randomAlnum(opts.randomLength ?? 12);
  const punct = opts.charset === 'safe' ? SAFE_PUNCTUATION : PUNCTUATION;
  // Upper, lower and digit guaranteed by the fixed tail.
  return `${prefix}${rnd}${punct}Zq7${randomAlnum(4)}`;
}

export interface NamedEncoding {
  readonly form: string;
  readonly value: string;
}

function htmlEscape(s: string, apos: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, apos);
}

function htmlEscapeAll(s: string): string {
  return s.replace(/[^A-Za-z0-9]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON with <, >, & and ' as \u escapes (what HTML-safe serializers produce). */
function jsonSafeEscape(s: string): string {
  return JSON.stringify(s)
    .slice(1, -1)
    .replace(/[<>&']/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The stable middle part of base64 text for a secret that starts at byte offset `k` (mod 3)
 * inside a larger payload: the groups that contain only secret bytes.
 */
function base64Cores(bytes: Buffer, url: boolean): string[] {
  const out: string[] = [];
  for (let k = 0; k < 3; k++) {
    const padded = Buffer.concat([Buffer.alloc(k), bytes]);
    const b64 = url ? padded.toString('base64url') : padded.toString('base64');
    const startGroup = k === 0 ? 0 : 1;
    const fullGroups = Math.floor(padded.length / 3);
    const core = b64.slice(startGroup * 4, fullGroups * 4);
    if (core.length >= 8) out.push(core);
  }
  return out;
}

/** Every form of `secret` that must never appear anywhere, each named. Deduplicated. */
export function namedEncodings(secret: string): NamedEncoding[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms: NamedEncoding[] = [
    { form: 'raw', value: secret },
    { form: 'base64', value: bytes.toString('base64') },
    { form: 'base64 (unpadded)', value: bytes.toString('base64').replace(/=+$/, '') },
    { form: 'base64url', value: bytes.toString('base64url') },
    { form: 'hex', value: bytes.toString('hex') },
    { form: 'HEX', value: bytes.toString('hex').toUpperCase() },
    { form: 'encodeURIComponent', value: encodeURIComponent(secret) },
    { form: 'encodeURI', value: encodeURI(secret) },
    { form: 'form-urlencoded', value: new URLSearchParams({ v: secret }).toString().slice(2) },
    { form: 'form-urlencoded (%20)', value: encodeURIComponent(secret).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`) },
    { form: 'JSON-escaped', value: JSON.stringify(secret).slice(1, -1) },
    { form: 'JSON-escaped twice', value: JSON.stringify(JSON.stringify(secret)).slice(3, -3) },
    { form: 'JSON-escaped (HTML-safe)', value: jsonSafeEscape(secret) },
    { form: 'HTML-escaped', value: htmlEscape(secret, '&#39;') },
    { form: 'HTML-escaped (&#x27;)', value: htmlEscape(secret, '&#x27;') },
    { form: 'HTML-escaped (&apos;)', value: htmlEscape(secret, '&apos;') },
    { form: 'HTML numeric entities', value: htmlEscapeAll(secret) },
  ];
  for (const [i, core] of base64Cores(bytes, false).entries()) forms.push({ form: `base64 (embedded, offset ${i})`, value: core });
  for (const [i, core] of base64Cores(bytes, true).entries()) forms.push({ form: `base64url (embedded, offset ${i})`, value: core });
  const seen = new Set<string>();
  return forms.filter((f) => {
    if (f.value.length === 0 || seen.has(f.value)) return false;
    seen.add(f.value);
    return true;
  });
}

/** Every form of `secret` that must never appear: raw, base64, base64url, hex, HEX,
 *  URL-encoded, form-encoded, JSON-escaped, HTML-escaped (and a few variants). */
export function encodings(secret: string): string[] {
  return namedEncodings(secret).map((e) => e.value);
}

export interface SecretHit {
  /** Index of the secret in the list given. */
  readonly secretIndex: number;
  readonly form: string;
  readonly offset: number;
}

/** All the places where any encoding of any secret occurs (first occurrence per form). */
export function findSecrets(haystack: string | Buffer | Uint8Array, secrets: readonly string[]): SecretHit[] {
  const hits: SecretHit[] = [];
  const asBuf = typeof haystack === 'string' ? null : Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength);
  for (const [secretIndex, secret] of secrets.entries()) {
    if (secret.length === 0) throw new Error('findSecrets: an empty secret would match everything');
    for (const { form, value } of namedEncodings(secret)) {
      const offset = asBuf ? asBuf.indexOf(Buffer.from(value, 'utf8')) : (haystack as string).indexOf(value);
      if (offset >= 0) hits.push({ secretIndex, form, offset });
    }
  }
  return hits;
}

/**
 * Throw if any encoding of any secret occurs in `haystack`. The message names `where`, the
 * secret's index and the form (e.g. "base64url"), never the secret or its surroundings.
 */
export function assertNoSecret(haystack: string | Buffer | Uint8Array, secrets: readonly string[], where: string): void {
  const hits = findSecrets(haystack, secrets);
  if (hits.length === 0) return;
  const list = hits.map((h) => `secret #${h.secretIndex} as ${h.form} at offset ${h.offset}`).join('; ');
  throw new Error(`secret leaked in ${where}: ${list}`);
}
