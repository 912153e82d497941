/**
 * Field detection (CONTRACT §4 "Fields"): pure DOM code that runs inside the page, in the
 * extension's isolated world. It searches the document and every open shadow root and
 * keeps only inputs a person could see and type into:
 *   - enabled, editable, not type=hidden;
 *   - rendered (display, visibility, content-visibility), at least 4×4 px, on the page
 *     (not pushed off to negative coordinates or beyond a non-scrollable edge);
 *   - effective opacity (the product along the flat-tree ancestor chain, and the chain
 *     of same-origin frame elements) of at least 0.7;
 *   - not clipped away by an overflow-clipping ancestor;
 *   - the element at its centre (elementFromPoint, through open shadow roots) is the
 *     field itself or one of its labels: covered fields are refused.
 * Passwords only into type=password. Nothing here sets a value or logs anything.
 */
import type { FieldKind } from '../../shared/browser-protocol.js';
import { KIND_ORDER } from './names.js';

export interface Fields {
  username?: HTMLInputElement;
  password?: HTMLInputElement;
  /** One element for a single code field; 6-8 elements for one box per digit. */
  totp?: HTMLInputElement[];
}

export const MIN_SIZE_PX = 4;
export const MIN_OPACITY = 0.7;
/** Bounds on the work done in one document (huge pages still answer in time). */
const MAX_ELEMENTS = 50_000;
const MAX_INPUTS = 500;
const MAX_SHADOW_DEPTH = 32;

const TEXTLIKE = new Set(['text', 'email', 'tel']);
const OTP_TYPES = new Set(['text', 'tel', 'number', 'password']);
const BOX_TYPES = new Set(['text', 'tel', 'number', 'password']);

const USER_HINT = /user|e-?mail|login|logon|account|ident|handle|phone|mobile/i;
const PASS_HINT = /pass|pwd|pin\b/i;
const SEARCH_HINT = /search|^q$|query/i;
const OTP_HINT = /otp|2fa|mfa|one.?time|verification|verify|security.?code|auth.?code|code/i;
const NOT_OTP_HINT = /postal|post.?code|zip|promo|coupon|country|area|discount|gift|voucher|referr|invite|captcha/i;

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
    // Only open shadow roots are visible here (closed ones return null).
    const sr = n.shadowRoot;
    if (sr) walk(sr, out, budget, depth + 1);
  }
}

/** elementFromPoint that descends through open shadow roots. */
export function deepElementFromPoint(doc: Document, x: number, y: number): Element | null {
  let hit = doc.elementFromPoint(x, y);
  for (let i = 0; hit && hit.shadowRoot && i < MAX_SHADOW_DEPTH; i++) {
    const inner = hit.shadowRoot.elementFromPoint(x, y);
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
  const r = el.getBoundingClientRect();
  if (r.width < MIN_SIZE_PX || r.height < MIN_SIZE_PX) return false;
  if (!onPage(el, r, win)) return false;
  if (effectiveOpacity(el) < MIN_OPACITY) return false;
  if (clippedAway(el, r)) return false;
  return true;
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
 * Product of the computed opacity along the flat-tree ancestor chain, continued through
 * the frame elements of same-origin parent documents (cross-origin parents cannot be
 * inspected from inside the frame).
 */
export function effectiveOpacity(el: Element): number {
  let opacity = 1;
  let node: Element | null = el;
  for (let guard = 0; node && guard < 10_000; guard++) {
    const win: Window | null = node.ownerDocument.defaultView;
    if (!win) break;
    const o = parseFloat(win.getComputedStyle(node).opacity);
    if (Number.isFinite(o)) opacity *= o;
    if (opacity < MIN_OPACITY) return opacity;
    const parent: Element | null = flatParent(node);
    if (parent) {
      node = parent;
      continue;
    }
    node = frameElementOf(win);
  }
  return opacity;
}

function frameElementOf(win: Window): Element | null {
  try {
    return win.frameElement;
  } catch {
    return null;
  }
}

/** True when an overflow-clipping ancestor leaves less than 4×4 px of the element showing. */
function clippedAway(el: Element, r: DOMRect): boolean {
  const win = el.ownerDocument.defaultView!;
  let left = r.left;
  let top = r.top;
  let right = r.right;
  let bottom = r.bottom;
  for (let n = flatParent(el); n && n !== el.ownerDocument.documentElement; n = flatParent(n)) {
    const cs = win.getComputedStyle(n);
    const clipX = cs.overflowX !== 'visible';
    const clipY = cs.overflowY !== 'visible';
    const cp = cs.clipPath;
    if (!clipX && !clipY && (cp === 'none' || cp === '')) continue;
    const pr = n.getBoundingClientRect();
    if (cp !== 'none' && cp !== '' && (pr.width < MIN_SIZE_PX || pr.height < MIN_SIZE_PX)) return true;
    if (clipX) {
      left = Math.max(left, pr.left);
      right = Math.min(right, pr.right);
    }
    if (clipY) {
      top = Math.max(top, pr.top);
      bottom = Math.min(bottom, pr.bottom);
    }
    if (right - left < MIN_SIZE_PX || bottom - top < MIN_SIZE_PX) return true;
  }
  return false;
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
  if (hit === el || el.contains(hit)) return true;
  const labels = el.labels;
  if (labels) {
    for (const label of Array.from(labels)) if (label === hit || label.contains(hit)) return true;
  }
  return false;
}

/** Visible, enabled, editable and not covered. */
export function isFillable(el: HTMLInputElement, opts: VisibilityOptions = {}): boolean {
  return isEditable(el) && isRendered(el) && isUncovered(el, opts);
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

function isSearchLike(el: HTMLInputElement): boolean {
  return el.type === 'search' || attr(el, 'role') === 'searchbox' || SEARCH_HINT.test(attr(el, 'name')) || SEARCH_HINT.test(attr(el, 'id'));
}

export function isOtpLike(el: HTMLInputElement): boolean {
  if (!OTP_TYPES.has(el.type)) return false;
  const ac = autocompleteTokens(el);
  if (ac.includes('one-time-code')) return true;
  if (el.type === 'password') return false; // a masked field is a code field only when it says so
  const text = describedAs(el);
  if (OTP_HINT.test(text) && !NOT_OTP_HINT.test(text)) return true;
  const max = el.maxLength;
  return attr(el, 'inputmode').toLowerCase() === 'numeric' && max >= 6 && max <= 8;
}

function isBox(el: HTMLInputElement): boolean {
  return BOX_TYPES.has(el.type) && el.maxLength === 1;
}

function isUsernameCandidate(el: HTMLInputElement): boolean {
  if (!TEXTLIKE.has(el.type)) return false;
  if (isSearchLike(el)) return false;
  if (PASS_HINT.test(nameAndId(el)) && !USER_HINT.test(nameAndId(el))) return false;
  const ac = autocompleteTokens(el);
  if (ac.includes('one-time-code') || ac.includes('new-password') || ac.includes('current-password')) return false;
  return true;
}

function hasUserHint(el: HTMLInputElement): boolean {
  const ac = autocompleteTokens(el);
  if (ac.includes('username') || ac.includes('email')) return true;
  if (el.type === 'email') return true;
  return USER_HINT.test(describedAs(el));
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

/** Runs of 6-8 adjacent one-character boxes in one container: a one-box-per-digit code. */
function findBoxRuns(visible: HTMLInputElement[]): HTMLInputElement[][] {
  const runs: HTMLInputElement[][] = [];
  let run: HTMLInputElement[] = [];
  const flush = (): void => {
    if (run.length >= 6 && run.length <= 8) runs.push(run);
    run = [];
  };
  for (const el of visible) {
    if (!isBox(el)) {
      flush();
      continue;
    }
    const last = run[run.length - 1];
    if (last && !(closestForm(last) === closestForm(el) && sameContainer(last, el))) flush();
    run.push(el);
  }
  flush();
  return runs;
}

function pickPassword(passwords: HTMLInputElement[]): HTMLInputElement | undefined {
  return (
    passwords.find((p) => autocompleteTokens(p).includes('current-password')) ??
    passwords.find((p) => !autocompleteTokens(p).includes('new-password')) ??
    passwords[0]
  );
}

/** Find the fields to fill in this document (and its open shadow roots). */
export function findFields(doc: Document = document, opts: VisibilityOptions = {}): Fields {
  const inputs = allInputs(doc);
  // Cheap checks first; the hit test (which may scroll) only for plausible candidates.
  const plausible = inputs.filter(
    (el) => (el.type === 'password' || TEXTLIKE.has(el.type) || OTP_TYPES.has(el.type)) && isEditable(el) && isRendered(el),
  );
  const visible = plausible.filter((el) => isUncovered(el, opts));
  const order = new Map(inputs.map((el, i) => [el, i] as const));
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

  // Password: type=password only (a hidden honeypot was already dropped as invisible).
  const password = pickPassword(nonOtp.filter((el) => el.type === 'password'));
  if (password) fields.password = password;

  // Username.
  const users = nonOtp.filter(isUsernameCandidate);
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
    // Identifier-first: only a field that says it is the identifier.
    const pick = users.find((u) => autocompleteTokens(u).includes('username')) ?? users.find(hasUserHint);
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
    if (a && a.contains(password)) return last;
    if (a && a.shadowRoot === password.getRootNode()) return last;
  }
  return undefined;
}

/** The kinds present, in the fixed order username, password, totp. */
export function kindsOf(fields: Fields): FieldKind[] {
  return KIND_ORDER.filter((k) => (k === 'totp' ? (fields.totp?.length ?? 0) > 0 : fields[k] !== undefined));
}
