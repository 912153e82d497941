/**
 * blindfill service worker: keeps the native port to com.blindfill.host open and answers
 * the daemon's probe / fill / ping requests (handler.ts) through chrome.scripting.
 * Connects at the top level (every worker start) and again on browser startup and
 * install; NativeLink.start() is idempotent. Also relays the settings page's and popup's
 * daemon ops (settings-relay.ts).
 */
import * as z from 'zod';
import { NATIVE_HOST_NAME } from '../../shared/constants.js';
import { chromeApi } from './chrome-api.js';
import { createHandler } from './handler.js';
import { injectPasskeyScripts, registerPasskeyScripts } from './passkey-scripts.js';
import { createPasskeyRelay, isPasskeyMessage, TabArms } from './passkey-relay.js';
import { NativeLink } from './native-link.js';
import { createSettingsRelay } from './settings-relay.js';
import { watchConnections } from './tls-watch.js';

// MV3 forbids eval: tell zod not to probe for it (the probe shows up as a CSP error).
z.config({ jitless: true });

// First, so the listeners exist before any event this start of the worker was woken for.
const ledger = watchConnections();
const connectionProblem = (tabId: number, frames: ReadonlyArray<{ frameId: number; origin: string }>, ancestors?: readonly string[]) => ledger.problem(tabId, frames, ancestors);
const passkeyArms = new TabArms();
const passkeyScripts = registerPasskeyScripts();
const ensurePasskeyScripts = async (tabId: number) => {
  await passkeyScripts;
  await injectPasskeyScripts(tabId);
};
const handle = createHandler({ ...chromeApi, connectionProblem, ensurePasskeyScripts }, { passkeyArms });
chrome.tabs.onRemoved.addListener((tabId) => passkeyArms.forgetTab(tabId));

const link = new NativeLink({
  connect: () => chrome.runtime.connectNative(NATIVE_HOST_NAME),
  onRequest: handle,
  lastError: () => chrome.runtime.lastError?.message,
});

link.start();
chrome.runtime.onStartup.addListener(() => link.start());
chrome.runtime.onInstalled.addListener(() => link.start());

// The settings page and popup (extension pages only: onMessage, never onMessageExternal;
// the relay ignores every sender that is not one of our own pages).
const relay = createSettingsRelay({
  extensionId: chrome.runtime.id,
  baseUrl: chrome.runtime.getURL(''),
  call: (op, params) => link.call(op, params),
  link: () => {
    const st = link.state();
    return { connected: st.connected, daemon: st.hello?.daemon ?? null, version: st.hello?.version ?? null, lastError: st.lastError };
  },
  reconnect: () => link.start(),
});
// The passkey shim's bridge in web pages (content scripts of our own extension only).
const passkeyRelay = createPasskeyRelay({
  extensionId: chrome.runtime.id,
  arms: passkeyArms,
  getTab: chromeApi.getTab,
  connectionProblem,
  call: (op, params) => link.call(op, params),
});

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (isPasskeyMessage(message)) {
    void passkeyRelay(message, sender).then(sendResponse, () => sendResponse({ ok: false, code: 'INTERNAL', message: 'the worker failed to answer' }));
    return true;
  }
  const answer = relay(message, sender);
  if (answer === null) return false;
  void answer.then(sendResponse, () => sendResponse({ ok: false, code: 'INTERNAL', message: 'the worker failed to answer' }));
  return true;
});

// For the extension's own pages and for tests that evaluate inside the worker (the
// worker's global scope is reachable only from the extension itself).
Object.assign(globalThis, { blindfill: { handle, link } });
