/**
 * Password generation for the account flows (CONTRACT §7): per-call options and what the
 * site's form says (Apple's `passwordrules` attribute, `minlength`, `maxlength`,
 * `pattern`). Pure apart from the random source the caller passes (crypto randomness).
 * The password is a Buffer the caller zeroes; a rule set no password can meet is refused
 * (PASSWORD_RULES_UNSATISFIABLE) rather than bent.
 */
import type { PasswordHints } from '../../shared/browser-protocol.js';
import { fail, ok, type Result } from '../../shared/errors.js';
import { PASSWORD_CLASSES } from '../../shared/ipc.js';
import { compileLinearRegex, linearTest } from '../../shared/linear-regex.js';

export const CHAR_CLASSES = PASSWORD_CLASSES;
export type CharClass = (typeof CHAR_CLASSES)[number];

/** The characters used for each class: unambiguous letters and digits, symbols that need no quoting. */
const POOL: Record<CharClass, string> = {
  lower: 'abcdefghijkmnopqrstuvwxyz',
  upper: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
  digit: '23456789',
  special: '!#$%&*+-=?@^_~',
};
/** Every printable ASCII character but space: what `ascii-printable` and custom sets may use. */
const PRINTABLE = Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).join('');

export const DEFAULT_LENGTH = 24;
/** Shorter than this is refused: a site that caps passwords lower gets a clear refusal. */
export const MIN_LENGTH = 8;
export const MAX_LENGTH = 128;

export interface GenerateOptions {
  length?: number;
  /** Use only these classes (each then required unless the site says otherwise). */
  classes?: readonly CharClass[];
}

/** Apple's passwordrules, parsed: each `required` is a set at least one character must come from. */
export interface ParsedRules {
  required: string[];
  allowed: string;
  minlength?: number;
  maxlength?: number;
  maxConsecutive?: number;
}

function classOf(ch: string): CharClass {
  if (ch >= 'a' && ch <= 'z') return 'lower';
  if (ch >= 'A' && ch <= 'Z') return 'upper';
  if (ch >= '0' && ch <= '9') return 'digit';
  return 'special';
}

function uniq(s: string): string {
  return [...new Set(s)].join('');
}

/** One value of `required:` / `allowed:`: a comma-separated list of classes and `[custom]` sets. */
function parseSet(value: string): string {
  let out = '';
  let rest = value.trim();
  while (rest.length > 0) {
    if (rest.startsWith('[')) {
      // A custom set: literal characters up to the closing bracket (`]` first is literal).
      const end = rest.indexOf(']', 2);
      const body = end < 0 ? rest.slice(1) : rest.slice(1, end);
      out += [...body].filter((c) => PRINTABLE.includes(c)).join('');
      rest = end < 0 ? '' : rest.slice(end + 1);
    } else {
      const m = /^([a-z-]+)/i.exec(rest);
      const name = m ? m[1]!.toLowerCase() : '';
      if (name === 'lower' || name === 'upper' || name === 'digit') out += POOL[name];
      else if (name === 'special') out += POOL.special;
      else if (name === 'ascii-printable' || name === 'unicode') out += POOL.lower + POOL.upper + POOL.digit + POOL.special;
      rest = m ? rest.slice(m[1]!.length) : rest.slice(1);
    }
    rest = rest.replace(/^\s*,?\s*/, '');
  }
  return uniq(out);
}

/** Parse a `passwordrules` attribute; unknown rules are ignored, as browsers do. */
export function parsePasswordRules(text: string): ParsedRules {
  const rules: ParsedRules = { required: [], allowed: '' };
  for (const part of text.split(';')) {
    const i = part.indexOf(':');
    if (i < 0) continue;
    const name = part.slice(0, i).trim().toLowerCase();
    const value = part.slice(i + 1).trim();
    const n = /^\d{1,6}$/.test(value) ? Number(value) : undefined;
    if (name === 'required') {
      const set = parseSet(value);
      if (set.length > 0) rules.required.push(set);
    } else if (name === 'allowed') rules.allowed = uniq(rules.allowed + parseSet(value));
    else if (name === 'minlength' && n !== undefined) rules.minlength = Math.max(rules.minlength ?? 0, n);
    else if (name === 'maxlength' && n !== undefined) rules.maxlength = Math.min(rules.maxlength ?? n, n);
    else if (name === 'max-consecutive' && n !== undefined && n > 0) rules.maxConsecutive = Math.min(rules.maxConsecutive ?? n, n);
  }
  return rules;
}

export interface Plan {
  length: number;
  /** Candidate lengths to try against a pattern, the chosen one first. */
  lengths: number[];
  required: string[];
  /** The required sets are the site's (else blindfill's own default: one of each class used). */
  siteRequired: boolean;
  pool: string;
  maxConsecutive?: number;
  pattern?: { test: (s: string) => boolean };
}

function unsatisfiable(why: string): Result<never> {
  return fail('PASSWORD_RULES_UNSATISFIABLE', `no password can satisfy ${why}`);
}

/** Combine the call's options and the site's hints into what to generate, or refuse. */
export function planPassword(hints: PasswordHints, opts: GenerateOptions = {}): Result<Plan> {
  const rules = hints.passwordrules !== undefined ? parsePasswordRules(hints.passwordrules) : { required: [], allowed: '' };
  const siteSaysChars = rules.required.length > 0 || rules.allowed.length > 0;
  const keep = opts.classes && opts.classes.length > 0 ? new Set(opts.classes) : null;
  const restrict = (s: string): string => (keep ? [...s].filter((c) => keep.has(classOf(c))).join('') : s);

  let required: string[];
  let pool: string;
  if (siteSaysChars) {
    required = rules.required.map(restrict);
    if (required.some((r) => r.length === 0)) return unsatisfiable(`the site's required characters with only ${[...keep!].join(', ')}`);
    pool = restrict(uniq(rules.allowed + rules.required.join('')));
  } else {
    const classes = keep ? CHAR_CLASSES.filter((c) => keep.has(c)) : [...CHAR_CLASSES];
    required = classes.map((c) => POOL[c]);
    pool = required.join('');
  }
  if (pool.length === 0) return unsatisfiable('an empty character set');

  const min = Math.max(MIN_LENGTH, hints.minlength ?? 0, rules.minlength ?? 0, required.length);
  const max = Math.min(MAX_LENGTH, hints.maxlength ?? MAX_LENGTH, rules.maxlength ?? MAX_LENGTH);
  if (min > max) return unsatisfiable(`a length of at least ${min} and at most ${max} characters`);
  let length: number;
  if (opts.length !== undefined) {
    if (opts.length < min || opts.length > max) return unsatisfiable(`a length of ${opts.length} where the site accepts ${min}-${max} characters`);
    length = opts.length;
  } else {
    length = Math.min(Math.max(DEFAULT_LENGTH, min), max);
  }
  if (rules.maxConsecutive !== undefined && rules.maxConsecutive < 2 && pool.length < 2) return unsatisfiable('max-consecutive with one character');

  const plan: Plan = { length, lengths: [...new Set([length, Math.max(min, Math.min(16, max)), min, max])], required, siteRequired: siteSaysChars, pool };
  if (rules.maxConsecutive !== undefined) plan.maxConsecutive = rules.maxConsecutive;
  if (hints.pattern !== undefined) {
    // The page's pattern runs in a linear-time engine: a page cannot hang the daemon. A
    // pattern that engine cannot read is left to the site (a refusal then reads `rejected`).
    const re = compileLinearRegex(`^(?:${hints.pattern})$`);
    if (re.ok) {
      plan.pattern = { test: (s) => linearTest(re.value, s) };
      // Lengths the pattern names in its counted repeats ({12}, {8,20}) are worth trying.
      for (const m of hints.pattern.matchAll(/\{(\d{1,3})(?:,(\d{1,3}))?\}/g)) {
        for (const v of [m[1], m[2]]) {
          const n = v === undefined ? NaN : Number(v);
          if (n >= min && n <= max && !plan.lengths.includes(n)) plan.lengths.push(n);
        }
      }
    }
  }
  return ok(plan);
}

/** A uniformly random index below n, without modulo bias. */
function below(n: number, random: (k: number) => Buffer): number {
  const limit = 65536 - (65536 % n);
  for (;;) {
    const b = random(2);
    const v = b.readUInt16BE(0);
    b.fill(0);
    if (v < limit) return v % n;
  }
}

function draw(length: number, required: readonly string[], pool: string, random: (k: number) => Buffer): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = pool.charCodeAt(below(pool.length, random));
  // One character of each required set, at distinct random places.
  const free = Array.from({ length }, (_, i) => i);
  for (const set of required) {
    const at = free.splice(below(free.length, random), 1)[0]!;
    out[at] = set.charCodeAt(below(set.length, random));
  }
  return out;
}

function runOk(b: Buffer, maxConsecutive: number | undefined): boolean {
  if (maxConsecutive === undefined) return true;
  let run = 1;
  for (let i = 1; i < b.length; i++) {
    run = b[i] === b[i - 1] ? run + 1 : 1;
    if (run > maxConsecutive) return false;
  }
  return true;
}

/**
 * A password that meets the plan. With a pattern, also smaller character sets and other
 * allowed lengths are tried (a site whose pattern wants digits only); bounded work.
 */
export function generateFromPlan(plan: Plan, random: (k: number) => Buffer): Result<Buffer> {
  const attempts: Array<{ length: number; required: string[]; pool: string }> = [{ length: plan.length, required: plan.required, pool: plan.pool }];
  if (plan.pattern) {
    const classes = CHAR_CLASSES.filter((c) => [...plan.pool].some((ch) => classOf(ch) === c));
    const subsets: CharClass[][] = [];
    for (let m = (1 << classes.length) - 1; m > 0; m--) subsets.push(classes.filter((_, i) => m & (1 << i)));
    subsets.sort((a, b) => b.length - a.length);
    for (const length of plan.lengths) {
      for (const sub of subsets) {
        const pool = [...plan.pool].filter((c) => sub.includes(classOf(c))).join('');
        const required = plan.siteRequired ? plan.required.map((r) => [...r].filter((c) => sub.includes(classOf(c))).join('')) : sub.map((c) => POOL[c]);
        if (pool.length === 0 || required.some((r) => r.length === 0)) continue;
        attempts.push({ length, required, pool });
      }
    }
  }
  for (const a of attempts) {
    const tries = plan.pattern ? 20 : 200;
    for (let t = 0; t < tries; t++) {
      const b = draw(a.length, a.required, a.pool, random);
      if (runOk(b, plan.maxConsecutive) && (!plan.pattern || plan.pattern.test(b.toString('latin1')))) return ok(b);
      b.fill(0);
    }
  }
  return unsatisfiable("the site's pattern and rules together");
}

/** Plan and generate in one step. */
export function generateForSite(hints: PasswordHints, opts: GenerateOptions, random: (k: number) => Buffer): Result<Buffer> {
  const plan = planPassword(hints, opts);
  if (!plan.ok) return plan;
  return generateFromPlan(plan.value, random);
}
