/**
 * A small regular-expression engine for `//regex//` window entries that runs in time
 * linear in the title (times the pattern's size): a Thompson NFA simulated one character
 * at a time, every live state at once. Window titles are set by whoever owns the window
 * (a web page sets its own), so a backtracking engine (JavaScript's RegExp) on a user's
 * pattern such as `(a+)+$` would let a crafted title hang the daemon.
 *
 * The dialect is the JavaScript syntax without flags, minus what needs backtracking or is
 * rarely useful for titles: literals, `.`, `[...]` / `[^...]` with ranges and `\d \w \s`,
 * `\d \D \w \W \s \S`, `\t \n \r \f \v \0 \xHH \uHHHH`, escaped punctuation, groups `(...)`
 * and `(?:...)`, `|`, `* + ?` (lazy forms accepted: the result of a yes/no test is the
 * same), `{n}` `{n,}` `{n,m}` (n, m ≤ 100), `^` and `$` (start and end of the title).
 * Refused: lookaround, back-references, named groups, `\b`, `\p{…}`, anything else. Pure.
 */
import { fail, ok, type Result } from './errors.js';

type Pred = (cp: number) => boolean;

type Node =
  | { t: 'char'; p: Pred }
  | { t: 'bol' }
  | { t: 'eol' }
  | { t: 'cat'; items: Node[] }
  | { t: 'alt'; alts: Node[] }
  | { t: 'rep'; node: Node; min: number; max: number }; // max Infinity = unbounded

type Inst =
  | { op: 'char'; p: Pred }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { op: 'bol' }
  | { op: 'eol' }
  | { op: 'match' };

export interface LinearRegex {
  readonly prog: readonly Inst[];
}

/** The most NFA instructions a pattern may compile to (counted repetitions multiply). */
export const MAX_PROGRAM = 5000;
const MAX_COUNT = 100;

const isDigit: Pred = (c) => c >= 0x30 && c <= 0x39;
const isWord: Pred = (c) => isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
const SPACE = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff]);
const isSpace: Pred = (c) => SPACE.has(c) || (c >= 0x2000 && c <= 0x200a);
const isLineEnd: Pred = (c) => c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;
const not =
  (p: Pred): Pred =>
  (c) =>
    !p(c);

class ParseError extends Error {}

class Parser {
  private i = 0;
  constructor(private readonly s: number[]) {}

  private peek(): number | undefined {
    return this.s[this.i];
  }
  private eat(c: string): boolean {
    if (this.s[this.i] === c.codePointAt(0)) {
      this.i++;
      return true;
    }
    return false;
  }
  private error(why: string): never {
    throw new ParseError(why);
  }

  parse(): Node {
    const n = this.alternation();
    if (this.i < this.s.length) this.error(`unexpected ${String.fromCodePoint(this.s[this.i]!)}`);
    return n;
  }

  private alternation(): Node {
    const alts = [this.sequence()];
    while (this.eat('|')) alts.push(this.sequence());
    return alts.length === 1 ? alts[0]! : { t: 'alt', alts };
  }

  private sequence(): Node {
    const items: Node[] = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === 0x7c /* | */ || c === 0x29 /* ) */) break;
      items.push(this.quantified());
    }
    return { t: 'cat', items };
  }

  private quantified(): Node {
    const atom = this.atom();
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === 0x2a /* * */) [min, max] = [0, Infinity];
    else if (c === 0x2b /* + */) [min, max] = [1, Infinity];
    else if (c === 0x3f /* ? */) [min, max] = [0, 1];
    else if (c === 0x7b /* { */ && this.countAhead()) {
      [min, max] = this.count();
      this.eat('?');
      return this.repeat(atom, min, max);
    } else return atom;
    this.i++;
    this.eat('?'); // lazy: same yes/no answer
    if (this.isQuantifier(this.peek())) this.error('a quantifier cannot follow another');
    return this.repeat(atom, min, max);
  }

  private repeat(node: Node, min: number, max: number): Node {
    if (node.t === 'bol' || node.t === 'eol') this.error('nothing to repeat');
    return { t: 'rep', node, min, max };
  }

  private isQuantifier(c: number | undefined): boolean {
    return c === 0x2a || c === 0x2b || c === 0x3f || (c === 0x7b && this.countAhead());
  }

  /** At `{`: is it a well-formed `{n}`, `{n,}` or `{n,m}`? (Otherwise JS reads it as a literal brace; we refuse it.) */
  private countAhead(): boolean {
    const rest = String.fromCodePoint(...this.s.slice(this.i, this.i + 16));
    return /^\{\d+(,\d*)?\}/.test(rest);
  }

  private count(): [number, number] {
    const rest = String.fromCodePoint(...this.s.slice(this.i, this.i + 16));
    const m = /^\{(\d+)(,(\d*))?\}/.exec(rest)!;
    this.i += m[0].length;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    if (min > MAX_COUNT || (max !== Infinity && max > MAX_COUNT)) this.error(`a count above ${MAX_COUNT}`);
    if (max < min) this.error('a count out of order');
    return [min, max];
  }

  private atom(): Node {
    const c = this.s[this.i++];
    switch (c) {
      case undefined:
        return this.error('unexpected end');
      case 0x5e /* ^ */:
        return { t: 'bol' };
      case 0x24 /* $ */:
        return { t: 'eol' };
      case 0x2e /* . */:
        return { t: 'char', p: not(isLineEnd) };
      case 0x28 /* ( */: {
        if (this.eat('?')) {
          if (!this.eat(':')) this.error('lookaround and named groups are not supported');
        }
        const inner = this.alternation();
        if (!this.eat(')')) this.error('unclosed (');
        return inner;
      }
      case 0x29 /* ) */:
        return this.error('unmatched )');
      case 0x5b /* [ */:
        return { t: 'char', p: this.charClass() };
      case 0x5c /* \ */:
        return { t: 'char', p: this.escape(false) };
      case 0x2a:
      case 0x2b:
      case 0x3f:
        return this.error('nothing to repeat');
      case 0x7b /* { */:
      case 0x7d /* } */:
      case 0x5d /* ] */:
        return this.error(`a bare ${String.fromCodePoint(c)} (escape it)`);
      default:
        return { t: 'char', p: (x) => x === c };
    }
  }

  /** After `\`. In a class, `\b` is a backspace; elsewhere it is refused. */
  private escape(inClass: boolean): Pred {
    const c = this.s[this.i++];
    if (c === undefined) this.error('a trailing \\');
    const ch = String.fromCodePoint(c);
    switch (ch) {
      case 'd':
        return isDigit;
      case 'D':
        return not(isDigit);
      case 'w':
        return isWord;
      case 'W':
        return not(isWord);
      case 's':
        return isSpace;
      case 'S':
        return not(isSpace);
      case 't':
        return (x) => x === 0x09;
      case 'n':
        return (x) => x === 0x0a;
      case 'r':
        return (x) => x === 0x0d;
      case 'f':
        return (x) => x === 0x0c;
      case 'v':
        return (x) => x === 0x0b;
      case '0':
        if (this.peek() !== undefined && isDigit(this.peek()!)) this.error('octal escapes are not supported');
        return (x) => x === 0;
      case 'x':
      case 'u': {
        const n = ch === 'x' ? 2 : 4;
        const hex = String.fromCodePoint(...this.s.slice(this.i, this.i + n));
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) this.error(`\\${ch} needs ${n} hex digits`);
        this.i += n;
        const v = parseInt(hex, 16);
        return (x) => x === v;
      }
      case 'b':
        if (inClass) return (x) => x === 0x08;
        return this.error('\\b is not supported');
      default:
        if (/[A-Za-z0-9]/.test(ch)) this.error(`\\${ch} is not supported`);
        return (x) => x === c;
    }
  }

  /** After `[`: `[^...]`, ranges `a-z`, escapes. */
  private charClass(): Pred {
    const negate = this.eat('^');
    const preds: Pred[] = [];
    let first = true;
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) this.error('unclosed [');
      if (c === 0x5d /* ] */ && !first) {
        this.i++;
        break;
      }
      if (c === 0x5d && first) {
        // `[]` matches nothing, `[^]` anything, as in JavaScript.
        this.i++;
        return negate ? () => true : () => false;
      }
      first = false;
      const lo = this.classAtom();
      if (this.peek() === 0x2d /* - */ && this.s[this.i + 1] !== undefined && this.s[this.i + 1] !== 0x5d) {
        this.i++;
        const hi = this.classAtom();
        if (typeof lo !== 'number' || typeof hi !== 'number') this.error('a range of classes');
        if (hi < lo) this.error('a range out of order');
        preds.push((x) => x >= lo && x <= hi);
      } else preds.push(typeof lo === 'number' ? (x) => x === lo : lo);
    }
    const any: Pred = (x) => preds.some((p) => p(x));
    return negate ? not(any) : any;
  }

  /** One class member: a code point, or a predicate for `\d` and the like. */
  private classAtom(): number | Pred {
    const c = this.s[this.i++]!;
    if (c !== 0x5c) return c;
    const save = this.i;
    const e = this.s[this.i];
    if (e !== undefined && /[dDwWsS]/.test(String.fromCodePoint(e))) return this.escape(true);
    this.i = save;
    // A single-character escape: find its code point by testing the predicate's own table.
    const ch = this.s[this.i];
    if (ch === undefined) this.error('a trailing \\');
    const simple: Record<string, number> = { t: 9, n: 10, r: 13, f: 12, v: 11, b: 8, '0': 0 };
    const key = String.fromCodePoint(ch);
    if (key in simple) {
      this.i++;
      return simple[key]!;
    }
    if (key === 'x' || key === 'u') {
      this.i++;
      const n = key === 'x' ? 2 : 4;
      const hex = String.fromCodePoint(...this.s.slice(this.i, this.i + n));
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) this.error(`\\${key} needs ${n} hex digits`);
      this.i += n;
      return parseInt(hex, 16);
    }
    if (/[A-Za-z0-9]/.test(key)) this.error(`\\${key} is not supported`);
    this.i++;
    return ch;
  }
}

class Compiler {
  readonly prog: Inst[] = [];
  private emit(i: Inst): number {
    if (this.prog.length >= MAX_PROGRAM) throw new ParseError(`the pattern is too large (over ${MAX_PROGRAM} steps)`);
    this.prog.push(i);
    return this.prog.length - 1;
  }

  node(n: Node): void {
    switch (n.t) {
      case 'char':
        this.emit({ op: 'char', p: n.p });
        return;
      case 'bol':
        this.emit({ op: 'bol' });
        return;
      case 'eol':
        this.emit({ op: 'eol' });
        return;
      case 'cat':
        for (const it of n.items) this.node(it);
        return;
      case 'alt': {
        // split L1, next; L1: a; jmp end; next: split L2, ... ; last alternative plain
        const jumps: number[] = [];
        for (let k = 0; k < n.alts.length - 1; k++) {
          const split = this.emit({ op: 'split', x: 0, y: 0 });
          (this.prog[split] as { x: number }).x = this.prog.length;
          this.node(n.alts[k]!);
          jumps.push(this.emit({ op: 'jmp', x: 0 }));
          (this.prog[split] as { y: number }).y = this.prog.length;
        }
        this.node(n.alts[n.alts.length - 1]!);
        for (const j of jumps) (this.prog[j] as { x: number }).x = this.prog.length;
        return;
      }
      case 'rep': {
        for (let k = 0; k < n.min; k++) this.node(n.node);
        if (n.max === Infinity) {
          // L: split body, end; body; jmp L
          const split = this.emit({ op: 'split', x: 0, y: 0 });
          (this.prog[split] as { x: number }).x = this.prog.length;
          this.node(n.node);
          this.emit({ op: 'jmp', x: split });
          (this.prog[split] as { y: number }).y = this.prog.length;
          return;
        }
        const ends: number[] = [];
        for (let k = n.min; k < n.max; k++) {
          const split = this.emit({ op: 'split', x: 0, y: 0 });
          (this.prog[split] as { x: number }).x = this.prog.length;
          ends.push(split);
          this.node(n.node);
        }
        for (const s of ends) (this.prog[s] as { y: number }).y = this.prog.length;
        return;
      }
    }
  }
}

/** Compile `source` (what is between `//` and `//`), or INVALID_REQUEST naming what is unsupported. */
export function compileLinearRegex(source: string): Result<LinearRegex> {
  try {
    const ast = new Parser(Array.from(source, (ch) => ch.codePointAt(0)!)).parse();
    const c = new Compiler();
    c.node(ast);
    c.prog.push({ op: 'match' });
    return ok({ prog: c.prog });
  } catch (e) {
    if (e instanceof ParseError) return fail('INVALID_REQUEST', e.message);
    throw e;
  }
}

/**
 * Does the pattern match anywhere in `text`? Pike-style simulation: the set of live
 * instructions advances one code point at a time; each instruction is in the set at most
 * once per position, so the work is O(text length × program size).
 */
export function linearTest(re: LinearRegex, text: string): boolean {
  const prog = re.prog;
  const s = Array.from(text, (ch) => ch.codePointAt(0)!);
  const n = s.length;
  const mark = new Int32Array(prog.length).fill(-1);
  let clist: number[] = [];
  let nlist: number[] = [];
  let gen = 0;

  // Follow jumps, splits and assertions from pc at position `pos`; collect char/match states.
  const add = (list: number[], pc0: number, pos: number): boolean => {
    const stack = [pc0];
    while (stack.length > 0) {
      const pc = stack.pop()!;
      if (mark[pc] === gen) continue;
      mark[pc] = gen;
      const ins = prog[pc]!;
      switch (ins.op) {
        case 'jmp':
          stack.push(ins.x);
          break;
        case 'split':
          stack.push(ins.y, ins.x);
          break;
        case 'bol':
          if (pos === 0) stack.push(pc + 1);
          break;
        case 'eol':
          if (pos === n) stack.push(pc + 1);
          break;
        case 'match':
          return true;
        case 'char':
          list.push(pc);
          break;
      }
    }
    return false;
  };

  for (let pos = 0; ; pos++) {
    // Unanchored: a new thread starts at every position (as RegExp.test does).
    if (add(clist, 0, pos)) return true;
    if (pos === n) return false;
    gen++;
    nlist.length = 0;
    const cp = s[pos]!;
    for (const pc of clist) {
      const ins = prog[pc] as { op: 'char'; p: Pred };
      if (ins.p(cp) && add(nlist, pc + 1, pos + 1)) return true;
    }
    [clist, nlist] = [nlist, clist];
  }
}
