/**
 * Field detection (CONTRACT §4 "Fields"): pure DOM code that runs inside the page, in the
 * extension's isolated world. It searches the document and every open shadow root and
 * keeps only inputs a person could see and type into:
 *   - enabled, editable, not type=hidden;
 *   - rendered (display, visibility, content-visibility), not aria-hidden or inert (itself
 *     or an ancestor), at least 4×4 px, on the page
 *     (not pushed off to negative coordinates or beyond a non-scrollable edge);
 *   - effective opacity (the product along the flat-tree ancestor chain, and the chain
 *     of same-origin frame elements) of at least 0.7;
 *   - not clipped away by an overflow-clipping ancestor;
 *   - the element at its centre (elementFromPoint, through open shadow roots) is the
 *     field itself or one of its labels, and no layer painted above it there (also one
 *     with pointer-events:none, layers.ts) hides it: covered fields are refused.
 * Passwords only into type=password. Nothing here sets a value or logs anything.
 */
import type { FieldKind } from '../../shared/browser-protocol.js';
import { findBoxRuns, isBox } from './boxes.js';
import { clippedAway, effectiveOpacity, presentedByWidget } from './layout.js';
import { KIND_ORDER } from './names.js';
import { shadowRootOf } from './shadow.js';

export { effectiveOpacity } from './layout.js';
import { type FieldFacts, isMaskedCode, isOtherIdentifier, isStrongIdentifier, type PasswordRole, passwordRole } from './field-kind.js';
import { coveredByLayers } from './layers.js';
import type { RefusalReason } from './refusal.js';

export interface Fields {
  username?: HTMLInputElement;
  password?: HTMLInputElement;
  /** One element for a single code field; 6-8 elements for one box per digit. */
  totp?: HTMLInputElement[];
  /**
   * Visible password fields that set a password (new, confirm, sign-up): never given the
   * stored password; a sign-up fills them with a generated one.
   */
  newPasswords?: HTMLInputElement[];
  /** Visible password fields that prove the current password (the change-password flow's "current" field). */
  currentPasswords?: HTMLInputElement[];
  /** Why no password field was chosen although password-type fields were visible. */
  refusal?: RefusalReason;
}

export const MIN_SIZE_PX = 4;
export const MIN_OPACITY = 0.7;
/** Bounds on the work done in one document (huge pages still answer in time). */
const MAX_ELEMENTS = 50_000;
const MAX_INPUTS = 500;
const MAX_SHADOW_DEPTH = 32;

const TEXTLIKE = new Set(['text', 'email', 'tel']);
const OTP_TYPES = new Set(['text', 'tel', 'number', 'password']);

const USER_HINT = /user|e-?mail|login|logon|account|ident|handle|phone|mobile/i;
const PASS_HINT = /pass|pwd|pin\b/i;
const SEARCH_HINT = /search|^q$|query/i;
const OTP_HINT = /otp|2fa|mfa|one.?time|verification|verify|security.?code|auth.?code|code|token/i;
/** Label text is prose: only words that name a one-time code count. */
const OTP_LABEL_HINT = /one.?time|verification.?code|security.?code|auth\w*.?code|login.?code|sign.?in.?code|2fa|two.?factor|\botp\b|passcode|authenticator/i;
const NOT_OTP_HINT = /postal|post.?code|zip|promo|coupon|country|area|discount|gift|voucher|referr|invite|captcha|csrf|xsrf|api.?token|access.?token|cvv|cvc|card/i;

// ---------------------------------------------------------------------------
// Walking the document and its open shadow roots

/** The element's parent in the flat tree: its slot if slotted, else its parent or shadow host. */
export function flatParent(el: Element): Element | null {
  if (el.assignedSlot) return el.assignedSlot;
  if (el.parentElement) return el.parentElement;
  const root = el.parentNode;
  if (root && root.nodeType === Node.DOCUMENT_FRAGMENT_NODE && (root as ShadowRoot).host) return (root as ShadowRoot).host;
  return null;
}

/** Every <input> of the document and of its open shadow roots, in tree order. */
export function allInputs(root: Document | ShadowRoot = document): HTMLInputElement[] {
  const out: HTMLInputElement[] = [];
  const budget = { elements: MAX_ELEMENTS };
  walk(root, out, budget, 0);
  return out;
}

function walk(root: Document | ShadowRoot, out: HTMLInputElement[], budget: { elements: number }, depth: number): void {
  if (depth > MAX_SHADOW_DEPTH) return;
  const doc = root.nodeType === Node.DOCUMENT_NODE ? (root as Document) : root.ownerDocument!;
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
  for (let n = walker.nextNode() as Element | null; n; n = walker.nextNode() as Element | null) {
    if (--budget.elements < 0 || out.length >= MAX_INPUTS) return;
    if (n.localName === 'input') out.push(n as HTMLInputElement);
    // Open roots, and closed ones where this world can reach them (shadow.ts).
    const sr = shadowRootOf(n);
    if (sr) walk(sr, out, budget, depth + 1);
  }
}

/** elementFromPoint that descends through open shadow roots. */
export function deepElementFromPoint(doc: Document, x: number, y: number): Element | null {
  let hit = doc.elementFromPoint(x, y);
  for (let i = 0, sr = hit && shadowRootOf(hit); hit && sr && i < MAX_SHADOW_DEPTH; i++, sr = shadowRootOf(hit)) {
    const inner = sr.elementFromPoint(x, y);
    if (!inner || inner === hit) break;
    hit = inner;
  }
  return hit;
}

/** form ancestor, also across shadow boundaries (an input in a shadow root has no .form). */
export function closestForm(el: Element): HTMLFormElement | null {
  const own = (el as HTMLInputElement).form;
  if (el.localName === 'input' && own) return own;
  for (let n: Element | null = el; n; n = flatParent(n)) {
    if (n.localName === 'form') return n as HTMLFormElement;
  }
  return null;
}

// ---------------------------------------------------------------------------
// Visibility

export interface VisibilityOptions {
  /**
   * Scroll a field whose centre is outside the viewport into view before the hit test
   * (default true). Without it such a field cannot be proven uncovered and is refused.
   */
  scroll?: boolean;
}

/** Enabled and editable: not disabled (also through a disabled fieldset), not read-only, not hidden. */
export function isEditable(el: HTMLInputElement): boolean {
  if (!el.isConnected) return false;
  if (el.type === 'hidden') return false;
  if (el.disabled || el.matches(':disabled')) return false;
  if (el.readOnly || el.matches(':read-only')) return false;
  return true;
}

/** Can a person see this element (CSS, size, position, opacity, clipping)? No hit test. */
export function isRendered(el: Element): boolean {
  const doc = el.ownerDocument;
  const win = doc.defaultView;
  if (!win || !el.isConnected) return false;
  if (typeof el.checkVisibility === 'function' && !el.checkVisibility({ checkVisibilityCSS: true, contentVisibilityAuto: true } as CheckVisibilityOptions)) {
    return false;
  }
  const cs = win.getComputedStyle(el);
  if (cs.display === 'none' || cs.visibility !== 'visible') return false;
  if (hiddenFromPeople(el)) return false;
  const r = el.getBoundingClientRect();
  if (r.width < MIN_SIZE_PX || r.height < MIN_SIZE_PX) return false;
  if (!onPage(el, r, win)) return false;
  if (effectiveOpacity(el) < MIN_OPACITY && !presentedByWidget(el, r)) return false;
  if (clippedAway(el, r)) return false;
  return true;
}

/**
 * Marked as not for people: aria-hidden="true" or inert on the element or a flat-tree
 * ancestor. Sites hide honeypots and prefetched inputs so; the page behind an open modal
 * is marked so too. A person cannot use an inert field, and one hidden from assistive
 * technology is not meant to be filled by anyone.
 */
export function hiddenFromPeople(el: Element): boolean {
  for (let n: Element | null = el, guard = 0; n && guard < 10_000; n = flatParent(n), guard++) {
    if (n.getAttribute('aria-hidden') === 'true') return true;
    if ((n as HTMLElement).inert === true) return true;
  }
  return false;
}

/**
 * The element's centre lies on the page: at non-negative document coordinates (nothing
 * can scroll to a negative offset), and within the viewport along an axis where the
 * page cannot be scrolled (overflow hidden/clip on the root).
 */
function onPage(el: Element, r: DOMRect, win: Window): boolean {
  const doc = el.ownerDocument;
  const cx = r.left + r.width / 2;
  const cy = r.top + r.height / 2;
  const docX = cx + win.scrollX;
  const docY = cy + win.scrollY;
  if (docX < 0 || docY < 0) return false;
  const root = doc.documentElement;
  const rootStyle = win.getComputedStyle(root);
  const bodyStyle = doc.body ? win.getComputedStyle(doc.body) : null;
  const lockedX = isClipping(rootStyle.overflowX) || (bodyStyle !== null && isClipping(bodyStyle.overflowX));
  const lockedY = isClipping(rootStyle.overflowY) || (bodyStyle !== null && isClipping(bodyStyle.overflowY));
  const pageW = lockedX ? win.innerWidth : Math.max(root.scrollWidth, win.innerWidth);
  const pageH = lockedY ? win.innerHeight : Math.max(root.scrollHeight, win.innerHeight);
  if (lockedX ? cx < 0 || cx > pageW : docX > pageW) return false;
  if (lockedY ? cy < 0 || cy > pageH : docY > pageH) return false;
  return true;
}

function isClipping(overflow: string): boolean {
  return overflow === 'hidden' || overflow === 'clip';
}

/**
 * The element at the field's centre is the field (or inside it) or one of its labels.
 * Catches overlays, clip-path, clip:rect and anything else that hit testing respects.
 */
export function isUncovered(el: HTMLInputElement, opts: VisibilityOptions = {}): boolean {
  const doc = el.ownerDocument;
  const win = doc.defaultView!;
  let r = el.getBoundingClientRect();
  let cx = r.left + r.width / 2;
  let cy = r.top + r.height / 2;
  const inView = (): boolean => cx >= 0 && cy >= 0 && cx < win.innerWidth && cy < win.innerHeight;
  if (!inView()) {
    if (opts.scroll === false) return false;
    el.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' as ScrollBehavior });
    r = el.getBoundingClientRect();
    cx = r.left + r.width / 2;
    cy = r.top + r.height / 2;
    if (!inView()) return false;
  }
  const hit = deepElementFromPoint(doc, cx, cy);
  if (!hit) return false;
  let top = hit === el || el.contains(hit);
  const labels = el.labels;
  if (!top && labels) {
    for (const label of Array.from(labels)) if (label === hit || label.contains(hit)) top = true;
  }
  // The hit test skips layers with pointer-events:none: findFields and isFillable also
  // look at every layer (coveredByLayers), once for all fields.
  return top;
}

/** Visible, enabled, editable and not covered (by any layer, whatever its pointer-events). */
export function isFillable(el: HTMLInputElement, opts: VisibilityOptions = {}): boolean {
  return isEditable(el) && isRendered(el) && isUncovered(el, opts) && !coveredByLayers([el]).has(el);
}

// ---------------------------------------------------------------------------
// Controls and their text (also the filler's submit logic)

/** Elements a person may press. */
export const BUTTONISH = 'button, input[type=submit], input[type=image], input[type=button], [role=button], a[href]';
/** What a control that signs in (or moves a sign-in on) says. */
export const SUBMIT_TEXT =
  /^(sign|log)\s*-?\s*(in|on)\b|^(sign|log)\s*me\s*in\b|^authenticate\b|^access\b|^unlock\b|^go$|^next\b|^continue\b|^verify\b|^submit\b|^confirm\b|^proceed\b|^weiter\b|^anmelden\b|^se connecter\b|^connexion\b|^suivant\b|^iniciar sesi[oó]n\b|^entrar\b|^accedi\b|^ok$/i;
export const NOT_SUBMIT_TEXT =
  /forgot|reset|cancel|back\b|sign\s*-?\s*up|register|create|\bwith\b|google|facebook|apple|github|microsoft|passkey|security key|show|hide|toggle|visib|reveal|clear\b|close|dismiss|menu|search|subscri|resend|help|remember/i;
/** What a control of some other form says: newsletters, sign-up, search, comments. */
const OTHER_ACTION_TEXT = /subscri|newsletter|sign\s*-?\s*up|regist|create|join|notify|search|send\b|post\b|comment|apply|redeem|add to|buy\b|book\b/i;

/** Every element matching `selector` under root, also inside open shadow roots. */
export function deepQueryAll(root: ParentNode, selector: string, out: Element[] = [], depth = 0, limit = 2_000): Element[] {
  if (depth > MAX_SHADOW_DEPTH) return out;
  for (const el of Array.from(root.querySelectorAll('*'))) {
    if (out.length >= limit) return out;
    if (el.matches(selector)) out.push(el);
    const sr = shadowRootOf(el);
    if (sr) deepQueryAll(sr, selector, out, depth + 1, limit);
  }
  return out;
}

/** The text a control shows (an input button's value), else its aria-label or title. */
export function controlText(el: Element): string {
  const text = el.localName === 'input' ? (el as HTMLInputElement).value : (el as HTMLElement).innerText || el.textContent || '';
  return (text || el.getAttribute('aria-label') || el.getAttribute('title') || '').trim().replace(/\s+/g, ' ');
}

/** Every name a control goes by: its text, aria-label and title (an icon button has only those). */
export function controlNames(el: Element): string[] {
  const names = [controlText(el), el.getAttribute('aria-label') ?? '', el.getAttribute('title') ?? ''];
  return names.map((n) => n.trim().replace(/\s+/g, ' ')).filter((n, i, all) => n.length > 0 && all.indexOf(n) === i);
}

/** The control says it signs in (or moves a sign-in on), and none of its names says otherwise. */
export function saysSubmit(el: Element): boolean {
  const names = controlNames(el);
  return names.some((n) => n.length <= 40 && SUBMIT_TEXT.test(n)) && !names.some((n) => NOT_SUBMIT_TEXT.test(n));
}

/**
 * One of the control's names says it does something else: forgot, show, sign up, search,
 * or the action of another kind of form (subscribe, send, …) when it does not start by
 * saying it signs in ("Log in to comment" still signs in).
 */
export function saysNotSubmit(el: Element): boolean {
  return controlNames(el).some((n) => NOT_SUBMIT_TEXT.test(n) || (OTHER_ACTION_TEXT.test(n) && !SUBMIT_TEXT.test(n)));
}

/** A control a person can press: enabled (also aria-disabled) and rendered. */
export function isUsableControl(el: Element): boolean {
  if (el.matches(':disabled') || el.getAttribute('aria-disabled') === 'true') return false;
  return isRendered(el);
}

// ---------------------------------------------------------------------------
// Classification

function attr(el: Element, name: string): string {
  return el.getAttribute(name) ?? '';
}

function autocompleteTokens(el: HTMLInputElement): string[] {
  return attr(el, 'autocomplete').toLowerCase().split(/\s+/).filter(Boolean);
}

function nameAndId(el: HTMLInputElement): string {
  return `${attr(el, 'name')} ${attr(el, 'id')}`;
}

function describedAs(el: HTMLInputElement): string {
  return `${nameAndId(el)} ${attr(el, 'placeholder')} ${attr(el, 'aria-label')}`;
}

/**
 * While findFields runs: the text of every <label for=…> of each tree, by id, built once
 * per tree (el.labels searches the whole tree on every call: quadratic on big pages).
 */
let labelIndex: Map<Node, Map<string, string>> | null = null;

function labelsFor(el: HTMLInputElement): string[] {
  if (!labelIndex) return el.labels ? Array.from(el.labels).slice(0, 4).map((l) => l.textContent ?? '') : [];
  const root = el.getRootNode();
  let index = labelIndex.get(root);
  if (!index) {
    index = new Map();
    const labels = (root as Document | ShadowRoot).querySelectorAll?.('label[for]') ?? [];
    for (let i = 0; i < labels.length && i < MAX_INPUTS * 2; i++) {
      const l = labels[i] as HTMLLabelElement;
      const key = l.htmlFor;
      if (key && !index.has(key)) index.set(key, l.textContent ?? '');
    }
    labelIndex.set(root, index);
  }
  const out: string[] = [];
  const byFor = el.id ? index.get(el.id) : undefined;
  if (byFor !== undefined) out.push(byFor);
  const wrapping = el.closest('label');
  if (wrapping && !wrapping.htmlFor) out.push(wrapping.textContent ?? '');
  return out;
}

/** The text of the field's labels (<label for>, a wrapping <label>) and aria-labelledby. */
export function labelText(el: HTMLInputElement): string {
  const parts: string[] = labelsFor(el);
  const ids = attr(el, 'aria-labelledby').split(/\s+/).filter(Boolean).slice(0, 4);
  if (ids.length > 0) {
    const root = el.getRootNode() as Document | ShadowRoot;
    for (const id of ids) parts.push(root.getElementById?.(id)?.textContent ?? '');
  }
  return parts.join(' ').replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** What the pure classifier (field-kind.ts) reads of a field. */
export function factsOf(el: HTMLInputElement): FieldFacts {
  return {
    type: el.type,
    autocomplete: attr(el, 'autocomplete'),
    name: attr(el, 'name'),
    id: attr(el, 'id'),
    placeholder: attr(el, 'placeholder'),
    ariaLabel: attr(el, 'aria-label'),
    labels: labelText(el),
    inputmode: attr(el, 'inputmode'),
    maxLength: el.maxLength,
  };
}

/**
 * May a value already in this username field be replaced by the stored one? Only when the
 * field says it is the login name (autocomplete=username, user/login words) or its form
 * signs in: a filled field of some other form (an address the agent just typed) stays.
 */
export function mayReplaceUsername(el: HTMLInputElement): boolean {
  return isStrongIdentifier(factsOf(el)) || scopeIntent(scopeOf(el), new Map()) > 0;
}

/** Everything that names the field: name, id, placeholder, aria-label, labels. */
function fullDescription(el: HTMLInputElement): string {
  return `${describedAs(el)} ${labelText(el)}`;
}

/** In a search landmark (role=search, <search>). */
function inSearchScope(el: Element): boolean {
  for (let n = flatParent(el), k = 0; n && k < 16; n = flatParent(n), k++) {
    if (n.localName === 'search' || attr(n, 'role') === 'search') return true;
  }
  return false;
}

function isSearchLike(el: HTMLInputElement): boolean {
  if (el.type === 'search' || attr(el, 'role') === 'searchbox') return true;
  if (SEARCH_HINT.test(attr(el, 'name')) || SEARCH_HINT.test(attr(el, 'id'))) return true;
  if (/\bsearch/i.test(`${attr(el, 'placeholder')} ${attr(el, 'aria-label')} ${labelText(el)}`)) return true;
  return inSearchScope(el);
}

export function isOtpLike(el: HTMLInputElement): boolean {
  if (!OTP_TYPES.has(el.type)) return false;
  const ac = autocompleteTokens(el);
  if (ac.includes('one-time-code')) return true;
  // A masked field is a code field only when it says so (never by a bare "code" in prose).
  if (el.type === 'password') {
    const f = factsOf(el);
    return isMaskedCode({ ...f, maxLength: f.maxLength >= 6 ? f.maxLength : -1 });
  }
  const text = describedAs(el);
  const labels = labelText(el);
  if (NOT_OTP_HINT.test(text) || NOT_OTP_HINT.test(labels)) return false;
  if (OTP_HINT.test(text) || OTP_LABEL_HINT.test(labels)) return true;
  const max = el.maxLength;
  return attr(el, 'inputmode').toLowerCase() === 'numeric' && max >= 6 && max <= 8;
}

export function isUsernameCandidate(el: HTMLInputElement): boolean {
  if (!TEXTLIKE.has(el.type)) return false;
  if (isSearchLike(el)) return false;
  if (PASS_HINT.test(nameAndId(el)) && !USER_HINT.test(nameAndId(el))) return false;
  const ac = autocompleteTokens(el);
  if (ac.includes('one-time-code') || ac.includes('new-password') || ac.includes('current-password')) return false;
  // "New email", "Confirm email", "Recovery email": not the account's login name.
  if (isOtherIdentifier(factsOf(el))) return false;
  return true;
}

export function hasUserHint(el: HTMLInputElement): boolean {
  const ac = autocompleteTokens(el);
  if (ac.includes('username') || ac.includes('email')) return true;
  if (el.type === 'email') return true;
  return USER_HINT.test(describedAs(el)) || USER_HINT.test(labelText(el));
}

function ancestorAt(el: Element, k: number): Element | null {
  let n: Element | null = el;
  for (let i = 0; i < k && n; i++) n = flatParent(n);
  return n;
}

// ---------------------------------------------------------------------------
// What a form is for: signing in, or something else (sign-up, newsletter, search)

const LOGIN_SCOPE_HINT = /log.?in|log.?on|sign.?in|session|auth/i;
const OTHER_SCOPE_HINT = /newsletter|subscri|sign.?up|regist|join|create|enrol|search|contact|comment|feedback|wait.?list|mailing/i;
/** Field names of things that are not an account identifier. */
const OTHER_FIELD_HINT = /newsletter|subscri|search|coupon|promo|gift|referr|invite|friend|recipient|share/i;
/** A password field that sets a password rather than proves one. */
const NEW_PASSWORD_HINT = /new|confirm|repeat|retype|re-?enter|again|verif|regist|sign.?up|create|choose/i;

/**
 * The field's form; without one, the smallest container (at most 6 levels up) that holds
 * a control a person could press to send it.
 */
function scopeOf(el: Element): Element | null {
  const form = closestForm(el);
  if (form) return form;
  for (let n = flatParent(el), k = 0; n && k < 6; n = flatParent(n), k++) {
    if (n === n.ownerDocument.body || n === n.ownerDocument.documentElement) return null;
    // Native query (this tree only): bounded work even on huge pages.
    const controls = n.querySelectorAll(BUTTONISH);
    for (let i = 0; i < controls.length && i < 20; i++) if (isUsableControl(controls[i]!)) return n;
  }
  return null;
}

/** > 0: the scope signs in; < 0: it does something else; 0: cannot tell. */
function scopeIntent(scope: Element | null, cache: Map<Element | null, number>): number {
  const known = cache.get(scope);
  if (known !== undefined) return known;
  let score = 0;
  if (scope) {
    const attrs = `${attr(scope, 'id')} ${attr(scope, 'name')} ${attr(scope, 'class')} ${attr(scope, 'aria-label')} ${scope.localName === 'form' ? attr(scope, 'action') : ''}`;
    if (LOGIN_SCOPE_HINT.test(attrs)) score += 1;
    if (OTHER_SCOPE_HINT.test(attrs)) score -= 1;
    const controls = deepQueryAll(scope, BUTTONISH, [], 0, 40);
    if (scope.localName === 'form') for (const el of Array.from((scope as HTMLFormElement).elements)) if (!controls.includes(el) && el.matches(BUTTONISH)) controls.push(el);
    let login = false;
    let other = false;
    for (const c of controls) {
      if (login && other) break;
      if (!isUsableControl(c)) continue;
      if (saysSubmit(c)) login = true;
      else if (c.localName !== 'a' && controlNames(c).some((n) => n.length <= 40 && OTHER_ACTION_TEXT.test(n))) other = true;
    }
    if (login) score += 2;
    if (other) score -= 2;
    const heading = headingsOf(scope);
    if (LOGIN_HEADING.test(heading)) score += 1;
    if (OTHER_HEADING.test(heading)) score -= 1;
  }
  cache.set(scope, score);
  return score;
}

const HEADINGS = 'h1, h2, h3, h4, h5, h6, legend, [role=heading]';
const LOGIN_HEADING = /sign\s*-?\s*in|log\s*-?\s*in|log\s*on|welcome back|returning customer|existing (customer|account)/i;
const OTHER_HEADING = /sign\s*-?\s*up|regist|create (an |your |a new )?account|join|new (customer|account)|get started|newsletter|subscribe/i;

/**
 * The headings that title this scope: inside it, and in the enclosing containers (at most
 * 3 levels up) that hold no other form, such as the card around a form.
 */
function headingsOf(scope: Element): string {
  const texts: string[] = [];
  const take = (root: Element): void => {
    for (const h of Array.from(root.querySelectorAll(HEADINGS)).slice(0, 3)) texts.push((h.textContent ?? '').trim().slice(0, 80));
  };
  take(scope);
  for (let n = flatParent(scope), k = 0; n && k < 3; n = flatParent(n), k++) {
    if (n === n.ownerDocument.body || n.localName === 'main') break;
    const forms = n.querySelectorAll('form').length - (scope.localName === 'form' ? 1 : 0);
    if (forms > 0) break;
    if (n.querySelectorAll('input[type=password]').length > scope.querySelectorAll('input[type=password]').length) break;
    take(n);
  }
  return texts.join(' | ');
}

/** Inside the page footer (<footer>, role=contentinfo). */
function inFooter(el: Element): boolean {
  for (let n = flatParent(el); n; n = flatParent(n)) {
    if (n.localName === 'footer' || attr(n, 'role') === 'contentinfo') return true;
  }
  return false;
}

/** Do two fields without a form belong together (a common ancestor at most 5 levels up)? */
function near(a: Element, b: Element): boolean {
  for (let k = 1, n = flatParent(a); n && k <= 5; n = flatParent(n), k++) if (n.contains(b) || shadowRootOf(n) === b.getRootNode()) return true;
  return false;
}

/**
 * How much a password field looks like the one that signs in: current-password over
 * new-password; not one of a new/confirm pair; not named "new", "confirm", …; in a form
 * that signs in rather than signs up.
 */
function passwordRank(p: HTMLInputElement, all: HTMLInputElement[], intents: Map<Element | null, number>): number {
  const ac = autocompleteTokens(p);
  let rank = 0;
  if (ac.includes('current-password')) rank += 8;
  if (ac.includes('new-password')) rank -= 8;
  if (NEW_PASSWORD_HINT.test(fullDescription(p))) rank -= 4;
  const form = closestForm(p);
  if (all.some((q) => q !== p && closestForm(q) === form && (form !== null || near(p, q)))) rank -= 2;
  rank += scopeIntent(scopeOf(p), intents);
  return rank;
}

/** Do two password fields belong to one form (the same <form>, or near each other without one)? */
export function samePasswordScope(p: HTMLInputElement, q: HTMLInputElement): boolean {
  const form = closestForm(p);
  return closestForm(q) === form && (form !== null || near(p, q));
}

/** Each password field's role (field-kind.ts), read beside the other password fields of its form. */
function passwordRoles(passwords: HTMLInputElement[], intents: Map<Element | null, number>): Map<HTMLInputElement, PasswordRole> {
  const facts = new Map(passwords.map((p) => [p, factsOf(p)] as const));
  const roles = new Map<HTMLInputElement, PasswordRole>();
  for (const p of passwords) {
    const siblings = passwords.filter((q) => q !== p && samePasswordScope(p, q)).map((q) => facts.get(q)!);
    roles.set(p, passwordRole(facts.get(p)!, { siblings, signsUp: scopeIntent(scopeOf(p), intents) < 0 && signsUpScope(p) }));
  }
  return roles;
}

/** The field's form says it creates an account (not merely "not a sign-in"). */
function signsUpScope(el: HTMLInputElement): boolean {
  const scope = scopeOf(el);
  if (!scope) return false;
  const attrs = `${attr(scope, 'id')} ${attr(scope, 'name')} ${attr(scope, 'class')} ${attr(scope, 'aria-label')} ${scope.localName === 'form' ? attr(scope, 'action') : ''}`;
  if (/sign.?up|regist|join|create|enrol/i.test(attrs)) return true;
  if (OTHER_HEADING.test(headingsOf(scope))) return true;
  const controls = deepQueryAll(scope, BUTTONISH, [], 0, 40);
  return controls.some((c) => c.localName !== 'a' && isUsableControl(c) && controlNames(c).some((n) => n.length <= 40 && /sign\s*-?\s*up|regist|create|join/i.test(n)));
}

function pickPassword(passwords: HTMLInputElement[], intents: Map<Element | null, number>): { el: HTMLInputElement; rank: number } | undefined {
  let best: { el: HTMLInputElement; rank: number } | undefined;
  for (const p of passwords) {
    const rank = passwordRank(p, passwords, intents);
    if (!best || rank > best.rank) best = { el: p, rank };
  }
  return best;
}

/**
 * Identifier-first (no password to go with it): only a field that says it is the
 * identifier, and not one of another form (newsletter, sign-up, search) or the footer.
 * Prefers autocomplete=username, then a field whose form signs in.
 */
function pickIdentifier(users: HTMLInputElement[], intents: Map<Element | null, number>): HTMLInputElement | undefined {
  const candidates = users.filter(
    (u) => hasUserHint(u) && !OTHER_FIELD_HINT.test(fullDescription(u)) && !inFooter(u) && scopeIntent(scopeOf(u), intents) >= 0,
  );
  return (
    candidates.find((u) => autocompleteTokens(u).includes('username')) ??
    candidates.find((u) => scopeIntent(scopeOf(u), intents) > 0) ??
    candidates[0]
  );
}

/** Find the fields to fill in this document (and its open shadow roots). */
export function findFields(doc: Document = document, opts: VisibilityOptions = {}): Fields {
  labelIndex = new Map();
  try {
    return detectFields(doc, opts);
  } finally {
    labelIndex = null;
  }
}

function detectFields(doc: Document, opts: VisibilityOptions): Fields {
  const inputs = allInputs(doc);
  // Cheap checks first; the hit test (which may scroll) only for plausible candidates.
  const plausible = inputs.filter(
    (el) => (el.type === 'password' || TEXTLIKE.has(el.type) || OTP_TYPES.has(el.type)) && isEditable(el) && isRendered(el),
  );
  const hitTop = plausible.filter((el) => isUncovered(el, opts));
  const layered = coveredByLayers(hitTop);
  const visible = hitTop.filter((el) => !layered.has(el));
  const order = new Map(inputs.map((el, i) => [el, i] as const));
  const intents = new Map<Element | null, number>();
  const fields: Fields = {};

  // One-time code: one box per digit first, then a single code field.
  const runs = findBoxRuns(visible);
  const boxSet = new Set(runs.flat());
  // A lone one-character box is never a username, password or code field.
  const rest = visible.filter((el) => !boxSet.has(el) && !isBox(el));
  if (runs[0]) {
    fields.totp = runs[0];
  } else {
    const otps = rest.filter(isOtpLike);
    const best = otps.find((el) => autocompleteTokens(el).includes('one-time-code')) ?? otps[0];
    if (best) fields.totp = [best];
  }
  const otpSet = new Set(fields.totp ?? []);
  const nonOtp = rest.filter((el) => !otpSet.has(el) && !isOtpLike(el));

  // Password: type=password only (a hidden honeypot was already dropped as invisible), and
  // only a field that proves the password: never one that sets a new one.
  const masked = nonOtp.filter((el) => el.type === 'password');
  const roles = passwordRoles(masked, intents);
  const current = masked.filter((el) => roles.get(el) === 'current-password');
  const newPasswords = masked.filter((el) => roles.get(el) === 'new-password');
  if (newPasswords.length > 0) fields.newPasswords = newPasswords;
  if (current.length > 0) fields.currentPasswords = current;
  // The fields of a form that only sets a password (sign-up, change-password without a
  // current field) are not this login's: its e-mail is not the username.
  const setsOnly = (u: HTMLInputElement): boolean =>
    newPasswords.some((np) => samePasswordScope(np, u) || (closestForm(np) === null && near(np, u))) && !current.some((c) => samePasswordScope(c, u) || near(c, u));
  const users = nonOtp.filter(isUsernameCandidate).filter((u) => !setsOnly(u));
  if (current.length === 0 && newPasswords.length > 0) fields.refusal = 'new-password';
  else if (masked.length === 0 && (fields.totp ?? []).some((el) => el.type === 'password')) fields.refusal = 'code-field';
  const picked = pickPassword(current, intents);
  const password = picked?.el;
  if (picked && password && picked.rank < 0) {
    // The best password sets one (a sign-up or new/confirm pair). When another form on
    // the page signs in with an identifier first, that form is the one, not this pair.
    const form = closestForm(password);
    const other = pickIdentifier(
      users.filter((u) => closestForm(u) !== form && (form !== null || !near(u, password!))),
      intents,
    );
    if (other && scopeIntent(scopeOf(other), intents) > 0) {
      fields.username = other;
      return fields;
    }
  }
  if (password) fields.password = password;

  // Username.
  if (password) {
    const form = closestForm(password);
    const pwAt = order.get(password)!;
    const sameScope = users.filter((u) => closestForm(u) === form);
    const explicit = sameScope.find((u) => autocompleteTokens(u).includes('username'));
    const before = sameScope.filter((u) => order.get(u)! < pwAt);
    const hinted = before.filter(hasUserHint);
    const pick = explicit ?? hinted[hinted.length - 1] ?? (form ? before[before.length - 1] : nearestBefore(before, password));
    if (pick) fields.username = pick;
  } else {
    const pick = pickIdentifier(users, intents);
    if (pick) fields.username = pick;
  }
  return fields;
}

/** Without a form, the closest preceding text field, and only if it sits near the password. */
function nearestBefore(before: HTMLInputElement[], password: HTMLInputElement): HTMLInputElement | undefined {
  const last = before[before.length - 1];
  if (!last) return undefined;
  for (let k = 1; k <= 6; k++) {
    const a = ancestorAt(last, k);
    if (a?.contains(password)) return last;
    if (a && shadowRootOf(a) === password.getRootNode()) return last;
  }
  return undefined;
}

/** The kinds present, in the fixed order username, password, totp. */
export function kindsOf(fields: Fields): FieldKind[] {
  return KIND_ORDER.filter((k) => (k === 'totp' ? (fields.totp?.length ?? 0) > 0 : k === 'new_password' ? false : fields[k] !== undefined));
}
