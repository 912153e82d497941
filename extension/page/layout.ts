/**
 * What a person sees of an element, computed the way the browser paints it:
 *   - clipping follows the containing-block chain, not the DOM: an absolutely positioned
 *     box escapes the overflow clip of ancestors between it and its positioned ancestor,
 *     a fixed one escapes every ancestor that does not contain fixed boxes (transform,
 *     filter, contain, …), and an element in the top layer (a modal <dialog>, an open
 *     popover, a fullscreen element) escapes every ancestor: clip, clip-path and opacity;
 *   - a component's own rendering: a text field widget (Material Web) keeps the part
 *     around its inner input at opacity 0 until focused or filled, and shows its label
 *     in the input's place. Such an input is what the person sees as the field; a
 *     transparent input the page placed itself (light DOM), or one no visible widget
 *     presents, is still refused.
 * Pure DOM code; reads only.
 */
import { flatParent } from './fields.js';
import { shadowRootOf } from './shadow.js';

const MIN_SIZE_PX = 4;
const MIN_OPACITY = 0.7;

/** In the top layer: painted above everything and outside every ancestor's effects. */
export function inTopLayer(el: Element): boolean {
  for (const sel of [':modal', ':popover-open', ':fullscreen']) {
    try {
      if (el.matches(sel)) return true;
    } catch {
      // a browser without that selector has no such top-layer element
    }
  }
  return false;
}

function not(v: string | undefined | null, none = 'none'): boolean {
  return v !== undefined && v !== null && v !== '' && v !== none;
}

/** The box is the containing block of position:fixed descendants (and of absolute ones). */
function containsFixed(cs: CSSStyleDeclaration): boolean {
  const s = cs as CSSStyleDeclaration & Record<string, string>;
  return (
    not(cs.transform) ||
    not(cs.perspective) ||
    not(cs.filter) ||
    not(s.backdropFilter) ||
    not(s.translate) ||
    not(s.rotate) ||
    not(s.scale) ||
    /\b(paint|layout|strict|content)\b/.test(cs.contain ?? '') ||
    /\b(transform|perspective|filter)\b/.test(cs.willChange ?? '') ||
    /\b(size|inline-size)\b/.test(s.containerType ?? '')
  );
}

function containsAbsolute(cs: CSSStyleDeclaration): boolean {
  return cs.position !== 'static' || containsFixed(cs);
}

/**
 * True when the clipping ancestors leave less than 4×4 px of the element showing. Only
 * the boxes that clip this one count: its containing block, that block's containing
 * block, and so on, stopping at a top-layer element. clip-path clips a whole subtree,
 * out-of-flow boxes included, so it counts on every ancestor below the top layer.
 */
export function clippedAway(el: Element, r: DOMRect): boolean {
  const win = el.ownerDocument.defaultView!;
  let left = r.left;
  let top = r.top;
  let right = r.right;
  let bottom = r.bottom;
  if (inTopLayer(el)) return false;
  // The positioning of the box whose containing block is looked for next.
  let position = win.getComputedStyle(el).position;
  for (let n = flatParent(el); n && n !== el.ownerDocument.documentElement; n = flatParent(n)) {
    const cs = win.getComputedStyle(n);
    const cp = cs.clipPath;
    if (cp !== 'none' && cp !== '') {
      const pr = n.getBoundingClientRect();
      if (pr.width < MIN_SIZE_PX || pr.height < MIN_SIZE_PX) return true;
    }
    const isBlock = position === 'fixed' ? containsFixed(cs) : position === 'absolute' ? containsAbsolute(cs) : true;
    if (isBlock) {
      const clipX = cs.overflowX !== 'visible';
      const clipY = cs.overflowY !== 'visible';
      if (clipX || clipY) {
        const pr = n.getBoundingClientRect();
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
      position = cs.position;
    }
    if (inTopLayer(n)) return false;
  }
  return false;
}

/**
 * Product of the computed opacity along the flat-tree ancestor chain, continued through
 * the frame elements of same-origin parent documents (cross-origin parents cannot be
 * inspected from inside the frame). A top-layer element is painted without its
 * ancestors' opacity: the chain stops there (its frame's chain still counts).
 */
export function effectiveOpacity(el: Element, stopAt?: Element): number {
  let opacity = 1;
  let node: Element | null = el;
  for (let guard = 0; node && guard < 10_000; guard++) {
    if (node === stopAt) break;
    const win: Window | null = node.ownerDocument.defaultView;
    if (!win) break;
    const o = parseFloat(win.getComputedStyle(node).opacity);
    if (Number.isFinite(o)) opacity *= o;
    if (opacity < MIN_OPACITY) return opacity;
    const parent: Element | null = inTopLayer(node) ? null : flatParent(node);
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

/**
 * A transparent input that its widget presents: every element that takes the opacity
 * down lies inside a shadow tree (the component's own rendering, not the page's CSS), the
 * input itself is opaque, the outermost such component's host is opaque, holds the
 * input, is not much larger than it (a widget, not an app shell), and shows visible text
 * of its own (its label) overlapping the input's row. That is what a person sees there:
 * a labelled field, which shows its text once focused.
 */
export function presentedByWidget(el: Element, r: DOMRect): boolean {
  const win = el.ownerDocument.defaultView;
  if (!win || el.localName !== 'input') return false;
  if (parseFloat(win.getComputedStyle(el).opacity) < MIN_OPACITY) return false;
  // The outermost host whose shadow tree holds a transparent ancestor of the input.
  let host: Element | null = null;
  for (let n = flatParent(el), guard = 0; n && guard < 10_000; n = flatParent(n), guard++) {
    if (inTopLayer(n)) break;
    const o = parseFloat(win.getComputedStyle(n).opacity);
    if (!(o < 1)) continue;
    const root = n.getRootNode();
    if (!(root instanceof win.ShadowRoot)) {
      // The page's CSS in the light DOM makes it transparent: what a decoy does.
      if (o < MIN_OPACITY) return false;
      continue;
    }
    host = root.host;
  }
  if (!host) return false;
  if (effectiveOpacity(host) < MIN_OPACITY) return false;
  const hr = host.getBoundingClientRect();
  const cx = r.left + r.width / 2;
  const cy = r.top + r.height / 2;
  if (cx < hr.left || cx > hr.right || cy < hr.top || cy > hr.bottom) return false;
  if (hr.width * hr.height > 8 * Math.max(r.width * r.height, 24 * 24)) return false;
  return showsLabelOver(host, r);
}

/** The host's shadow trees show some text, at full opacity, on the input's row. */
function showsLabelOver(host: Element, r: DOMRect): boolean {
  const budget = { n: 400 };
  const visit = (root: ShadowRoot, depth: number): boolean => {
    if (depth > 8) return false;
    const doc = host.ownerDocument;
    const walker = doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
    for (let n = walker.nextNode() as Element | null; n; n = walker.nextNode() as Element | null) {
      if (--budget.n < 0) return false;
      const inner = shadowRootOf(n);
      if (inner && visit(inner, depth + 1)) return true;
      if (!ownText(n)) continue;
      const lr = n.getBoundingClientRect();
      if (lr.width < MIN_SIZE_PX || lr.height < MIN_SIZE_PX) continue;
      const overlaps = lr.bottom > r.top && lr.top < r.bottom && lr.right > r.left && lr.left < r.right;
      if (!overlaps) continue;
      if (typeof n.checkVisibility === 'function' && !n.checkVisibility({ checkVisibilityCSS: true } as CheckVisibilityOptions)) continue;
      if (effectiveOpacity(n) >= MIN_OPACITY) return true;
    }
    return false;
  };
  const root = shadowRootOf(host);
  return root ? visit(root, 0) : false;
}

function ownText(n: Element): boolean {
  for (let c = n.firstChild; c; c = c.nextSibling) if (c.nodeType === Node.TEXT_NODE && (c.textContent ?? '').trim() !== '') return true;
  // Slotted text (a label passed in by the page) counts as the widget's own.
  if (n.localName === 'slot') return (n as HTMLSlotElement).assignedNodes({ flatten: true }).some((x) => (x.textContent ?? '').trim() !== '');
  return false;
}
