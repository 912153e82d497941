/**
 * BrowserApi on top of chrome.tabs and chrome.scripting (MV3: Chromium, and Firefox
 * through its promise-returning chrome.* namespace). Every script runs in the default
 * ISOLATED world: values passed as `args` never enter the page's own JavaScript world.
 *
 * Firefox's scripting API has no documentIds (results carry none, targets take only
 * frameIds): frame-ids.ts stands in for them, re-checking each frame's URL through
 * webNavigation right before injecting.
 */
import { PAGE_SCRIPT_MISSING, PAGE_SCRIPT_VERSION, PAGE_SCRIPT_VERSION_KEY } from '../page/names.js';
import type { BrowserApi, FrameResult, InjectTarget, TabEvent, TabInfo } from './api.js';
import { type RawResult, StandInDocuments } from './frame-ids.js';

const standIns = new StandInDocuments({
  async allFrames(tabId) {
    try {
      return (await chrome.webNavigation.getAllFrames({ tabId })) ?? null;
    } catch {
      return null;
    }
  },
  async frame(tabId, frameId) {
    try {
      return (await chrome.webNavigation.getFrame({ tabId, frameId })) ?? null;
    } catch {
      return null;
    }
  },
});

/** The injection minus its target (files, or func + args). */
type CallArgs = [name: string, arg: unknown, versionKey: string, version: string, missing: string];
type Injection = { files: string[]; world: 'ISOLATED' } | { func: (...a: CallArgs) => unknown; args: CallArgs; world: 'ISOLATED' };

/** executeScript on the target; stand-in document ids become frameIds after their re-check. */
async function execute(t: InjectTarget, injection: Injection): Promise<FrameResult[]> {
  const run = async (target: chrome.scripting.InjectionTarget, immediately = false): Promise<RawResult[]> =>
    ((await chrome.scripting.executeScript({ ...injection, target, ...(immediately ? { injectImmediately: true } : {}) } as chrome.scripting.ScriptInjection<unknown[], unknown>)) ??
      []) as RawResult[];
  // Outcome reads: not held until the document is idle (the page script waits for the load
  // itself), so a new document's answer leaves as soon as it has loaded.
  if ('frameIds' in t) return standIns.label(t.tabId, await run({ tabId: t.tabId, frameIds: t.frameIds }, true));
  if (!('documentIds' in t)) return standIns.label(t.tabId, await run({ tabId: t.tabId, allFrames: true }));
  const standIn = t.documentIds.filter((d) => StandInDocuments.isStandIn(d));
  if (standIn.length === 0) return standIns.label(t.tabId, await run({ tabId: t.tabId, documentIds: t.documentIds }));
  if (standIn.length !== t.documentIds.length) throw new Error('mixed document ids');
  const byFrame = await standIns.resolve(t.tabId, t.documentIds);
  return StandInDocuments.rename(await run({ tabId: t.tabId, frameIds: [...byFrame.keys()] }), byFrame);
}

function toTab(t: chrome.tabs.Tab | undefined): TabInfo | null {
  return t && typeof t.id === 'number' && t.id !== chrome.tabs.TAB_ID_NONE ? { id: t.id, url: t.url } : null;
}

/**
 * Runs in the page's isolated world (serialized by chrome.scripting: keep self-contained).
 * `missing` when the function is not there, or was left by another extension version.
 */
function callPageGlobal(name: string, arg: unknown, versionKey: string, version: string, missing: string): unknown {
  const f = (globalThis as unknown as Record<string, unknown>)[name];
  if (typeof f !== 'function' || (f as unknown as Record<string, unknown>)[versionKey] !== version) return missing;
  return (f as (a: unknown) => unknown)(arg);
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

/**
 * webNavigation commits and (where the extension has the webRequest permission) the
 * tab's non-GET requests and their status codes. Non-blocking listeners: nothing is
 * slowed down or changed, and no URL leaves this function.
 */
function watchTab(tabId: number, ours: (url: string) => boolean, on: (e: TabEvent) => void): () => void {
  const committed = (d: { tabId: number; frameId: number }): void => {
    if (d.tabId === tabId) on({ type: 'committed', frameId: d.frameId });
  };
  chrome.webNavigation.onCommitted.addListener(committed);
  const wr = (chrome as unknown as { webRequest?: typeof chrome.webRequest }).webRequest;
  const filter = { urls: ['<all_urls>'], tabId, types: ['main_frame', 'sub_frame', 'xmlhttprequest'] as chrome.webRequest.ResourceType[] };
  const before = (d: { requestId: string; frameId: number; method: string; url: string }): undefined => {
    if (d.method !== 'GET' && d.method !== 'HEAD') on({ type: 'request', id: d.requestId, frameId: d.frameId, method: d.method, ours: ours(d.url) });
    return undefined;
  };
  const completed = (d: { requestId: string; statusCode: number }): void => on({ type: 'response', id: d.requestId, status: d.statusCode });
  const failed = (d: { requestId: string }): void => on({ type: 'failed', id: d.requestId });
  try {
    wr?.onBeforeRequest.addListener(before, filter);
    wr?.onCompleted.addListener(completed, filter);
    wr?.onErrorOccurred.addListener(failed, filter);
  } catch {
    // No webRequest here: navigations and the page's own markers still decide.
  }
  return () => {
    chrome.webNavigation.onCommitted.removeListener(committed);
    try {
      wr?.onBeforeRequest.removeListener(before);
      wr?.onCompleted.removeListener(completed);
      wr?.onErrorOccurred.removeListener(failed);
    } catch {
      /* already gone */
    }
  };
}

/** Everything but connectionProblem (the service worker adds the ConnectionLedger's). */
export const chromeApi: Omit<BrowserApi, 'connectionProblem'> = {
  activeTab: pickActiveTab,
  async getTab(tabId) {
    try {
      return toTab(await chrome.tabs.get(tabId));
    } catch {
      return null;
    }
  },
  injectFile: (target, file) => execute(target, { files: [file], world: 'ISOLATED' }),
  watchTab,
  callGlobal: (target, name, arg) =>
    execute(target, { func: callPageGlobal, args: [name, arg, PAGE_SCRIPT_VERSION_KEY, PAGE_SCRIPT_VERSION, PAGE_SCRIPT_MISSING], world: 'ISOLATED' }),
};
