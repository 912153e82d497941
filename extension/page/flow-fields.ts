/**
 * The fields of an account flow (CONTRACT §7), on top of the ordinary detection
 * (fields.ts): a sign-up form (its new-password fields, password and confirm, and its
 * username field) or a change-password form (current + new + confirm). Only the fields of
 * ONE form are taken: the first form, in document order, whose fields set a password (and,
 * for a change, that also holds a current-password field). Pure DOM, no values.
 */
import type { Flow, PasswordHints } from '../../shared/browser-protocol.js';
import { allInputs, closestForm, findFields, hasUserHint, isFillable, isUsernameCandidate, samePasswordScope } from './fields.js';

export interface FlowFields {
  username?: HTMLInputElement;
  /** The change flow's current-password field. */
  current?: HTMLInputElement;
  /** Every field of that form that sets the password (new and confirm), in document order. */
  newPasswords: HTMLInputElement[];
  hints: PasswordHints;
}

export type FlowRefusal = 'no-new-password' | 'no-current-password';

export const FLOW_REFUSAL_TEXT: Record<FlowRefusal, string> = {
  'no-new-password': 'no form on this page sets a new password (sign-up or change-password form)',
  'no-current-password': 'the form that sets a new password has no current-password field (not a change-password form)',
};

function before(a: Node, b: Node): boolean {
  return (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
}

/** One form's new-password fields: the first group in document order (that has a current field, for a change). */
export function findFlowFields(flow: Flow, doc: Document = document): FlowFields | { refusal: FlowRefusal } {
  const found = findFields(doc);
  const all = found.newPasswords ?? [];
  if (all.length === 0) return { refusal: 'no-new-password' };
  const groups: HTMLInputElement[][] = [];
  for (const p of all) {
    const g = groups.find((x) => samePasswordScope(x[0]!, p));
    if (g) g.push(p);
    else groups.push([p]);
  }
  const currents = found.currentPasswords ?? [];
  let group: HTMLInputElement[] | undefined;
  let current: HTMLInputElement | undefined;
  if (flow === 'change') {
    for (const g of groups) {
      current = currents.find((c) => samePasswordScope(c, g[0]!));
      if (current) {
        group = g;
        break;
      }
    }
    if (!group) return { refusal: 'no-current-password' };
  } else {
    // A sign-up form sets a password without proving one.
    group = groups.find((g) => !currents.some((c) => samePasswordScope(c, g[0]!)));
    if (!group) return { refusal: 'no-new-password' };
  }
  const out: FlowFields = { newPasswords: group, hints: hintsOf(group) };
  if (current) out.current = current;
  if (flow === 'create') {
    const first = group[0]!;
    const form = closestForm(first);
    const candidates = allInputs(doc).filter(
      (u) => isUsernameCandidate(u) && before(u, first) && (form ? closestForm(u) === form : samePasswordScope(first, u)) && isFillable(u),
    );
    const pick =
      candidates.find((u) => (u.getAttribute('autocomplete') ?? '').toLowerCase().split(/\s+/).includes('username')) ??
      candidates.filter(hasUserHint).pop() ??
      candidates.pop();
    if (pick) out.username = pick;
  }
  return out;
}

/**
 * What the form's new-password fields say about the password they accept. Lengths combine
 * (the largest minimum, the smallest maximum); rules and pattern come from the first field
 * that has them (the confirm field repeats the same password).
 */
export function hintsOf(fields: readonly HTMLInputElement[]): PasswordHints {
  const h: PasswordHints = {};
  for (const el of fields) {
    const rules = el.getAttribute('passwordrules');
    if (rules !== null && rules.trim() !== '' && h.passwordrules === undefined) h.passwordrules = rules.slice(0, 1000);
    const pattern = el.getAttribute('pattern');
    if (pattern !== null && pattern !== '' && h.pattern === undefined) h.pattern = pattern.slice(0, 1000);
    const min = intAttr(el, 'minlength');
    if (min !== undefined) h.minlength = Math.max(h.minlength ?? 0, min);
    const max = intAttr(el, 'maxlength');
    if (max !== undefined) h.maxlength = Math.min(h.maxlength ?? max, max);
  }
  return h;
}

function intAttr(el: Element, name: string): number | undefined {
  const v = el.getAttribute(name);
  if (v === null || !/^\s*\d{1,6}\s*$/.test(v)) return undefined;
  return Number(v.trim());
}
