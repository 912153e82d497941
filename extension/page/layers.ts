/**
 * What is painted over a field, hit-testable or not. elementFromPoint skips layers with
 * `pointer-events:none`, so an opaque cover made so passes a plain hit test while a
 * person sees only the cover. While the check runs, one style sheet makes every element
 * (and ::before/::after) hit-testable, so elementsFromPoint lists every layer at the
 * field's centre in paint order; the layers above the field count as covering it when
 * they paint something a person cannot see through: a background (colour alpha × opacity
 * at least MIN_COVER_ALPHA, or an image), replaced content (img, video, canvas, frames,
 * svg), or a backdrop filter. Transparent layers (floating labels, outline borders drawn
 * over Material fields) do not cover. The sheet is removed before anything else runs.
 */
import { flatParent } from './fields.js';

/** A layer that blocks this much of the field or more hides it from a person. */
export const MIN_COVER_ALPHA = 0.3;
const MAX_ELEMENTS = 50_000;
const MAX_ROOTS = 200;
const MAX_LAYERS = 64;
const FORCE_CSS = '*, *::before, *::after { pointer-events: auto !important; }';
const REPLACED = new Set(['img', 'video', 'canvas', 'iframe', 'frame', 'embed', 'object', 'svg', 'picture']);

/** Undo for what `forceHitTesting` changed. */
type Undo = () => void;

/** The open shadow roots of the document (bounded). */
function openShadowRoots(doc: Document): ShadowRoot[] {
  const roots: ShadowRoot[] = [];
  let budget = MAX_ELEMENTS;
  const visit = (root: Document | ShadowRoot): void => {
    const walker = doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
    for (let n = walker.nextNode() as Element | null; n; n = walker.nextNode() as Element | null) {
      if (--budget < 0 || roots.length >= MAX_ROOTS) return;
      if (n.shadowRoot) {
        roots.push(n.shadowRoot);
        visit(n.shadowRoot);
      }
    }
  };
  visit(doc);
  return roots;
}

/** Add the sheet to a document or shadow root: a constructed sheet where allowed, else a <style>. */
function addSheet(root: Document | ShadowRoot, doc: Document): Undo {
  try {
    const win = doc.defaultView as (Window & typeof globalThis) | null;
    const sheet = new (win?.CSSStyleSheet ?? CSSStyleSheet)();
    sheet.replaceSync(FORCE_CSS);
    const before = root.adoptedStyleSheets;
    root.adoptedStyleSheets = [...before, sheet];
    if (!root.adoptedStyleSheets.includes(sheet)) throw new Error('not adopted');
    return () => {
      root.adoptedStyleSheets = root.adoptedStyleSheets.filter((s) => s !== sheet);
    };
  } catch {
    const style = doc.createElement('style');
    style.textContent = FORCE_CSS;
    (root.nodeType === Node.DOCUMENT_NODE ? (root as Document).documentElement : root).appendChild(style);
    return () => style.remove();
  }
}

/**
 * Make every element hit-testable: the sheet in the document and every open shadow root,
 * and an inline override on elements whose own style attribute names pointer-events (an
 * inline !important beats any sheet).
 */
function forceHitTesting(doc: Document): Undo {
  const undo: Undo[] = [];
  try {
    const roots: Array<Document | ShadowRoot> = [doc, ...openShadowRoots(doc)];
    for (const root of roots) undo.push(addSheet(root, doc));
    for (const root of roots) {
      const inline = root.querySelectorAll('[style*="pointer-events" i]');
      for (let i = 0; i < inline.length && i < 500; i++) {
        const el = inline[i] as HTMLElement;
        const before = el.getAttribute('style');
        el.style.setProperty('pointer-events', 'auto', 'important');
        undo.push(() => {
          if (before === null) el.removeAttribute('style');
          else el.setAttribute('style', before);
        });
      }
    }
  } catch {
    // Whatever went in comes out below; the check then sees fewer layers, never more.
  }
  return () => {
    for (const u of undo.reverse()) {
      try {
        u();
      } catch {
        // The page removed it already.
      }
    }
  };
}

/** Alpha of a computed colour ("rgba(0, 0, 0, 0)", "rgb(1 2 3 / 0.5)", "transparent", …). */
export function colorAlpha(c: string): number {
  const s = c.trim().toLowerCase();
  if (s === '' || s === 'transparent') return 0;
  const slash = /\/\s*([\d.]+)(%)?\s*\)$/.exec(s);
  if (slash) return slash[2] ? Number(slash[1]) / 100 : Number(slash[1]);
  const rgba = /^rgba\(\s*[^,]+,[^,]+,[^,]+,\s*([\d.]+)(%)?\s*\)$/.exec(s);
  if (rgba) return rgba[2] ? Number(rgba[1]) / 100 : Number(rgba[1]);
  return 1;
}

/** Product of opacity along the flat-tree ancestor chain (no early exit). */
function opacityOf(el: Element): number {
  const win = el.ownerDocument.defaultView;
  if (!win) return 1;
  let o = 1;
  for (let n: Element | null = el, guard = 0; n && guard < 10_000; n = flatParent(n), guard++) {
    const v = parseFloat(win.getComputedStyle(n).opacity);
    if (Number.isFinite(v)) o *= v;
  }
  return o;
}

/**
 * How much of what lies below this element's box (and its ::before/::after) hides; only
 * its pseudo-elements for an ancestor of the field (its own box paints below the field).
 */
function paintAlpha(el: Element, pseudoOnly: boolean): number {
  const win = el.ownerDocument.defaultView;
  if (!win) return 0;
  const cs = win.getComputedStyle(el);
  let paint = 0;
  if (!pseudoOnly && cs.visibility === 'visible') {
    paint = Math.max(colorAlpha(cs.backgroundColor), cs.backgroundImage !== 'none' ? 1 : 0, REPLACED.has(el.localName) ? 1 : 0);
    if (cs.backdropFilter && cs.backdropFilter !== 'none') paint = 1;
  }
  for (const pseudo of ['::before', '::after']) {
    const ps = win.getComputedStyle(el, pseudo);
    if (ps.content === 'none' || ps.content === 'normal' || ps.display === 'none' || ps.visibility !== 'visible') continue;
    paint = Math.max(paint, colorAlpha(ps.backgroundColor), ps.backgroundImage !== 'none' ? 1 : 0);
    if (ps.backdropFilter && ps.backdropFilter !== 'none') paint = 1;
  }
  return paint === 0 ? 0 : paint * opacityOf(el);
}

/** Is `a` a flat-tree ancestor of `el` (across shadow roots)? */
function isShadowAncestor(a: Element, el: Element): boolean {
  for (let n = flatParent(el), guard = 0; n && guard < 10_000; n = flatParent(n), guard++) if (n === a) return true;
  return false;
}

/** The layers above `el` at (x, y), as listed with every element hit-testable. Null: el is not there. */
function layersAbove(el: HTMLInputElement, x: number, y: number): Element[] | null {
  const root = el.getRootNode() as Document | ShadowRoot;
  const list = root.elementsFromPoint(x, y);
  const at = list.indexOf(el);
  if (at < 0) return null;
  const above = list.slice(0, Math.min(at, MAX_LAYERS));
  // A shadow host above the field stands for what its open shadow tree paints there.
  for (const host of [...above]) {
    const sr = host.shadowRoot;
    if (!sr || isShadowAncestor(host, el)) continue;
    for (const inner of sr.elementsFromPoint(x, y).slice(0, MAX_LAYERS)) if (inner.getRootNode() === sr) above.push(inner);
  }
  return above;
}

/** The field's centre in viewport coordinates, scrolled into view when it is not; null if it cannot be. */
function centreInView(el: HTMLInputElement): { x: number; y: number } | null {
  const win = el.ownerDocument.defaultView!;
  const at = (): { x: number; y: number } => {
    const r = el.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  };
  const inView = (p: { x: number; y: number }): boolean => p.x >= 0 && p.y >= 0 && p.x < win.innerWidth && p.y < win.innerHeight;
  let p = at();
  if (inView(p)) return p;
  el.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' as ScrollBehavior });
  p = at();
  return inView(p) ? p : null;
}

/**
 * The fields (of one document) with something a person cannot see through painted over
 * their centre. Every layer counts, `pointer-events:none` ones too. One pass for all the
 * fields: making every element hit-testable costs a style recalculation of the document.
 */
export function coveredByLayers(fields: readonly HTMLInputElement[]): Set<HTMLInputElement> {
  const covered = new Set<HTMLInputElement>();
  if (fields.length === 0) return covered;
  const layers = new Map<HTMLInputElement, Element[] | null>();
  const undo = forceHitTesting(fields[0]!.ownerDocument);
  try {
    for (const el of fields) {
      const p = centreInView(el);
      layers.set(el, p ? layersAbove(el, p.x, p.y) : null);
    }
  } finally {
    undo();
  }
  for (const el of fields) {
    const above = layers.get(el);
    // An ancestor listed above the field was hit through a ::before/::after painted over it.
    if (!above || above.some((layer) => paintAlpha(layer, layer.contains(el) || isShadowAncestor(layer, el)) >= MIN_COVER_ALPHA)) covered.add(el);
  }
  return covered;
}
