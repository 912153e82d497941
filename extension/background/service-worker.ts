/**
 * blindfill service worker: keeps the native port to com.blindfill.host open and answers
 * the daemon's probe / fill / ping requests (handler.ts) through chrome.scripting.
 * Connects at the top level (every worker start) and again on browser startup and
 * install; NativeLink.start() is idempotent.
 */
import { z } from 'zod';
import { NATIVE_HOST_NAME } from '../../shared/constants.js';
import { chromeApi } from './chrome-api.js';
import { createHandler } from './handler.js';
import { NativeLink } from './native-link.js';

// MV3 forbids eval: tell zod not to probe for it (the probe shows up as a CSP error).
z.config({ jitless: true });

const handle = createHandler(chromeApi);

const link = new NativeLink({
  connect: () => chrome.runtime.connectNative(NATIVE_HOST_NAME),
  onRequest: handle,
  lastError: () => chrome.runtime.lastError?.message,
});

link.start();
chrome.runtime.onStartup.addListener(() => link.start());
chrome.runtime.onInstalled.addListener(() => link.start());

// For the extension's own pages and for tests that evaluate inside the worker (the
// worker's global scope is reachable only from the extension itself).
Object.assign(globalThis, { blindfill: { handle, link } });
