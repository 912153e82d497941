/**
 * The daemon's secret scrubber: replaces every form of every vault secret (see forms.ts)
 * and the one-time codes valid now with `[blindfill:LABEL]`.
 *
 * The large pattern set is built from the vault on first use after any change (unlock,
 * add, update, remove, generate) and dropped — its bytes zeroed — on every change and on
 * lock. One-time codes are computed at scrub time for the current period ±1 and kept
 * only until the next period boundary. When the vault is locked, scrubbing fails
 * (VAULT_LOCKED): text is never passed through unscrubbed.
 */
import { fail, ok, type Result } from '../../shared/errors.js';
import { codesAround, type TotpSeed } from './codes.js';
import { secretForms, seedForms, MIN_PATTERN_BYTES } from './forms.js';
import { applyMatches, Matcher, PatternPacker, PatternSet, streamCut } from './matcher.js';

export interface ScrubCredential {
  readonly label: string;
  readonly password?: Uint8Array;
  readonly totp?: TotpSeed;
}

/** The unlocked vault's credentials, or null when it is locked. */
export type CredentialSource = () => ScrubCredential[] | null;

export interface ScrubberOptions {
  /** Read only when the patterns are (re)built. */
  source: CredentialSource;
  /** Whether the vault is unlocked now (checked on every scrub; default: source() !== null). */
  unlocked?: () => boolean;
  now?: () => number;
  /** Diagnostics (labels only, never values). */
  log?: (msg: string) => void;
}

interface Built {
  labels: string[];
  placeholders: Uint8Array[];
  fixed: PatternSet;
  seeds: Array<{ tag: number; seed: TotpSeed }>;
  dynamic: PatternSet | null;
  /** Until when (ms) the dynamic set's codes are those of the current period ±1. */
  dynamicUntil: number;
  matcher: Matcher;
}

export interface ScrubStats {
  labels: number;
  patterns: number;
  codePatterns: number;
  maxLength: number;
  buildMs: number;
}

const lockedFailure = () => fail('VAULT_LOCKED', 'the vault is locked: run `blindfill unlock` (nothing was passed through unscrubbed)');

export class SecretScrubber {
  private built: Built | null = null;
  private lastBuildMs = 0;
  private readonly now: () => number;

  constructor(private readonly opts: ScrubberOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Drop the patterns (zeroed); the next scrub rebuilds them from the vault. */
  invalidate(): void {
    const b = this.built;
    this.built = null;
    if (!b) return;
    b.fixed.wipe();
    b.dynamic?.wipe();
    b.matcher.wipe();
    for (const s of b.seeds) (s.seed.secret as Uint8Array).fill(0);
  }

  stats(): ScrubStats | null {
    const b = this.built;
    if (!b) return null;
    return { labels: b.labels.length, patterns: b.fixed.count, codePatterns: b.dynamic?.count ?? 0, maxLength: b.matcher.maxLength, buildMs: this.lastBuildMs };
  }

  /** Scrub whole texts (bytes). */
  scrub(texts: readonly Uint8Array[]): Result<{ out: Uint8Array[]; replaced: number }> {
    const b = this.ready();
    if (!b) return lockedFailure();
    const placeholder = (tag: number) => b.placeholders[tag]!;
    let replaced = 0;
    const out = texts.map((t) => {
      const m = b.matcher.scan(t);
      replaced += m.length;
      return applyMatches(t, m, placeholder) ?? t;
    });
    return ok({ out, replaced });
  }

  /**
   * Scrub one piece of a stream. With `final` false, a tail that could still be the start
   * of a secret is not decided yet: it comes back in `rest`, to be put in front of the
   * next piece. With `final` true, `rest` is empty. With `utf8`, `rest` starts on a
   * character boundary.
   */
  scrubStream(buf: Uint8Array, final: boolean, utf8 = false): Result<{ out: Uint8Array; rest: Uint8Array; replaced: number }> {
    const b = this.ready();
    if (!b) return lockedFailure();
    const m = b.matcher.scan(buf);
    const cut = final ? buf.length : streamCut(buf, m, b.matcher.maxLength, utf8);
    let replaced = 0;
    for (let k = 0; k < m.length && m.starts[k]! < cut; k++) replaced++;
    const out = applyMatches(buf, m, (tag) => b.placeholders[tag]!, cut) ?? buf.subarray(0, cut);
    return ok({ out, rest: buf.subarray(cut), replaced });
  }

  /** The built state, (re)built as needed; null when the vault is locked. */
  private ready(): Built | null {
    const now = this.now();
    const unlocked = this.opts.unlocked ? this.opts.unlocked() : this.opts.source() !== null;
    if (!unlocked) {
      this.invalidate();
      return null;
    }
    if (this.built === null) {
      const creds = this.opts.source();
      if (creds === null) return null;
      this.built = this.build(creds, now);
    } else if (this.built.seeds.length > 0 && (now >= this.built.dynamicUntil || now < this.built.dynamicUntil - 3 * maxPeriodMs(this.built))) {
      this.refreshCodes(this.built, now);
    }
    return this.built;
  }

  private build(creds: ScrubCredential[], now: number): Built {
    const t0 = performance.now();
    const labels: string[] = [];
    const packer = new PatternPacker();
    const seeds: Built['seeds'] = [];
    // Each form is copied into the packer and zeroed at once: no object per pattern lives on.
    const pack = (forms: Array<{ bytes: Uint8Array }>, tag: number) => {
      for (const f of forms) {
        packer.add(f.bytes, tag);
        f.bytes.fill(0);
      }
    };
    for (const c of creds) {
      const tag = labels.length;
      labels.push(c.label);
      if (c.password && c.password.length > 0) {
        if (c.password.length < MIN_PATTERN_BYTES) this.opts.log?.(`guard: the password of "${c.label}" is shorter than ${MIN_PATTERN_BYTES} bytes and cannot be scrubbed`);
        pack(secretForms(c.password), tag);
      }
      if (c.totp) {
        pack(seedForms(c.totp.secret), tag);
        seeds.push({ tag, seed: { ...c.totp, secret: Uint8Array.from(c.totp.secret) } });
      }
    }
    const fixed = new PatternSet(packer);
    packer.wipe();
    const placeholders = labels.map((l) => Buffer.from(`[blindfill:${l}]`, 'utf8'));
    const b: Built = { labels, placeholders, fixed, seeds, dynamic: null, dynamicUntil: 0, matcher: new Matcher(fixed) };
    this.refreshCodes(b, now);
    this.lastBuildMs = performance.now() - t0;
    return b;
  }

  /** Codes of the period before, the current one and the next, for every TOTP seed. */
  private refreshCodes(b: Built, now: number): void {
    if (b.seeds.length === 0) {
      b.dynamicUntil = Number.POSITIVE_INFINITY;
      return;
    }
    const packer = new PatternPacker();
    let until = Number.POSITIVE_INFINITY;
    for (const { tag, seed } of b.seeds) {
      const periodMs = seed.period * 1000;
      until = Math.min(until, (Math.floor(now / periodMs) + 1) * periodMs);
      for (const codeBytes of codesAround(seed, now, 1)) {
        for (const f of secretForms(codeBytes)) {
          packer.add(f.bytes, tag);
          f.bytes.fill(0);
        }
        codeBytes.fill(0);
      }
    }
    const dynamic = new PatternSet(packer);
    packer.wipe();
    b.dynamic?.wipe();
    b.matcher.wipe();
    b.dynamic = dynamic;
    b.dynamicUntil = until;
    b.matcher = new Matcher(b.fixed, dynamic);
  }
}

function maxPeriodMs(b: Built): number {
  let m = 0;
  for (const s of b.seeds) m = Math.max(m, s.seed.period * 1000);
  return m;
}
