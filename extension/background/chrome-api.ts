/**
 * BrowserApi on top of chrome.tabs and chrome.scripting (Chromium, MV3). Every script
 * runs in the default ISOLATED world: values passed as `args` never enter the page's
 * own JavaScript world.
 */
import type { BrowserApi, FrameResult, InjectTarget, TabInfo } from './api.js';

function toTarget(t: InjectTarget): chrome.scripting.InjectionTarget {
  return 'documentIds' in t ? { tabId: t.tabId, documentIds: t.documentIds } : { tabId: t.tabId, allFrames: true };
}

function toFrames(results: chrome.scripting.InjectionResult<unknown>[] | undefined): FrameResult[] {
  return (results ?? []).map((r) => ({ frameId: r.frameId, documentId: r.documentId, result: r.result ?? null }));
}

function toTab(t: chrome.tabs.Tab | undefined): TabInfo | null {
  return t && typeof t.id === 'number' && t.id !== chrome.tabs.TAB_ID_NONE ? { id: t.id, url: t.url } : null;
}

/** Runs in the page's isolated world (serialized by chrome.scripting: keep self-contained). */
function callPageGlobal(name: string, arg: unknown): unknown {
  const f = (globalThis as unknown as Record<string, unknown>)[name];
  return typeof f === 'function' ? (f as (a: unknown) => unknown)(arg) : null;
}

/**
 * The tab the agent acts on. `active` + `lastFocusedWindow` is what a person would call
 * the current tab (popup windows included: OAuth logins open in them). Headless or
 * automated browsers may report no focused window: then the active tab used most
 * recently (tab.lastAccessed) wins.
 *
 * Measured with Playwright on headless Chromium 156 (persistent context): all pages are
 * tabs of one window; the active one is the page created or bringToFront()-ed last.
 * page.click()/fill() on a background page does not activate it.
 */
export async function pickActiveTab(): Promise<TabInfo | null> {
  const focused = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
  if (focused.length === 1) return toTab(focused[0]);
  const all = await chrome.tabs.query({ active: true });
  const best = all.reduce<chrome.tabs.Tab | undefined>((a, t) => (!a || (t.lastAccessed ?? 0) > (a.lastAccessed ?? 0) ? t : a), undefined);
  return toTab(best);
}

export const chromeApi: BrowserApi = {
  activeTab: pickActiveTab,
  async getTab(tabId) {
    try {
      return toTab(await chrome.tabs.get(tabId));
    } catch {
      return null;
    }
  },
  async injectFile(target, file) {
    return toFrames(await chrome.scripting.executeScript({ target: toTarget(target), files: [file], world: 'ISOLATED' }));
  },
  async callGlobal(target, name, arg) {
    return toFrames(
      await chrome.scripting.executeScript({ target: toTarget(target), func: callPageGlobal, args: [name, arg], world: 'ISOLATED' }),
    );
  },
};
