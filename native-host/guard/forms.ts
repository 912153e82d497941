/**
 * The encoded forms of a secret that the scrubber looks for. Every form is computed from
 * the secret's UTF-8 bytes straight into byte arrays: no JavaScript string holding the
 * secret (or an encoding of it) is made, so every form can be zeroed on lock.
 *
 * Forms (each only once, duplicates dropped): raw; base64 and base64url (unpadded, and
 * the "core" groups of the secret embedded at byte offset 0, 1 or 2 of a larger payload);
 * hex and HEX; percent-encodings (encodeURIComponent, encodeURI, WHATWG form encoding,
 * RFC 3986 strict, Python quote/quote_plus, lower-case hex variants); JSON escapes
 * (JSON.stringify, twice, HTML-safe, ASCII-only with lower/upper hex, with `\/`); HTML
 * escapes (& < > " ' with &#39; / &#x27; / &apos; / &#34;, text-node and attribute
 * serialization, decimal and hex numeric entities of every non-alphanumeric character).
 */

export interface NamedForm {
  readonly form: string;
  readonly bytes: Uint8Array;
}

/** Forms shorter than this are never matched (they would match ordinary text). */
export const MIN_PATTERN_BYTES = 4;
/** Embedded base64 cores shorter than this are left out (as in the test canaries). */
const MIN_CORE_CHARS = 8;

const HEX_LOWER = '0123456789abcdef';
const HEX_UPPER = '0123456789ABCDEF';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const code = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const HEXL = code(HEX_LOWER);
const HEXU = code(HEX_UPPER);
const B64C = code(B64);
const B64URLC = code(B64URL);

/** A growable byte buffer whose old storage is zeroed when it grows. */
class Writer {
  private buf = new Uint8Array(256);
  private n = 0;

  byte(b: number): void {
    if (this.n === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf.fill(0);
      this.buf = next;
    }
    this.buf[this.n++] = b;
  }

  /** Constant ASCII (entity names, escapes): never secret text. */
  ascii(s: string): void {
    for (let i = 0; i < s.length; i++) this.byte(s.charCodeAt(i));
  }

  bytes(b: Uint8Array): void {
    for (let i = 0; i < b.length; i++) this.byte(b[i]!);
  }

  /** Decimal digits of a non-negative integer. */
  decimal(v: number): void {
    if (v >= 10) this.decimal(Math.floor(v / 10));
    this.byte(48 + (v % 10));
  }

  hex(v: number, digits: number, upper: boolean): void {
    const t = upper ? HEXU : HEXL;
    for (let i = digits - 1; i >= 0; i--) this.byte(t[(v >>> (i * 4)) & 15]!);
  }

  /** The bytes written so far (a copy); the scratch space is zeroed. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.n);
    this.buf.fill(0, 0, this.n);
    this.n = 0;
    return out;
  }

  wipe(): void {
    this.buf.fill(0);
    this.n = 0;
  }
}

const isAlnum = (b: number) => (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122);
const charset = (s: string): Set<number> => new Set(code(s));

// ---- base64 ---------------------------------------------------------------------------

function base64Into(w: Writer, src: Uint8Array, alphabet: number[]): void {
  let i = 0;
  for (; i + 2 < src.length; i += 3) {
    const v = (src[i]! << 16) | (src[i + 1]! << 8) | src[i + 2]!;
    w.byte(alphabet[(v >>> 18) & 63]!);
    w.byte(alphabet[(v >>> 12) & 63]!);
    w.byte(alphabet[(v >>> 6) & 63]!);
    w.byte(alphabet[v & 63]!);
  }
  const rest = src.length - i;
  if (rest === 1) {
    const v = src[i]! << 16;
    w.byte(alphabet[(v >>> 18) & 63]!);
    w.byte(alphabet[(v >>> 12) & 63]!);
  } else if (rest === 2) {
    const v = (src[i]! << 16) | (src[i + 1]! << 8);
    w.byte(alphabet[(v >>> 18) & 63]!);
    w.byte(alphabet[(v >>> 12) & 63]!);
    w.byte(alphabet[(v >>> 6) & 63]!);
  }
}

/**
 * The base64 characters that depend only on the secret when it starts at byte offset `k`
 * (mod 3) of a larger payload: the whole groups of 3 bytes that hold secret bytes only.
 */
function base64Core(w: Writer, s: Uint8Array, k: number, alphabet: number[]): Uint8Array | null {
  const skip = k === 0 ? 0 : 3 - k; // secret bytes in the first, mixed group
  const whole = Math.floor((s.length - skip) / 3);
  if (whole * 4 < MIN_CORE_CHARS) return null;
  base64Into(w, s.subarray(skip, skip + whole * 3), alphabet);
  return w.take();
}

// ---- hex and percent-encoding ------------------------------------------------------------

function hexInto(w: Writer, s: Uint8Array, upper: boolean): void {
  for (const b of s) w.hex(b, 2, upper);
}

interface PercentStyle {
  keep: Set<number>;
  spacePlus: boolean;
  upper: boolean;
}

function percentInto(w: Writer, s: Uint8Array, st: PercentStyle): void {
  for (const b of s) {
    if (b < 0x80 && (isAlnum(b) || st.keep.has(b))) w.byte(b);
    else if (b === 0x20 && st.spacePlus) w.byte(0x2b);
    else {
      w.byte(0x25);
      w.hex(b, 2, st.upper);
    }
  }
}

const PERCENT: ReadonlyArray<readonly [string, PercentStyle]> = [
  ['encodeURIComponent', { keep: charset("-_.!~*'()"), spacePlus: false, upper: true }],
  ['encodeURI', { keep: charset("-_.!~*'();/?:@&=+$,#"), spacePlus: false, upper: true }],
  ['form-urlencoded', { keep: charset('*-._'), spacePlus: true, upper: true }],
  ['RFC 3986', { keep: charset('-._~'), spacePlus: false, upper: true }],
  ['Python quote', { keep: charset('-._~/'), spacePlus: false, upper: true }],
  ['Python quote_plus', { keep: charset('-._~'), spacePlus: true, upper: true }],
  ['encodeURIComponent (lower-case)', { keep: charset("-_.!~*'()"), spacePlus: false, upper: false }],
  ['RFC 3986 (lower-case)', { keep: charset('-._~'), spacePlus: false, upper: false }],
  ['form-urlencoded (lower-case)', { keep: charset('*-._'), spacePlus: true, upper: false }],
];

// ---- code points ----------------------------------------------------------------------------

/** Decode UTF-8 into code points (invalid bytes become U+FFFD, as TextDecoder would). */
function codePoints(s: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; ) {
    const b = s[i]!;
    let cp = 0xfffd;
    let n = 1;
    if (b < 0x80) cp = b;
    else if (b >= 0xc2 && b <= 0xdf && i + 1 < s.length) {
      cp = ((b & 0x1f) << 6) | (s[i + 1]! & 0x3f);
      n = 2;
    } else if (b >= 0xe0 && b <= 0xef && i + 2 < s.length) {
      cp = ((b & 0x0f) << 12) | ((s[i + 1]! & 0x3f) << 6) | (s[i + 2]! & 0x3f);
      n = 3;
    } else if (b >= 0xf0 && b <= 0xf4 && i + 3 < s.length) {
      cp = ((b & 0x07) << 18) | ((s[i + 1]! & 0x3f) << 12) | ((s[i + 2]! & 0x3f) << 6) | (s[i + 3]! & 0x3f);
      n = 4;
    }
    out.push(cp);
    i += n;
  }
  return out;
}

/** UTF-16 code units of a code point. */
function units(cp: number): number[] {
  if (cp < 0x10000) return [cp];
  const v = cp - 0x10000;
  return [0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff)];
}

function utf8Into(w: Writer, cp: number): void {
  if (cp < 0x80) w.byte(cp);
  else if (cp < 0x800) {
    w.byte(0xc0 | (cp >> 6));
    w.byte(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    w.byte(0xe0 | (cp >> 12));
    w.byte(0x80 | ((cp >> 6) & 0x3f));
    w.byte(0x80 | (cp & 0x3f));
  } else {
    w.byte(0xf0 | (cp >> 18));
    w.byte(0x80 | ((cp >> 12) & 0x3f));
    w.byte(0x80 | ((cp >> 6) & 0x3f));
    w.byte(0x80 | (cp & 0x3f));
  }
}

// ---- JSON ----------------------------------------------------------------------------------

interface JsonStyle {
  /** < > & ' as \u00XX (HTML-safe serializers). */
  htmlSafe?: boolean;
  /** Non-ASCII as \uXXXX (Python json.dumps, PHP json_encode). */
  asciiOnly?: boolean;
  upperHex?: boolean;
  /** `/` as `\/` (PHP json_encode). */
  slash?: boolean;
}

/** Would this style change `s` at all? (Most forms need no escaping: skip them fast.) */
function jsonChanges(s: Uint8Array, st: JsonStyle): boolean {
  for (const b of s) {
    if (b === 0x22 || b === 0x5c || b < 0x20) return true;
    if (st.htmlSafe && (b === 0x3c || b === 0x3e || b === 0x26 || b === 0x27)) return true;
    if (st.slash && b === 0x2f) return true;
    if (st.asciiOnly && b >= 0x7f) return true;
  }
  return false;
}

/** Per ASCII byte: its escape in this style, or null to copy it. Cached per style. */
const jsonTables = new Map<string, Array<number[] | null>>();

function jsonTable(st: JsonStyle): Array<number[] | null> {
  const key = `${st.htmlSafe ? 1 : 0}${st.upperHex ? 1 : 0}${st.slash ? 1 : 0}${st.asciiOnly ? 1 : 0}`;
  let t = jsonTables.get(key);
  if (t) return t;
  const hex4 = (v: number) => `\\u${v.toString(16).padStart(4, '0')}`;
  const u = (v: number) => code(st.upperHex ? hex4(v).toUpperCase().replace('\\U', '\\u') : hex4(v));
  t = [];
  for (let b = 0; b < 0x80; b++) {
    let e: number[] | null = null;
    if (b === 0x22) e = code('\\"');
    else if (b === 0x5c) e = code('\\\\');
    else if (b === 0x08) e = code('\\b');
    else if (b === 0x0c) e = code('\\f');
    else if (b === 0x0a) e = code('\\n');
    else if (b === 0x0d) e = code('\\r');
    else if (b === 0x09) e = code('\\t');
    else if (b < 0x20) e = u(b);
    else if (st.htmlSafe && (b === 0x3c || b === 0x3e || b === 0x26 || b === 0x27)) e = u(b);
    else if (st.slash && b === 0x2f) e = code('\\/');
    else if (st.asciiOnly && b === 0x7f) e = u(b);
    t.push(e);
  }
  jsonTables.set(key, t);
  return t;
}

function jsonInto(w: Writer, s: Uint8Array, st: JsonStyle): void {
  const table = jsonTable(st);
  for (let i = 0; i < s.length; ) {
    const b = s[i]!;
    if (b < 0x80) {
      const e = table[b];
      if (e === null || e === undefined) w.byte(b);
      else for (const x of e) w.byte(x);
      i++;
    } else if (!st.asciiOnly) {
      w.byte(b); // JSON.stringify keeps non-ASCII characters as they are
      i++;
    } else {
      // Non-ASCII as \uXXXX (UTF-16 units): decode this one character.
      let n = 1;
      while (i + n < s.length && n < 4 && (s[i + n]! & 0xc0) === 0x80) n++;
      for (const cp of codePoints(s.subarray(i, i + n))) {
        for (const unit of units(cp)) {
          w.ascii('\\u');
          w.hex(unit, 4, st.upperHex === true);
        }
      }
      i += n;
    }
  }
}

// ---- HTML ----------------------------------------------------------------------------------

interface HtmlStyle {
  /** Characters escaped, with their replacement. */
  map: ReadonlyMap<number, string>;
}

function htmlChanges(s: Uint8Array, st: HtmlStyle): boolean {
  for (const b of s) if (b >= 0x80 || st.map.has(b)) return true;
  return false;
}

function htmlInto(w: Writer, s: Uint8Array, st: HtmlStyle): void {
  for (const cp of codePoints(s)) {
    const r = st.map.get(cp);
    if (r !== undefined) w.ascii(r);
    else utf8Into(w, cp);
  }
}

const HTML: ReadonlyArray<readonly [string, HtmlStyle]> = [
  ['HTML-escaped', { map: new Map([[0x26, '&amp;'], [0x3c, '&lt;'], [0x3e, '&gt;'], [0x22, '&quot;'], [0x27, '&#39;']]) }],
  ["HTML-escaped (&#x27;)", { map: new Map([[0x26, '&amp;'], [0x3c, '&lt;'], [0x3e, '&gt;'], [0x22, '&quot;'], [0x27, '&#x27;']]) }],
  ['HTML-escaped (&apos;)', { map: new Map([[0x26, '&amp;'], [0x3c, '&lt;'], [0x3e, '&gt;'], [0x22, '&quot;'], [0x27, '&apos;']]) }],
  ['HTML-escaped (&#34;)', { map: new Map([[0x26, '&amp;'], [0x3c, '&lt;'], [0x3e, '&gt;'], [0x22, '&#34;'], [0x27, '&#39;']]) }],
  ['HTML text node', { map: new Map([[0x26, '&amp;'], [0x3c, '&lt;'], [0x3e, '&gt;'], [0xa0, '&nbsp;']]) }],
  ['HTML attribute', { map: new Map([[0x26, '&amp;'], [0x22, '&quot;'], [0xa0, '&nbsp;']]) }],
  // Chromium (2025+) also escapes < and > in attribute values.
  ['HTML attribute (< > escaped)', { map: new Map([[0x26, '&amp;'], [0x3c, '&lt;'], [0x3e, '&gt;'], [0x22, '&quot;'], [0xa0, '&nbsp;']]) }],
];

/** Every non-alphanumeric UTF-16 code unit as a numeric character reference. */
function htmlNumericInto(w: Writer, s: Uint8Array, hex: boolean): void {
  for (const cp of codePoints(s)) {
    if (cp < 0x80 && isAlnum(cp)) {
      w.byte(cp);
      continue;
    }
    for (const unit of units(cp)) {
      w.ascii(hex ? '&#x' : '&#');
      if (hex) w.ascii(unit.toString(16));
      else w.decimal(unit);
      w.byte(0x3b);
    }
  }
}

// ---- all forms -------------------------------------------------------------------------------

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Every form of `secret` to scrub, without duplicates, each at least MIN_PATTERN_BYTES
 * long. A secret shorter than MIN_PATTERN_BYTES yields nothing. The caller owns (and
 * zeroes) the returned arrays.
 */
export function secretForms(secret: Uint8Array): NamedForm[] {
  if (secret.length < MIN_PATTERN_BYTES) return [];
  const w = new Writer();
  const out: NamedForm[] = [];
  const add = (form: string, bytes: Uint8Array | null) => {
    if (bytes === null) return;
    if (bytes.length < MIN_PATTERN_BYTES || out.some((f) => equalBytes(f.bytes, bytes))) {
      bytes.fill(0);
      return;
    }
    out.push({ form, bytes });
  };
  const make = (fn: () => void): Uint8Array => {
    fn();
    return w.take();
  };
  /** null when the style leaves `src` as it is (that form is already in the list). */
  const json = (src: Uint8Array, st: JsonStyle): Uint8Array | null => (jsonChanges(src, st) ? make(() => jsonInto(w, src, st)) : null);
  const html = (src: Uint8Array, st: HtmlStyle): Uint8Array | null => (htmlChanges(src, st) ? make(() => htmlInto(w, src, st)) : null);
  try {
    add('raw', Uint8Array.from(secret)); // a copy (Buffer#slice would be a view)
    add('base64', make(() => base64Into(w, secret, B64C)));
    add('base64url', make(() => base64Into(w, secret, B64URLC)));
    for (let k = 0; k < 3; k++) {
      add(`base64 (embedded, offset ${k})`, base64Core(w, secret, k, B64C));
      add(`base64url (embedded, offset ${k})`, base64Core(w, secret, k, B64URLC));
    }
    add('hex', make(() => hexInto(w, secret, false)));
    add('HEX', make(() => hexInto(w, secret, true)));
    for (const [name, st] of PERCENT) add(name, make(() => percentInto(w, secret, st)));
    const once = make(() => jsonInto(w, secret, {}));
    add('JSON-escaped twice', json(once, {}));
    once.fill(0);
    add('JSON-escaped', json(secret, {}));
    add('JSON-escaped (HTML-safe)', json(secret, { htmlSafe: true }));
    add('JSON-escaped (ASCII)', json(secret, { asciiOnly: true }));
    add('JSON-escaped (ASCII, upper-case hex)', json(secret, { asciiOnly: true, upperHex: true }));
    add('JSON-escaped (ASCII, \\/)', json(secret, { asciiOnly: true, slash: true }));
    for (const [name, st] of HTML) add(name, html(secret, st));
    add('HTML numeric entities', make(() => htmlNumericInto(w, secret, false)));
    add('HTML hex entities', make(() => htmlNumericInto(w, secret, true)));
    // JSON inside HTML (server-rendered state in an attribute or a text node).
    const jsonAgain = make(() => jsonInto(w, secret, {}));
    for (const [name, st] of HTML.slice(0, 1).concat(HTML.slice(4))) add(`${name} of JSON`, html(jsonAgain, st));
    jsonAgain.fill(0);
    // One more JSON layer over every form: tools return page content JSON-encoded
    // (Playwright MCP's browser_evaluate of outerHTML is JSON of HTML-escaped text).
    for (const f of [...out]) add(`JSON of ${f.form}`, json(f.bytes, {}));
    return out;
  } finally {
    w.wipe();
  }
}

/** Forms of a TOTP seed (base32 text): those of the seed, plus the seed in lower case. */
export function seedForms(seed: Uint8Array): NamedForm[] {
  const out = secretForms(seed);
  if (seed.length < MIN_PATTERN_BYTES) return out;
  const lower = Uint8Array.from(seed, (b) => (b >= 65 && b <= 90 ? b + 32 : b));
  if (out.some((f) => equalBytes(f.bytes, lower))) lower.fill(0);
  else out.push({ form: 'lower-case seed', bytes: lower });
  return out;
}
