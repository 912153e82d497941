/**
 * The few browser calls the request handler needs, behind an interface so the decision
 * logic can be tested with fakes. chrome-api.ts is the real implementation.
 */

export interface TabInfo {
  id: number;
  /** The URL the browser reports for the tab (undefined without permission). */
  url: string | undefined;
}

/**
 * Where to inject: every frame of a tab, or exactly these documents of it, or whatever
 * document these frames hold now (only for reads that carry no value: the outcome; these
 * run as soon as possible, not when the document is idle).
 */
export type InjectTarget = { tabId: number; allFrames: true } | { tabId: number; documentIds: string[] } | { tabId: number; frameIds: number[] };

/**
 * What happens in a watched tab (for the login outcome). Requests carry only whether
 * their URL may receive the credential (never the URL): `ours`.
 */
export type TabEvent =
  | { type: 'committed'; frameId: number }
  | { type: 'request'; id: string; frameId: number; method: string; ours: boolean }
  | { type: 'response'; id: string; status: number }
  | { type: 'failed'; id: string };

/** One frame's answer to an injection (chrome.scripting.InjectionResult). */
export interface FrameResult {
  frameId: number;
  documentId: string;
  result: unknown;
}

export interface BrowserApi {
  /** The tab the agent is looking at: the active tab of the last focused window. */
  activeTab(): Promise<TabInfo | null>;
  /** A tab by id, or null when it no longer exists. */
  getTab(tabId: number): Promise<TabInfo | null>;
  /** Inject a packaged script file into the target's isolated world. Rejects when a target document is gone. */
  injectFile(target: InjectTarget, file: string): Promise<FrameResult[]>;
  /**
   * Call `globalThis[name](arg)` in the target's isolated world (the function a page
   * script defined); frames where it is not defined, or was defined by another version
   * of the extension, answer PAGE_SCRIPT_MISSING (page/names.ts). Promises are awaited.
   * Rejects when a target document is gone.
   */
  callGlobal(target: InjectTarget, name: string, arg: unknown): Promise<FrameResult[]>;
  /**
   * Report the tab's navigations and requests until the returned function is called.
   * `ours(url)` tells which request URLs belong to the site being filled.
   */
  watchTab(tabId: number, ours: (url: string) => boolean, on: (e: TabEvent) => void): () => void;
  /**
   * Make sure the passkey shim and bridge run in every frame of the tab (registered content
   * scripts reach only documents loaded after registration). Both are idempotent.
   */
  ensurePasskeyScripts?(tabId: number): Promise<void>;
  /**
   * Why the TLS state of one of these frames of the tab (or of one of the further
   * `ancestors` origins) is not valid and override-free, or null when all are fine
   * (connection-ledger.ts). Only https: origins are judged.
   */
  connectionProblem(tabId: number, frames: ReadonlyArray<{ frameId: number; origin: string }>, ancestors?: readonly string[]): Promise<string | null>;
}
