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
 *    test per byte); on a set bit, it looks the text up in an exact hash table: patterns
 *    of 4–7 bytes keyed by all their bytes, longer ones by their first 8 bytes, which lead
 *    to the few patterns with that prefix, or, when more patterns share it, to a further
 *    level keyed by the next 8 bytes (a burst trie: see PatternSet).
 *
 * The work per text byte does not depend on the number of patterns; verification only
 * happens where a pattern's first 8 bytes (all of a short one) actually occur, and costs
 * at most a few probes and short comparisons per 8 bytes of text that match some pattern,
 * however many patterns share a prefix (templated passwords, `Acme-2024-…` schemes).
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
/** The filter's second bit (a 2-hash Bloom filter): from the first hash's full 32 bits. */
const secondBit = (h32: number, shift: number): number => Math.imul(h32 ^ (h32 >>> 16), 0x7feb352d) >>> shift;

function pow2AtLeast(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** The first n (0-4) bytes at i as a left-aligned word, zero-padded (readWord when n = 4). */
function partialWord(b: Uint8Array, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) v |= b[i + k]! << (24 - 8 * k);
  return v;
}

/**
 * The trie's edges: an exact, growable hash table from (node, t, 8 bytes) to a slot of
 * five ints [node * 16 + t, k0, k1, term, child]: the t (1-8) bytes that follow the
 * node's offset, as two left-aligned zero-padded words; term = id + 1 of the pattern that
 * ends there (0: none); child = the node for patterns that go on (t = 8 only; 0: none).
 * Slot key 0 marks an empty slot (t is never 0). The keys are pattern bytes: storage is
 * zeroed when it grows and by wipe().
 */
class EdgeTable {
  mask: number;
  private shift: number;
  slots: Int32Array;
  used = 0;

  constructor(count: number) {
    const cap = pow2AtLeast(Math.max(16, count * 2));
    this.mask = cap - 1;
    this.shift = 32 - Math.log2(cap);
    this.slots = new Int32Array(cap * 5);
  }

  /**
   * Multiplicative hashing, slot = the product's top bits (each depends on every lower
   * bit of its inputs, so zero-padded tails and keys that differ only in a word's first
   * byte still spread); cheap, as the scan probes the root at every filter hit.
   */
  private hash(nt: number, a: number, b: number): number {
    return Math.imul(a ^ Math.imul(b ^ Math.imul(nt, 0x27d4eb2f), 0x85ebca6b), 0x9e3779b1) >>> this.shift;
  }

  /** The slot index (×5) of (nt, a, b), or -1. */
  find(nt: number, a: number, b: number): number {
    const t = this.slots;
    for (let i = this.hash(nt, a, b); ; i = (i + 1) & this.mask) {
      const j = i * 5;
      const k = t[j]!;
      if (k === 0) return -1;
      if (k === nt && t[j + 1] === a && t[j + 2] === b) return j;
    }
  }

  /** The slot index (×5) of (nt, a, b), added (term = child = 0) when absent. */
  findOrAdd(nt: number, a: number, b: number): number {
    if ((this.used + 1) * 2 > this.mask + 1) this.grow();
    const t = this.slots;
    for (let i = this.hash(nt, a, b); ; i = (i + 1) & this.mask) {
      const j = i * 5;
      const k = t[j]!;
      if (k === nt && t[j + 1] === a && t[j + 2] === b) return j;
      if (k === 0) {
        t[j] = nt;
        t[j + 1] = a;
        t[j + 2] = b;
        this.used++;
        return j;
      }
    }
  }

  private grow(): void {
    const old = this.slots;
    const cap = (this.mask + 1) * 2;
    this.mask = cap - 1;
    this.shift--;
    this.slots = new Int32Array(cap * 5);
    const t = this.slots;
    for (let j = 0; j < old.length; j += 5) {
      if (old[j] === 0) continue;
      let i = this.hash(old[j]!, old[j + 1]!, old[j + 2]!);
      while (t[i * 5] !== 0) i = (i + 1) & this.mask;
      t.set(old.subarray(j, j + 5), i * 5);
    }
    old.fill(0);
  }

  wipe(): void {
    this.slots.fill(0);
    this.used = 0;
  }
}

/** The hash behind PatternSet's root bitset (top bits used). */
const rootHash = (a: number, b: number): number => Math.imul(a ^ Math.imul(b, 0xcc9e2d51), 0x1b873593);

const growInt32 = (a: Int32Array, min: number): Int32Array => {
  if (a.length >= min) return a;
  const b = new Int32Array(Math.max(min, a.length * 2));
  b.set(a);
  return b;
};

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

/** A node's flag: its patterns are split by their next bytes (else: one chain). */
const BURST = 1;
/** A chain longer than this is split (burst) by its patterns' next 8 bytes. */
const CHAIN_MAX = 8;

/**
 * A set of patterns, indexed for verification: a burst trie over 8-byte blocks.
 *
 * Why: keyed by their first 8 bytes only, patterns that share a longer prefix (templated
 * passwords, a company scheme such as `Acme-2024-…`, and their encoded forms, whose shared
 * run is longer still) formed one chain: 10,000 such passwords took tens of seconds to
 * index (a duplicate check walked the chain at each insertion) and every occurrence of the
 * prefix in the text compared all of them. A second table on bytes 8-15 or a hash of a
 * longer window only moves the problem to a longer shared prefix. A true Aho-Corasick
 * automaton is bounded but costs a node per pattern byte (see the file comment). A burst
 * trie costs nodes only where patterns actually share prefixes:
 *
 *  - a node stands for an 8k-byte prefix; it holds either a chain of at most CHAIN_MAX
 *    patterns (compared byte for byte from offset 8k), or, once burst, edges in one hash
 *    table keyed by (node, t, the t bytes at 8k): t = 8 leads to the child node (and to
 *    the pattern of exactly 8k + 8 bytes, if any), t = 1-7 to the pattern that ends there;
 *  - the root is always burst: its edges are the first 8 bytes of long patterns (the old
 *    8-byte key) and the whole of 4-7-byte patterns.
 *
 * At a candidate start, verification costs at most one chain of CHAIN_MAX plus one hash
 * probe per tail length present, per 8 bytes of prefix that the text actually shares with
 * some pattern: bounded by the pattern length, not by how many patterns share a prefix.
 * Random passwords rarely share 8 bytes, so the trie is mostly the root's edges plus
 * chains of the forms of one secret (the same cost as before); insertion checks
 * duplicates in the same bounded way (exact duplicates keep the first tag).
 */
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
  private readonly edges: EdgeTable;
  /** Per node: its prefix length (8 × depth). */
  private nodeOff: Int32Array = new Int32Array(64);
  /** Per node: BURST, and bit t set when an edge of t bytes leaves it. */
  private nodeBits: Int32Array = new Int32Array(64);
  /** Per node (not burst): its chain's first pattern id + 1, and its length. */
  private nodeHead: Int32Array = new Int32Array(64);
  private nodeLen: Int32Array = new Int32Array(64);
  private nodes = 1;
  /**
   * One bit per root 8-byte edge (~16 bits of bitset per edge, so ~6% false positives):
   * most filter hits are not a pattern's first 8 bytes, and this small bitset rejects them
   * without a probe into the (several MB) edge table.
   */
  private readonly rootBits: Int32Array;
  private readonly rootShift: number;

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
    this.edges = new EdgeTable(total);
    this.nodeBits[0] = BURST;
    let n = 0;
    let pos = 0;
    let maxLength = 0;
    let minLength = 0;
    const sd = src.data;
    for (let i = 0; i < total; i++) {
      const so = src.off[i]!;
      const L = src.len[i]!;
      // Copied in as pattern n; a duplicate is overwritten by the next one (and zeroed below).
      this.data.set(sd.subarray(so, so + L), pos);
      this.off[n] = pos;
      this.len[n] = L;
      this.tags[n] = src.tags[i]!;
      if (!this.insert(n, 0)) continue;
      pos += L;
      n++;
      if (L > maxLength) maxLength = L;
      if (minLength === 0 || L < minLength) minLength = L;
    }
    this.data.fill(0, pos);
    if (!(input instanceof PatternPacker)) src.wipe();
    const size = Math.min(2 ** 24, Math.max(2 ** 10, pow2AtLeast(this.edges.used * 16)));
    this.rootShift = 32 - Math.log2(size);
    this.rootBits = new Int32Array(size / 32);
    const e = this.edges.slots;
    for (let j = 0; j < e.length; j += 5) {
      if (e[j] !== 8) continue; // root (node 0), t = 8
      const h = rootHash(e[j + 1]!, e[j + 2]!) >>> this.rootShift;
      this.rootBits[h >>> 5]! |= 1 << (h & 31);
    }
    this.count = n;
    this.maxLength = maxLength;
    this.minLength = minLength;
  }

  private newNode(offset: number): number {
    const id = this.nodes++;
    if (id === this.nodeOff.length) {
      this.nodeOff = growInt32(this.nodeOff, id + 1);
      this.nodeBits = growInt32(this.nodeBits, id + 1);
      this.nodeHead = growInt32(this.nodeHead, id + 1);
      this.nodeLen = growInt32(this.nodeLen, id + 1);
    }
    this.nodeOff[id] = offset;
    return id;
  }

  /** Put pattern `id` under `node` (its prefix up to the node's offset matches); false for a duplicate. */
  private insert(id: number, node: number): boolean {
    const d = this.data;
    const o = this.off[id]!;
    const L = this.len[id]!;
    for (;;) {
      const no = this.nodeOff[node]!;
      if ((this.nodeBits[node]! & BURST) === 0) {
        for (let c = this.nodeHead[node]! - 1; c >= 0; c = this.next[c]! - 1) {
          if (this.len[c] !== L) continue;
          const co = this.off[c]!;
          let k = no;
          while (k < L && d[co + k] === d[o + k]) k++;
          if (k === L) return false;
        }
        this.next[id] = this.nodeHead[node]!;
        this.nodeHead[node] = id + 1;
        if (++this.nodeLen[node]! > CHAIN_MAX) this.burst(node);
        return true;
      }
      const rem = L - no;
      const t = Math.min(rem , 8);
      const a = partialWord(d, o + no, Math.min(t, 4));
      const b = partialWord(d, o + no + 4, Math.max(0, t - 4));
      const j = this.edges.findOrAdd(node * 16 + t, a, b);
      this.nodeBits[node]! |= 1 << t;
      const e = this.edges.slots;
      if (rem <= 8) {
        if (e[j + 3] !== 0) return false;
        e[j + 3] = id + 1;
        return true;
      }
      if (e[j + 4] === 0) e[j + 4] = this.newNode(no + 8);
      node = e[j + 4]!;
    }
  }

  /** Turn a chain into edges: its patterns go one level down, in insertion order. */
  private burst(node: number): void {
    const ids: number[] = [];
    for (let c = this.nodeHead[node]! - 1; c >= 0; c = this.next[c]! - 1) ids.push(c);
    this.nodeHead[node] = 0;
    this.nodeLen[node] = 0;
    this.nodeBits[node] = BURST;
    for (let i = ids.length - 1; i >= 0; i--) {
      this.next[ids[i]!] = 0;
      this.insert(ids[i]!, node);
    }
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
   * `w` = the 4 bytes at `s`. Shorter matches are reported first.
   */
  verify(buf: Uint8Array, s: number, w: number, end: number, out: Matches): void {
    // The root's 8-byte edge first, in a small method the scan can inline: most calls are
    // filter false positives that end at this one probe.
    const root = this.nodeBits[0]!;
    if ((root & 0xfe) !== 0) this.tails(0, buf, s, s, w, end, out);
    if ((root & 0x100) === 0 || s + 8 > end) return;
    const w1 = readWord(buf, s + 4);
    const h = rootHash(w, w1) >>> this.rootShift;
    if ((this.rootBits[h >>> 5]! & (1 << (h & 31))) === 0) return;
    const j = this.edges.find(8, w, w1);
    if (j >= 0) this.follow(j, buf, s, s + 8, end, out);
  }

  /** Report the patterns that end within the t < 8 bytes at p, under burst `node`. */
  private tails(node: number, buf: Uint8Array, s: number, p: number, w: number, end: number, out: Matches): void {
    const e = this.edges;
    for (let m = this.nodeBits[node]! & 0xfe; m !== 0; m &= m - 1) {
      const t = 31 - Math.clz32(m & -m);
      if (p + t > end) return;
      const a = t >= 4 ? (p === s ? w : readWord(buf, p)) : partialWord(buf, p, t);
      const j = e.find(node * 16 + t, a, partialWord(buf, p + 4, Math.max(0, t - 4)));
      if (j >= 0 && e.slots[j + 3] !== 0) out.add(s, p + t, this.tags[e.slots[j + 3]! - 1]!);
    }
  }

  /** From the 8-byte edge at slot j, which the text matches up to p: its pattern, then down the trie. */
  private follow(j: number, buf: Uint8Array, s: number, p: number, end: number, out: Matches): void {
    const e = this.edges;
    for (;;) {
      const term = e.slots[j + 3]!;
      if (term !== 0) out.add(s, p, this.tags[term - 1]!);
      const node = e.slots[j + 4]!;
      if (node === 0) return;
      const bits = this.nodeBits[node]!;
      if ((bits & BURST) === 0) {
        this.walk(this.nodeHead[node]!, buf, s, p - s, end, out);
        return;
      }
      // Patterns that end within the next 7 bytes (past the root, only where prefixes are shared).
      if ((bits & 0xfe) !== 0) this.tails(node, buf, s, p, 0, end, out);
      if ((bits & 0x100) === 0 || p + 8 > end) return;
      j = e.find(node * 16 + 8, readWord(buf, p), readWord(buf, p + 4));
      if (j < 0) return;
      p += 8;
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
    this.off.fill(0);
    this.len.fill(0);
    this.tags.fill(0);
    this.next.fill(0);
    this.edges.wipe();
    this.rootBits.fill(0);
    this.nodeOff.fill(0);
    this.nodeBits.fill(0);
    this.nodeHead.fill(0);
    this.nodeLen.fill(0);
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
