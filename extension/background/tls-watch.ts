/**
 * Feeds the ConnectionLedger from the browser's events. Listeners are added at the top
 * level of the worker (or Firefox event page), so an event wakes it.
 *
 * Chromium gives extensions no TLS state of a page. It does report the certificate error
 * behind its interstitial as a webNavigation error (`net::ERR_CERT_AUTHORITY_INVALID`,
 * checked on Chromium 156: webRequest.onErrorOccurred stays silent for it), and the
 * click-through ("Proceed", or typing "thisisunsafe") then loads the page with no error
 * at all. So an origin that showed a certificate error is refused for the rest of the
 * session, which is as long as Chromium remembers the exception.
 *
 * Firefox: webRequest.getSecurityInfo, callable only inside a blocking onHeadersReceived
 * listener, tells each frame's response how its connection was made.
 */
import { ConnectionLedger, isCertError, judgeSecurityInfo, type SessionStore, type StoredLedger } from './connection-ledger.js';

const STORAGE_KEY = 'tls-ledger';

interface FirefoxWebRequest {
  getSecurityInfo(requestId: string, options: object): Promise<unknown>;
  onHeadersReceived: {
    addListener(
      cb: (d: { requestId: string; tabId: number; frameId: number; url: string }) => Promise<object>,
      filter: { urls: string[]; types: string[] },
      extra: string[],
    ): void;
  };
}

/** Firefox's promise-based `browser.webRequest`, when it has getSecurityInfo. */
function firefoxWebRequest(): FirefoxWebRequest | null {
  const wr = (globalThis as { browser?: { webRequest?: Partial<FirefoxWebRequest> } }).browser?.webRequest;
  return wr && typeof wr.getSecurityInfo === 'function' && wr.onHeadersReceived ? (wr as FirefoxWebRequest) : null;
}

const sessionStore: SessionStore = {
  async get() {
    return (await chrome.storage.session.get(STORAGE_KEY))[STORAGE_KEY];
  },
  async set(value: StoredLedger) {
    await chrome.storage.session.set({ [STORAGE_KEY]: value });
  },
};

export function watchConnections(): ConnectionLedger {
  const firefox = firefoxWebRequest();
  const ledger = new ConnectionLedger(sessionStore, firefox !== null);

  chrome.webNavigation.onErrorOccurred.addListener((d) => {
    if (isCertError(d.error)) void ledger.certError(d.url);
  });
  chrome.tabs.onRemoved.addListener((tabId) => void ledger.tabClosed(tabId));

  if (firefox) {
    firefox.onHeadersReceived.addListener(
      async (d) => {
        if (d.tabId < 0) return {};
        let verdict: { secure: boolean; why: string };
        try {
          verdict = judgeSecurityInfo(await firefox.getSecurityInfo(d.requestId, {}));
        } catch {
          verdict = { secure: false, why: 'security information unavailable' };
        }
        // Recorded before the response goes on, so the document never exists unjudged.
        await ledger.frameResponse(d.tabId, d.frameId, d.url, verdict);
        return {};
      },
      { urls: ['<all_urls>'], types: ['main_frame', 'sub_frame'] },
      ['blocking'],
    );
  }
  return ledger;
}
