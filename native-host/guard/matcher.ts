/**
 * Multi-pattern byte matcher for the secret-echo guard: finds every occurrence of every
 * pattern in one left-to-right pass over a Buffer, whatever the number of patterns.
 *
 * Why not a textbook Aho-Corasick automaton: 10,000 secrets in ~30 encodings each are
 * ~300,000 patterns and ~20 MB of pattern bytes; a trie over them has millions of nodes
 * (a dense DFA would need gigabytes, a sparse one is several times slower per byte), and
 * the npm packages build JavaScript object tries over UTF-16 strings (measured: 12 MB/s,
 * 11 s to build, 550 MB for that dictionary). Instead, the classic hashed-window filter
 * (Rabin-Karp family, as in Hyperscan's FDR or Wu-Manber without the shift table):
 *
 *  - every pattern is at least 4 bytes long; its first 4 bytes, as a 32-bit word, set one
 *    bit of a bitset (a few bits per pattern: most text positions miss);
 *  - the scan slides a 4-byte window one byte at a time (one shift, one multiply, one bit
 *    test per byte); on a set bit, it looks the window up in two exact hash tables:
 *    patterns of 4–7 bytes keyed by their 4 bytes, longer ones keyed by their first 8
 *    bytes, and compares the candidates byte for byte.
 *
 * The work per text byte does not depend on the number of patterns; verification only
 * happens where a pattern's first 8 bytes (4 for short ones) actually occur.
 *
 * Two pattern sets share one filter: a static one (built from the vault) and a small
 * dynamic one (the one-time codes of the current period), so codes can change every 30 s
 * without rebuilding the large set.
 *
 * Every array that holds pattern bytes or their prefixes is zeroed by `wipe()`.
 */


/** A pattern and the tag (label index) reported when it matches. */
export interface Pattern {
  readonly bytes: Uint8Array;
  readonly tag: number;
}

const readWord = (b: Uint8Array, i: number): number => (b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!;
const mix = (a: number, b: number): number => Math.imul(a ^ Math.imul(b, 0x85ebca6b), 0x9e3779b1) ^ (b >>> 15);
/** The filter's second bit (a 2-hash Bloom filter): from the first hash's full 32 bits. */
const secondBit = (h32: number, shift: number): number => Math.imul(h32 ^ (h32 >>> 16), 0x7feb352d) >>> shift;

function pow2AtLeast(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * An exact hash table from a (word, word) key to a chain of pattern ids. Each slot is
 * three consecutive ints [k0, k1, head] (one cache line per probe); head is the chain's
 * first pattern id + 1 (0: empty slot).
 */
class KeyTable {
  readonly mask: number;
  readonly slots: Int32Array;

  constructor(count: number) {
    const cap = pow2AtLeast(Math.max(8, count * 2));
    this.mask = cap - 1;
    this.slots = new Int32Array(cap * 3);
  }

  /** The slot index (×3) holding (a, b), or the empty slot where it would go. */
  slot(a: number, b: number): number {
    const t = this.slots;
    let i = mix(a, b) & this.mask;
    while (t[i * 3 + 2] !== 0 && (t[i * 3] !== a || t[i * 3 + 1] !== b)) i = (i + 1) & this.mask;
    return i * 3;
  }

  /** The chain (first id + 1) for (a, b), 0 when absent. */
  find(a: number, b: number): number {
    const t = this.slots;
    let i = mix(a, b) & this.mask;
    for (;;) {
      const j = i * 3;
      const head = t[j + 2]!;
      if (head === 0) return 0;
      if (t[j] === a && t[j + 1] === b) return head;
      i = (i + 1) & this.mask;
    }
  }

  wipe(): void {
    this.slots.fill(0);
  }
}

/**
 * Patterns packed into one growable byte array (no object per pattern: 10,000 secrets
 * give ~500,000 patterns). Patterns under 4 bytes are dropped. Grown storage is zeroed.
 */
export class PatternPacker {
  data = new Uint8Array(1 << 16);
  size = 0;
  off = new Int32Array(1024);
  len = new Int32Array(1024);
  tags = new Int32Array(1024);
  count = 0;

  add(bytes: Uint8Array, tag: number): void {
    if (bytes.length < 4) return;
    if (this.size + bytes.length > this.data.length) {
      const next = new Uint8Array(Math.max(this.data.length * 2, this.size + bytes.length));
      next.set(this.data.subarray(0, this.size));
      this.data.fill(0);
      this.data = next;
    }
    if (this.count === this.off.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.off = grow(this.off);
      this.len = grow(this.len);
      this.tags = grow(this.tags);
    }
    this.data.set(bytes, this.size);
    this.off[this.count] = this.size;
    this.len[this.count] = bytes.length;
    this.tags[this.count] = tag;
    this.size += bytes.length;
    this.count++;
  }

  wipe(): void {
    this.data.fill(0);
    this.size = 0;
    this.count = 0;
  }
}

/** A set of patterns, indexed for verification; see the file comment. */
export class PatternSet {
  readonly count: number;
  readonly maxLength: number;
  /** Length of the shortest pattern (0 when empty). */
  readonly minLength: number;
  private readonly data: Uint8Array;
  private readonly off: Int32Array;
  private readonly len: Int32Array;
  private readonly tags: Int32Array;
  /** Next pattern id + 1 in the same chain (0: end). */
  private readonly next: Int32Array;
  private readonly short: KeyTable;
  private readonly long: KeyTable;
  private readonly firstWords: Int32Array;
  private readonly hasShort: boolean;

  /**
   * Patterns shorter than 4 bytes are ignored; exact duplicates keep the first tag. A
   * packer given here is left as it is (the caller wipes it).
   */
  constructor(input: readonly Pattern[] | PatternPacker) {
    let src: PatternPacker;
    if (input instanceof PatternPacker) src = input;
    else {
      src = new PatternPacker();
      for (const p of input) src.add(p.bytes, p.tag);
    }
    const total = src.count;
    this.data = new Uint8Array(src.size);
    this.off = new Int32Array(total);
    this.len = new Int32Array(total);
    this.tags = new Int32Array(total);
    this.next = new Int32Array(total);
    this.firstWords = new Int32Array(total);
    let shortCount = 0;
    for (let i = 0; i < total; i++) if (src.len[i]! < 8) shortCount++;
    this.hasShort = shortCount > 0;
    this.short = new KeyTable(shortCount);
    this.long = new KeyTable(total - shortCount);
    let n = 0;
    let pos = 0;
    let maxLength = 0;
    let minLength = 0;
    const sd = src.data;
    for (let i = 0; i < total; i++) {
      const so = src.off[i]!;
      const L = src.len[i]!;
      const isShort = L < 8;
      const w0 = readWord(sd, so);
      const w1 = isShort ? 0 : readWord(sd, so + 4);
      const table = isShort ? this.short : this.long;
      const slot = table.slot(w0, w1);
      const t = table.slots;
      if (t[slot + 2] !== 0 && this.hasDuplicate(t[slot + 2]!, sd, so, L)) continue;
      this.data.set(sd.subarray(so, so + L), pos);
      this.off[n] = pos;
      this.len[n] = L;
      this.tags[n] = src.tags[i]!;
      this.firstWords[n] = w0;
      if (t[slot + 2] === 0) {
        t[slot] = w0;
        t[slot + 1] = w1;
      } else {
        this.next[n] = t[slot + 2]!;
      }
      t[slot + 2] = n + 1;
      pos += L;
      n++;
      if (L > maxLength) maxLength = L;
      if (minLength === 0 || L < minLength) minLength = L;
    }
    if (!(input instanceof PatternPacker)) src.wipe();
    this.count = n;
    this.maxLength = maxLength;
    this.minLength = minLength;
  }

  private hasDuplicate(chain: number, b: Uint8Array, bo: number, L: number): boolean {
    for (let id = chain - 1; id >= 0; id = this.next[id]! - 1) {
      if (this.len[id] !== L) continue;
      const o = this.off[id]!;
      let same = true;
      for (let i = 0; i < L && same; i++) same = this.data[o + i] === b[bo + i];
      if (same) return true;
    }
    return false;
  }

  /**
   * Set this set's bits in a filter of 2^(32 - shift) bits: the 4-byte windows at
   * offsets 0 .. step-1 of every pattern (each pattern is at least step + 3 bytes long).
   */
  markFilter(filter: Int32Array, shift: number, step: number): void {
    const data = this.data;
    for (let i = 0; i < this.count; i++) {
      const o = this.off[i]!;
      for (let j = 0; j < step; j++) {
        const h32 = Math.imul(readWord(data, o + j), 0x9e3779b1);
        const h = h32 >>> shift;
        filter[h >>> 5]! |= 1 << (h & 31);
        const g = secondBit(h32, shift);
        filter[g >>> 5]! |= 1 << (g & 31);
      }
    }
  }

  /**
   * Report every pattern that starts at `s` in `buf` and ends at or before `end`, given
   * `w` = the 4 bytes at `s`.
   */
  verify(buf: Uint8Array, s: number, w: number, end: number, out: Matches): void {
    if (this.hasShort) {
      const chain = this.short.find(w, 0);
      if (chain !== 0) this.walk(chain, buf, s, 4, end, out);
    }
    if (s + 8 <= end) {
      const chain = this.long.find(w, readWord(buf, s + 4));
      if (chain !== 0) this.walk(chain, buf, s, 8, end, out);
    }
  }

  private walk(chain: number, buf: Uint8Array, s: number, known: number, end: number, out: Matches): void {
    const data = this.data;
    for (let id = chain - 1; id >= 0; id = this.next[id]! - 1) {
      const L = this.len[id]!;
      if (s + L > end) continue;
      const o = this.off[id]!;
      let k = known;
      while (k < L && buf[s + k] === data[o + k]) k++;
      if (k === L) out.add(s, s + L, this.tags[id]!);
    }
  }

  wipe(): void {
    this.data.fill(0);
    this.firstWords.fill(0);
    this.off.fill(0);
    this.len.fill(0);
    this.tags.fill(0);
    this.next.fill(0);
    this.short.wipe();
    this.long.wipe();
  }
}

/**
 * Matches merged on the fly into disjoint intervals (overlapping matches become one
 * interval; it keeps the tag of its longest match). Starts arrive in ascending order.
 */
export class Matches {
  starts: number[] = [];
  ends: number[] = [];
  tags: number[] = [];
  private bestLen = 0;

  add(start: number, end: number, tag: number): void {
    const n = this.starts.length;
    if (n > 0 && start < this.ends[n - 1]!) {
      if (end > this.ends[n - 1]!) this.ends[n - 1] = end;
      if (end - start > this.bestLen) {
        this.bestLen = end - start;
        this.tags[n - 1] = tag;
      }
      return;
    }
    this.starts.push(start);
    this.ends.push(end);
    this.tags.push(tag);
    this.bestLen = end - start;
  }

  get length(): number {
    return this.starts.length;
  }
}

/** Largest sampling step: each pattern puts this many windows in the filter. */
const MAX_STEP = 4;

/**
 * One filter over a static and an optional dynamic pattern set.
 *
 * Sampling: when every pattern is at least step + 3 bytes long, an occurrence starting at
 * s covers the 4-byte window at the one multiple q of `step` in [s, s + step), and that
 * window is the pattern's window at offset q - s. So the filter holds each pattern's
 * windows at offsets 0 .. step-1, the scan reads a window only every `step` bytes, and a
 * hit at q verifies the starts q - step + 1 .. q. The step is the shortest pattern's
 * length minus 3, at most 4 (3 with one-time codes of 6 digits). Larger steps put more
 * windows in the filter and more starts behind each hit: measured, no faster.
 */
export class Matcher {
  private readonly filter: Int32Array;
  private readonly shift: number;
  readonly step: number;
  readonly maxLength: number;

  constructor(
    private readonly fixed: PatternSet,
    private readonly dynamic: PatternSet | null = null,
  ) {
    const sets = [fixed, dynamic].filter((p): p is PatternSet => p !== null && p.count > 0);
    const minLength = Math.min(...sets.map((p) => p.minLength), MAX_STEP + 3);
    this.step = Math.max(1, Math.min(MAX_STEP, minLength - 3));
    const windows = sets.reduce((a, p) => a + p.count, 0) * this.step;
    // A Bloom filter with 2 bits per window and ~8 bits of filter per window: a window
    // that is none of the patterns' passes with probability ~5%; at most 4 MiB.
    const bits = Math.min(2 ** 25, Math.max(2 ** 12, pow2AtLeast(windows * 8)));
    this.shift = 32 - Math.log2(bits);
    this.filter = new Int32Array(bits / 32);
    for (const p of sets) p.markFilter(this.filter, this.shift, this.step);
    this.maxLength = Math.max(0, ...sets.map((p) => p.maxLength));
  }

  /** Every match that lies within buf[0, end), in order of start. */
  scan(buf: Uint8Array, end = buf.length): Matches {
    const out = new Matches();
    if (end < 4 || this.maxLength === 0) return out;
    if (this.step === 1) this.scanEveryByte(buf, end, out);
    else this.scanSampled(buf, end, out);
    return out;
  }

  private scanSampled(buf: Uint8Array, end: number, out: Matches): void {
    const filter = this.filter;
    const shift = this.shift;
    const step = this.step;
    const last = end - 4;
    for (let q = 0; q <= last; q += step) {
      const w = (buf[q]! << 24) | (buf[q + 1]! << 16) | (buf[q + 2]! << 8) | buf[q + 3]!;
      const h32 = Math.imul(w, 0x9e3779b1);
      const h = h32 >>> shift;
      if ((filter[h >>> 5]! & (1 << (h & 31))) === 0) continue;
      const g = secondBit(h32, shift);
      if ((filter[g >>> 5]! & (1 << (g & 31))) === 0) continue;
      for (let s = Math.max(0, q - step + 1); s <= q; s++) this.verifyAt(buf, s, end, out);
    }
  }

  private scanEveryByte(buf: Uint8Array, end: number, out: Matches): void {
    const filter = this.filter;
    const shift = this.shift;
    let w = (buf[0]! << 16) | (buf[1]! << 8) | buf[2]!;
    for (let i = 3; i < end; i++) {
      w = (w << 8) | buf[i]!;
      const h32 = Math.imul(w, 0x9e3779b1);
      const h = h32 >>> shift;
      if ((filter[h >>> 5]! & (1 << (h & 31))) === 0) continue;
      const g = secondBit(h32, shift);
      if ((filter[g >>> 5]! & (1 << (g & 31))) === 0) continue;
      this.verifyAt(buf, i - 3, end, out);
    }
  }

  private verifyAt(buf: Uint8Array, s: number, end: number, out: Matches): void {
    if (s + 4 > end) return;
    const w = readWord(buf, s);
    this.fixed.verify(buf, s, w, end, out);
    if (this.dynamic !== null) this.dynamic.verify(buf, s, w, end, out);
  }

  wipe(): void {
    this.filter.fill(0);
  }
}

/** Replace each interval of `m` by its tag's placeholder; null when nothing matched. */
export function applyMatches(buf: Uint8Array, m: Matches, placeholder: (tag: number) => Uint8Array, upTo = buf.length): Buffer | null {
  if (m.length === 0) return null;
  let k = 0;
  let size = upTo;
  for (; k < m.length && m.starts[k]! < upTo; k++) size += placeholder(m.tags[k]!).length - (m.ends[k]! - m.starts[k]!);
  const out = Buffer.allocUnsafeSlow(size); // every byte is written below; it holds scrubbed text only
  let at = 0;
  let o = 0;
  for (let i = 0; i < k; i++) {
    const s = m.starts[i]!;
    out.set(buf.subarray(at, s), o);
    o += s - at;
    const p = placeholder(m.tags[i]!);
    out.set(p, o);
    o += p.length;
    at = m.ends[i]!;
  }
  if (at < upTo) out.set(buf.subarray(at, upTo), o);
  return out;
}

/**
 * Where a streaming scrubber may cut `buf` (its first `cut` bytes are final): no match
 * found so far crosses the cut, and no match that needs bytes still to come can start
 * before it (a match needs at most `maxLength` bytes, so it starts after
 * `buf.length - maxLength`). With `utf8`, the cut also falls on a character boundary.
 */
export function streamCut(buf: Uint8Array, m: Matches, maxLength: number, utf8 = false): number {
  let cut = Math.max(0, buf.length - Math.max(0, maxLength - 1));
  for (;;) {
    const before = cut;
    if (utf8) while (cut > 0 && cut < buf.length && (buf[cut]! & 0xc0) === 0x80) cut--;
    for (let k = 0; k < m.length; k++) {
      const s = m.starts[k]!;
      if (s >= cut) break;
      if (m.ends[k]! > cut) {
        cut = s;
        break;
      }
    }
    if (cut === before) return cut;
  }
}
