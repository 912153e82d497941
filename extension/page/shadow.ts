/**
 * Shadow roots, open and closed (CONTRACT §4 "Fields"). A page script runs in the
 * extension's isolated world, which can reach closed roots where the page's own scripts
 * cannot: Chromium gives content scripts chrome.dom.openOrClosedShadowRoot(el), Firefox
 * gives them el.openOrClosedShadowRoot. Without either (a page script loaded into the
 * main world, as some unit tests do) only open roots are seen. Pure DOM code; reads only.
 */

type DomApi = { openOrClosedShadowRoot?: (el: HTMLElement) => ShadowRoot | null };

function extensionDom(): DomApi | undefined {
  const g = globalThis as unknown as { chrome?: { dom?: DomApi }; browser?: { dom?: DomApi } };
  try {
    return g.chrome?.dom ?? g.browser?.dom;
  } catch {
    return undefined;
  }
}

/**
 * Elements that may carry a shadow root (attachShadow's list, plus autonomous custom
 * elements, whose names hold a hyphen). Asking only about these keeps a walk over a
 * large page cheap: the extension API call is not free.
 */
const SHADOW_HOSTS = new Set(['article', 'aside', 'blockquote', 'body', 'div', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'main', 'nav', 'p', 'section', 'span']);

export function mayHostShadow(el: Element): boolean {
  return el.localName.includes('-') || SHADOW_HOSTS.has(el.localName);
}

/** The element's shadow root, open or closed (closed ones where this world may reach them). */
export function shadowRootOf(el: Element): ShadowRoot | null {
  const open = el.shadowRoot;
  if (open) return open;
  if (!mayHostShadow(el)) return null;
  // Firefox content scripts: a property of the element's Xray view.
  const ff = (el as unknown as { openOrClosedShadowRoot?: ShadowRoot | null }).openOrClosedShadowRoot;
  if (ff !== undefined) return ff ?? null;
  const dom = extensionDom();
  if (dom?.openOrClosedShadowRoot) {
    try {
      return dom.openOrClosedShadowRoot(el as HTMLElement) ?? null;
    } catch {
      return null;
    }
  }
  return null;
}
