import { describe, expect, it } from 'vitest';
import { applyMatches, Matcher, type Pattern, PatternSet } from './matcher.js';
import { SecretScrubber } from './scrubber.js';

/** A seeded PRNG, so failures reproduce. */
function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s % n;
  };
}

/** Reference: every occurrence of every pattern (indexOf), merged like Matches. */
function naive(text: Uint8Array, patterns: Pattern[]): Array<[number, number]> {
  const hits: Array<[number, number]> = [];
  const t = Buffer.from(text);
  for (const p of patterns) {
    if (p.bytes.length < 4) continue;
    for (let i = t.indexOf(p.bytes); i !== -1; i = t.indexOf(p.bytes, i + 1)) hits.push([i, i + p.bytes.length]);
  }
  hits.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Array<[number, number]> = [];
  for (const [s, e] of hits) {
    const last = merged[merged.length - 1];
    if (last && s < last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

const intervals = (m: { starts: number[]; ends: number[] }) => m.starts.map((s, k) => [s, m.ends[k]!] as [number, number]);

describe('Matcher', () => {
  it('finds exactly what a naive search finds (random patterns 4-24 bytes, small alphabet, every sampling step)', () => {
    const r = rng(7);
    for (let round = 0; round < 300; round++) {
      const alphabet = 2 + r(4);
      const minLen = 4 + (round % 6); // sampling steps 1 to 4
      const patterns: Pattern[] = [];
      const count = 1 + r(12);
      for (let i = 0; i < count; i++) {
        const len = minLen + r(16);
        patterns.push({ bytes: Uint8Array.from({ length: len }, () => 97 + r(alphabet)), tag: i });
      }
      const text = Uint8Array.from({ length: r(400) }, () => 97 + r(alphabet));
      // …and one at the very end, and one at the very start.
      if (text.length > 60) {
        text.set(patterns[0]!.bytes, text.length - patterns[0]!.bytes.length);
        text.set(patterns[patterns.length - 1]!.bytes, 0);
      }
      // Plant a few real occurrences.
      for (let k = 0; k < 3 && text.length > 40; k++) {
        const p = patterns[r(patterns.length)]!.bytes;
        const at = r(Math.max(1, text.length - p.length));
        if (at + p.length <= text.length) text.set(p, at);
      }
      const m = new Matcher(new PatternSet(patterns));
      expect(intervals(m.scan(text)), `round ${round}`).toEqual(naive(text, patterns));
    }
  });

  it('samples every (shortest pattern - 3) bytes, at most every 4', () => {
    const mk = (...lens: number[]) => new Matcher(new PatternSet(lens.map((n, i) => ({ bytes: Buffer.alloc(n, 97 + i), tag: i })))).step;
    expect(mk(4, 30)).toBe(1);
    expect(mk(5, 30)).toBe(2);
    expect(mk(6, 30)).toBe(3); // a one-time code
    expect(mk(7, 30)).toBe(4);
    expect(mk(40)).toBe(4);
  });

  it('merges overlapping matches and keeps the longest match\'s tag', () => {
    const m = new Matcher(new PatternSet([
      { bytes: Buffer.from('abcdef'), tag: 0 },
      { bytes: Buffer.from('cdefghij'), tag: 1 },
      { bytes: Buffer.from('zzzz'), tag: 2 },
    ]));
    const text = Buffer.from('..abcdefghij..zzzzzz..');
    const found = m.scan(text);
    expect(intervals(found)).toEqual([[2, 12], [14, 20]]);
    expect(found.tags).toEqual([1, 2]);
    const out = applyMatches(text, found, (t) => Buffer.from(`<${t}>`));
    expect(out?.toString()).toBe('..<1>..<2>..');
  });

  it('ignores patterns under 4 bytes and drops exact duplicates', () => {
    const set = new PatternSet([
      { bytes: Buffer.from('abc'), tag: 0 },
      { bytes: Buffer.from('abcdefgh'), tag: 1 },
      { bytes: Buffer.from('abcdefgh'), tag: 2 },
    ]);
    expect(set.count).toBe(1);
    expect(new Matcher(set).scan(Buffer.from('abc abcdefgh')).tags).toEqual([1]);
  });

  it('wipe() zeroes the pattern bytes', () => {
    const set = new PatternSet([{ bytes: Buffer.from('secret-value-123'), tag: 0 }]);
    const data = (set as unknown as { data: Uint8Array }).data;
    expect(Buffer.from(data).toString()).toContain('secret-value-123');
    set.wipe();
    expect(data.every((b) => b === 0)).toBe(true);
  });

  it('one pass: a 10,000-pattern set scans as fast as a 10-pattern set, within a factor', () => {
    const r = rng(3);
    const mk = (n: number) =>
      new Matcher(new PatternSet(Array.from({ length: n }, (_, i) => ({ bytes: Uint8Array.from({ length: 24 }, () => 33 + r(90)), tag: i }))));
    const text = Uint8Array.from({ length: 4 << 20 }, () => 32 + r(95));
    const time = (m: Matcher) => {
      m.scan(text.subarray(0, 1 << 20));
      const t = performance.now();
      m.scan(text);
      return performance.now() - t;
    };
    const small = Math.min(time(mk(10)), time(mk(10)));
    const big = Math.min(time(mk(10_000)), time(mk(10_000)));
    expect(big).toBeLessThan(small * 6 + 50);
  });
});

/** Reference with tags: merged like Matches, each interval tagged by its longest match (earliest on ties; duplicates keep the first tag). */
function naiveTagged(text: Uint8Array, patterns: Pattern[]): Array<[number, number, number]> {
  const seen = new Set<string>();
  const hits: Array<[number, number, number]> = [];
  const t = Buffer.from(text);
  for (const p of patterns) {
    const key = Buffer.from(p.bytes).toString('latin1');
    if (p.bytes.length < 4 || seen.has(key)) continue;
    seen.add(key);
    for (let i = t.indexOf(p.bytes); i !== -1; i = t.indexOf(p.bytes, i + 1)) hits.push([i, i + p.bytes.length, p.tag]);
  }
  hits.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Array<[number, number, number, number]> = [];
  for (const [s, e, tag] of hits) {
    const last = merged[merged.length - 1];
    if (last && s < last[1]) {
      last[1] = Math.max(last[1], e);
      if (e - s > last[3]) {
        last[2] = tag;
        last[3] = e - s;
      }
    } else merged.push([s, e, tag, e - s]);
  }
  return merged.map(([s, e, tag]) => [s, e, tag]);
}

describe('Matcher with patterns that share long prefixes', () => {
  it('finds exactly what a naive search finds, with the same tags (many patterns, long common runs, 4-40 bytes)', () => {
    const r = rng(11);
    for (let round = 0; round < 120; round++) {
      // A few long common stems over a 2-3 letter alphabet: chains burst, several levels deep,
      // with patterns ending at every offset of an 8-byte block.
      const alphabet = 2 + r(2);
      const letter = () => 97 + r(alphabet);
      const stems = Array.from({ length: 1 + r(3) }, () => Uint8Array.from({ length: r(30) }, letter));
      const patterns: Pattern[] = [];
      const count = 20 + r(200);
      for (let i = 0; i < count; i++) {
        const stem = stems[r(stems.length)]!;
        const cut = r(stem.length + 1);
        const len = Math.max(4, cut + r(12));
        const bytes = Uint8Array.from({ length: len }, (_, k) => (k < cut ? stem[k]! : letter()));
        patterns.push({ bytes, tag: i });
      }
      const text = Uint8Array.from({ length: 200 + r(800) }, letter);
      for (let k = 0; k < 6; k++) {
        const p = patterns[r(patterns.length)]!.bytes;
        const at = r(Math.max(1, text.length - p.length));
        if (at + p.length <= text.length) text.set(p, at);
      }
      const m = new Matcher(new PatternSet(patterns)).scan(text);
      const got = m.starts.map((s, k) => [s, m.ends[k]!, m.tags[k]!]);
      expect(got, `round ${round}`).toEqual(naiveTagged(text, patterns));
      // …and over a prefix of the text (matches must end within it).
      const end = r(text.length);
      const m2 = new Matcher(new PatternSet(patterns)).scan(text, end);
      expect(intervals(m2), `round ${round}, end ${end}`).toEqual(naive(text.subarray(0, end), patterns));
    }
  });

  it('10,000 passwords sharing a 20-byte prefix: each found (raw and encoded), near misses left, split secrets found', () => {
    const prefix = 'Acme-Corp-2024-Q3/pw'; // 20 bytes
    expect(prefix.length).toBe(20);
    const pw = (i: number) => `${prefix}${String(i).padStart(5, '0')}!x`;
    const creds = Array.from({ length: 10_000 }, (_, i) => ({ label: `c${i}`, password: Buffer.from(pw(i)) }));
    const sc = new SecretScrubber({ source: () => creds });
    const scrub = (s: string) => {
      const r = sc.scrub([Buffer.from(s)]);
      if (!r.ok) throw new Error(r.code);
      return Buffer.from(r.value.out[0]!).toString();
    };
    expect(sc.stats()).toBeNull();
    const all = Array.from({ length: 10_000 }, (_, i) => pw(i)).join(' ');
    expect(scrub(all)).toBe(Array.from({ length: 10_000 }, (_, i) => `[blindfill:c${i}]`).join(' '));
    expect(sc.stats()!.labels).toBe(10_000);
    // Encoded forms share (longer) prefixes too.
    for (const i of [0, 1, 4242, 9999]) {
      const b = Buffer.from(pw(i));
      expect(scrub(`a ${b.toString('base64')} b ${encodeURIComponent(pw(i))} c ${b.toString('hex')} d ${JSON.stringify(pw(i))}`)).toBe(
        `a [blindfill:c${i}] b [blindfill:c${i}] c [blindfill:c${i}] d "[blindfill:c${i}]"`,
      );
    }
    // Near misses: the prefix alone, a suffix out of range, one byte changed, truncated.
    const misses = [prefix, `${prefix}10000!x`, `${prefix}00042!y`, `${prefix}0004!x`, `${prefix}00042!`, `acme-Corp-2024-Q3/pw00042!x`];
    for (const miss of misses) expect(scrub(` ${miss} `), miss).toBe(` ${miss} `);
    // Split across two chunks, inside the shared prefix and inside the suffix.
    const text = Buffer.from(`log: password=${pw(7777)} done`);
    const at = text.indexOf(pw(7777));
    for (const cut of [at + 3, at + 10, at + 19, at + 20, at + 23, at + 26]) {
      const first = sc.scrubStream(text.subarray(0, cut), false);
      if (!first.ok) throw new Error(first.code);
      const second = sc.scrubStream(Buffer.concat([first.value.rest, text.subarray(cut)]), true);
      if (!second.ok) throw new Error(second.code);
      expect(Buffer.concat([first.value.out, second.value.out]).toString(), `cut at ${cut}`).toBe('log: password=[blindfill:c7777] done');
    }
  });

  it('wipe() zeroes every index array, trie included', () => {
    const patterns = Array.from({ length: 300 }, (_, i) => ({ bytes: Buffer.from(`shared-prefix-of-secrets-${i}-${i % 7 ? 'tail' : ''}`), tag: i }));
    const set = new PatternSet(patterns);
    const arrays = (o: object): ArrayBufferView[] =>
      Object.values(o).flatMap((v) => (ArrayBuffer.isView(v) ? [v] : v && typeof v === 'object' && !Array.isArray(v) ? arrays(v) : []));
    const views = arrays(set);
    expect(views.length).toBeGreaterThan(5);
    expect(new Matcher(set).scan(Buffer.from('x shared-prefix-of-secrets-123-tail')).length).toBe(1);
    set.wipe();
    for (const v of views) expect(new Uint8Array(v.buffer, v.byteOffset, v.byteLength).every((b) => b === 0)).toBe(true);
  });
});

describe('stream splitting', () => {
  const secrets = ['Bf9s-secret !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~Zq7', 'second-secret-0123456789'];
  const creds = secrets.map((s, i) => ({ label: `l${i}`, password: Buffer.from(s) }));
  const sc = new SecretScrubber({ source: () => creds });
  const whole = (text: Buffer): string => {
    const r = sc.scrub([text]);
    if (!r.ok) throw new Error(r.code);
    return Buffer.from(r.value.out[0]!).toString('latin1');
  };
  /** Feed `pieces` through scrubStream the way `blindfill redact` does. */
  const streamed = (pieces: Buffer[]): string => {
    let out = '';
    let rest: Uint8Array = Buffer.alloc(0);
    pieces.forEach((p, i) => {
      const r = sc.scrubStream(Buffer.concat([rest, p]), i === pieces.length - 1);
      if (!r.ok) throw new Error(r.code);
      out += Buffer.from(r.value.out).toString('latin1');
      rest = Buffer.from(r.value.rest);
    });
    expect(rest.length).toBe(0);
    return out;
  };
  const text = Buffer.from(
    `head ${secrets[0]} mid ${Buffer.from(secrets[1]!).toString('base64')} and ${encodeURIComponent(secrets[0]!)}${secrets[1]}${secrets[1]} tail`,
  );

  it('gives the same output as one pass, at every single split point', () => {
    const expected = whole(text);
    expect(expected).not.toContain('secret');
    for (let i = 0; i <= text.length; i++) expect(streamed([text.subarray(0, i), text.subarray(i)]), `split at ${i}`).toBe(expected);
  });

  it('and with every pair of split points (three pieces), and one byte at a time', () => {
    const expected = whole(text);
    for (let i = 0; i <= text.length; i += 3) {
      for (let j = i; j <= text.length; j += 5) {
        expect(streamed([text.subarray(0, i), text.subarray(i, j), text.subarray(j)]), `splits ${i},${j}`).toBe(expected);
      }
    }
    expect(streamed([...text].map((b) => Buffer.from([b])))).toBe(expected);
  });

  it('with utf8, the cut never splits a character', () => {
    const u = new SecretScrubber({ source: () => [{ label: 'u', password: Buffer.from('clé-secrète-ü') }] });
    const t = Buffer.from('ééééé clé-secrète-ü ü€😀 fin ééé');
    for (let i = 0; i <= t.length; i++) {
      let out = '';
      let rest: Uint8Array = Buffer.alloc(0);
      for (const [k, p] of [t.subarray(0, i), t.subarray(i)].entries()) {
        const r = u.scrubStream(Buffer.concat([rest, p]), k === 1, true);
        if (!r.ok) throw new Error(r.code);
        // Each piece decodes on its own: no character is cut in two.
        expect(Buffer.from(Buffer.from(r.value.out).toString('utf8'), 'utf8').equals(Buffer.from(r.value.out))).toBe(true);
        out += Buffer.from(r.value.out).toString('utf8');
        rest = Buffer.from(r.value.rest);
      }
      expect(out).toBe('ééééé [blindfill:u] ü€😀 fin ééé');
    }
  });

  it('holds back no more than the longest pattern minus one byte when nothing matches', () => {
    const r = sc.scrubStream(Buffer.alloc(10_000, 0x61), false);
    if (!r.ok) throw new Error(r.code);
    const max = sc.stats()!.maxLength;
    expect(r.value.rest.length).toBe(max - 1);
    expect(r.value.out.length).toBe(10_000 - (max - 1));
  });
});
