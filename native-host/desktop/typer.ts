/**
 * Typing one request: the plan (what will be typed, as code points held in arrays the
 * typer zeroes), the layout pre-flight, and the loop that re-checks the focused window
 * before every single keystroke. The platform is behind `DesktopKeyboard`; this file has
 * no I/O of its own and is unit-tested with a fake keyboard.
 *
 * Messages name the label, the field and window titles: never a value, never which
 * character or how many.
 */
import { fail, type Failure, ok, type Result } from '../../shared/errors.js';
import { codePointsOf, codePointsOfString } from './codepoints.js';
import type { DesktopKeyboard, FocusedWindow, KeyStroke } from './desktop.js';
import type { SequenceStep } from '../../shared/sequence.js';
import { stripUnsafeChars } from '../../shared/window-entry.js';

/** One piece of the plan. `chars` arrays hold secrets: zeroed by `wipePlan`. */
export type PlanPart =
  | { readonly kind: 'chars'; readonly what: 'username' | 'password' | 'sequence text'; readonly chars: Uint32Array }
  | { readonly kind: 'totp' }
  | { readonly kind: 'key'; readonly key: 'tab' | 'enter' }
  | { readonly kind: 'delay'; readonly ms: number };

export interface Plan {
  readonly parts: PlanPart[];
}

export interface PlanSecrets {
  readonly username?: Buffer | undefined;
  readonly password?: Buffer | undefined;
  readonly hasTotp: boolean;
}

/** Zero every array of code points the plan holds. */
export function wipePlan(plan: Plan): void {
  for (const p of plan.parts) if (p.kind === 'chars') p.chars.fill(0);
}

/**
 * Steps + secrets → plan. NO_FILLABLE_FIELD when a step needs a field the credential does
 * not have; UNTYPEABLE when a secret is not valid UTF-8.
 */
export function buildPlan(label: string, steps: readonly SequenceStep[], s: PlanSecrets): Result<Plan> {
  const parts: PlanPart[] = [];
  const missing = (what: string): Failure => {
    wipePlan({ parts });
    return fail('NO_FILLABLE_FIELD', `"${label}" has no ${what} to type`);
  };
  for (const st of steps) {
    switch (st.kind) {
      case 'field': {
        if (st.field === 'totp') {
          if (!s.hasTotp) return missing('TOTP seed');
          parts.push({ kind: 'totp' });
          break;
        }
        const buf = st.field === 'username' ? s.username : s.password;
        if (!buf || buf.length === 0) return missing(st.field);
        const chars = codePointsOf(buf);
        if (!chars) {
          wipePlan({ parts });
          return fail('UNTYPEABLE', `the ${st.field} of "${label}" is not valid text; nothing was typed`);
        }
        parts.push({ kind: 'chars', what: st.field, chars });
        break;
      }
      case 'text':
        parts.push({ kind: 'chars', what: 'sequence text', chars: codePointsOfString(st.text) });
        break;
      case 'key':
        parts.push({ kind: 'key', key: st.key });
        break;
      case 'delay':
        parts.push({ kind: 'delay', ms: st.ms });
        break;
    }
  }
  return ok({ parts });
}

const DIGITS: KeyStroke[] = [...'0123456789'].map((d) => ({ kind: 'char', cp: d.codePointAt(0)! }));

/**
 * Pre-flight before the first key: every keystroke of the plan (the one-time code's digits
 * included) must be producible on the current layout, in the current keyboard state.
 */
export async function preflight(kb: DesktopKeyboard, label: string, plan: Plan): Promise<Failure | null> {
  if (await kb.keyboardStateAltered()) {
    return fail('UNTYPEABLE', `Caps Lock, a held modifier key or a second keyboard layout is active on ${kb.describe}, so the keys would not produce the right characters; nothing was typed`);
  }
  for (const p of plan.parts) {
    let strokes: KeyStroke[];
    let what: string;
    if (p.kind === 'chars') {
      strokes = Array.from(p.chars, (cp): KeyStroke => ({ kind: 'char', cp }));
      what = p.what === 'sequence text' ? `literal text in the sequence of "${label}"` : `the ${p.what} of "${label}"`;
    } else if (p.kind === 'totp') {
      strokes = DIGITS;
      what = `the one-time code of "${label}"`;
    } else if (p.kind === 'key') {
      strokes = [{ kind: p.key }];
      what = `the ${p.key === 'tab' ? 'Tab' : 'Enter'} key`;
    } else continue;
    const n = await kb.untypeable(strokes);
    strokes.length = 0;
    if (n > 0) {
      return fail('UNTYPEABLE', `${what} has a character that the current keyboard layout on ${kb.describe} cannot produce; nothing was typed`);
    }
  }
  return null;
}

export interface TypingHooks {
  /** The title must still match the entry that allowed the window, before every key. */
  readonly titleStillMatches: (title: string) => boolean;
  /** The one-time code valid now: called when `{TOTP}` is reached, not before. */
  readonly totpNow: () => string;
  /** Null while typing may go on; a Failure (vault locked, credential removed) stops it. */
  readonly stillAllowed: () => Failure | null;
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * Type the plan into `target`. Before every keystroke: the focused window must still be
 * `target` (same id) with a title that still matches, the keyboard state unchanged and the
 * vault still open; otherwise stop at once.
 */
export async function typePlan(kb: DesktopKeyboard, target: FocusedWindow, plan: Plan, hooks: TypingHooks): Promise<Result<{ keys: number }>> {
  let keys = 0;
  const shown = (t: string) => JSON.stringify(stripUnsafeChars(t));
  const partial = () => (keys > 0 ? ` ${shown(target.title)} may hold part of what was typed.` : ' Nothing was typed.');
  const beforeKey = async (): Promise<Failure | null> => {
    const stop = hooks.stillAllowed();
    if (stop) return fail(stop.code, `${stop.message}; typing stopped.${partial()}`);
    const now = await kb.focused();
    if (!now || now.id !== target.id || !hooks.titleStillMatches(now.title)) {
      const where = now ? shown(now.title) : 'no window';
      return fail('WINDOW_MISMATCH', `focus moved from ${shown(target.title)} to ${where} while typing; stopped before the next key.${partial()}`);
    }
    if (await kb.keyboardStateAltered()) {
      return fail('UNTYPEABLE', `Caps Lock, a modifier key or the keyboard layout changed while typing; stopped.${partial()}`);
    }
    return null;
  };
  const press = async (k: KeyStroke): Promise<Failure | null> => {
    const stop = await beforeKey();
    if (stop) return stop;
    await kb.tap(k);
    keys++;
    return null;
  };

  for (const p of plan.parts) {
    if (p.kind === 'delay') {
      await hooks.sleep(p.ms);
      continue;
    }
    if (p.kind === 'key') {
      const stop = await press({ kind: p.key });
      if (stop) return stop;
      continue;
    }
    if (p.kind === 'chars') {
      for (let i = 0; i < p.chars.length; i++) {
        const stop = await press({ kind: 'char', cp: p.chars[i]! });
        if (stop) return stop;
      }
      continue;
    }
    // {TOTP}: computed now, at the moment it is typed.
    const stop = await beforeKey();
    if (stop) return stop;
    const digits = codePointsOfString(hooks.totpNow());
    try {
      for (let i = 0; i < digits.length; i++) {
        const s = await press({ kind: 'char', cp: digits[i]! });
        if (s) return s;
      }
    } finally {
      digits.fill(0);
    }
  }
  return ok({ keys });
}
