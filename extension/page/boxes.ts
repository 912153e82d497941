/**
 * One box per digit (CONTRACT §4: "including one box per digit"). A run is 6-8 adjacent
 * inputs of one container and form, each of one character:
 *   - every box says so with maxlength=1; or
 *   - the boxes look and are marked like one: narrow (no wider than about twice their
 *     height), all of one type and size, side by side on one row, left to right, and at
 *     least one attribute names a code (autocomplete=one-time-code, inputmode=numeric,
 *     type=number or tel, or a name or label such as "otp", "code", "digit"). MUI-style
 *     widgets set no maxlength at all.
 * Pure DOM code; reads only.
 */
import { closestForm, flatParent } from './fields.js';

const BOX_TYPES = new Set(['text', 'tel', 'number', 'password']);
const RUN_MIN = 6;
const RUN_MAX = 8;
const MAX_BOX_WIDTH = 96;
const CODE_HINT = /otp|2fa|mfa|one.?time|verif|security.?code|auth|code|digit|pin\b|passcode|token/i;
const NOT_CODE_HINT = /postal|post.?code|zip|promo|coupon|country|area|discount|gift|voucher|referr|invite|captcha|csrf|xsrf|cvv|cvc|card|phone|date|year|month|day/i;

function attr(el: Element, name: string): string {
  return el.getAttribute(name) ?? '';
}

/** A one-character box by its own word: maxlength=1. */
export function isBox(el: HTMLInputElement): boolean {
  return BOX_TYPES.has(el.type) && el.maxLength === 1;
}

/** Might be one box of a run: a box by maxlength, or narrow with no maxlength above 2. */
function mayBeBox(el: HTMLInputElement, r: DOMRect): boolean {
  if (!BOX_TYPES.has(el.type)) return false;
  if (el.maxLength === 1) return true;
  if (el.maxLength > 2) return false;
  return r.width <= MAX_BOX_WIDTH && r.width <= 2 * r.height + 4;
}

function ancestorAt(el: Element, k: number): Element | null {
  let n: Element | null = el;
  for (let i = 0; i < k && n; i++) n = flatParent(n);
  return n;
}

/** Do a and b sit in the same small container (a common ancestor at most 3 levels up)? */
function sameContainer(a: Element, b: Element): boolean {
  for (let k = 1; k <= 3; k++) {
    const x = ancestorAt(a, k);
    if (x && x === ancestorAt(b, k)) return true;
  }
  return false;
}

/** b continues a's row: same type and size, level with it, to its right. */
function nextOnRow(a: { el: HTMLInputElement; r: DOMRect }, b: { el: HTMLInputElement; r: DOMRect }): boolean {
  if (a.el.type !== b.el.type) return false;
  const close = (x: number, y: number) => Math.abs(x - y) <= Math.max(2, 0.2 * Math.max(x, y));
  if (!close(a.r.width, b.r.width) || !close(a.r.height, b.r.height)) return false;
  if (Math.abs(a.r.top - b.r.top) > a.r.height / 2) return false;
  return b.r.left >= a.r.right - 2 && b.r.left - a.r.right <= Math.max(48, a.r.width);
}

/** The boxes' own attributes, and their group's, name a code (and nothing else). */
function namesACode(run: HTMLInputElement[]): boolean {
  const group = ancestorAt(run[0]!, 1);
  const groupText = group ? `${attr(group, 'aria-label')} ${attr(group, 'id')} ${attr(group, 'class')}` : '';
  const own = run.map((el) => `${attr(el, 'name')} ${attr(el, 'id')} ${attr(el, 'aria-label')} ${attr(el, 'placeholder')}`).join(' ');
  if (NOT_CODE_HINT.test(own) || NOT_CODE_HINT.test(attr(group ?? run[0]!, 'aria-label'))) return false;
  return run.some((el) => {
    const ac = attr(el, 'autocomplete').toLowerCase();
    return ac.split(/\s+/).includes('one-time-code') || attr(el, 'inputmode').toLowerCase() === 'numeric' || el.type === 'number' || el.type === 'tel';
  }) || CODE_HINT.test(own) || CODE_HINT.test(groupText);
}

/** Runs of 6-8 adjacent one-character boxes in one container: a one-box-per-digit code. */
export function findBoxRuns(visible: HTMLInputElement[]): HTMLInputElement[][] {
  const runs: HTMLInputElement[][] = [];
  let run: Array<{ el: HTMLInputElement; r: DOMRect }> = [];
  const flush = (): void => {
    if (run.length >= RUN_MIN && run.length <= RUN_MAX) {
      const els = run.map((b) => b.el);
      // Every box says maxlength=1 (the old rule, geometry aside), or the row reads as a code.
      const geometric = run.every((b, i) => i === 0 || nextOnRow(run[i - 1]!, b));
      if (els.every(isBox) || (geometric && namesACode(els))) runs.push(els);
    }
    run = [];
  };
  for (const el of visible) {
    const r = el.getBoundingClientRect();
    if (!mayBeBox(el, r)) {
      flush();
      continue;
    }
    const last = run[run.length - 1];
    if (last && !(closestForm(last.el) === closestForm(el) && sameContainer(last.el, el))) flush();
    run.push({ el, r });
  }
  flush();
  return runs;
}

/**
 * What the code's widget holds, read from the page: the values of the field's group of
 * sibling inputs (the run of boxes it starts), joined. A widget that spreads a code
 * typed or pasted into its first box over the others holds the code there, not in box 1.
 */
export function groupValue(el: HTMLInputElement): string {
  for (let k = 1; k <= 3; k++) {
    const a = ancestorAt(el, k);
    if (!a) break;
    const inputs = Array.from(a.querySelectorAll('input')).filter((i) => BOX_TYPES.has(i.type));
    if (inputs.length >= RUN_MIN && inputs.length <= RUN_MAX && inputs[0] === el) return inputs.map((i) => i.value).join('');
  }
  return el.value;
}
