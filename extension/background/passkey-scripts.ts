/**
 * The passkey shim and its bridge, registered as content scripts at document start in
 * every https frame (and loopback http, which browsers treat as secure): the shim in the
 * page's MAIN world (scripting.registerContentScripts `world: "MAIN"`: Chromium 111+,
 * Firefox 128+), the bridge in the isolated world. Registered at run time rather than in
 * the manifest so that the bundler leaves the two plain files alone and nothing is made
 * web-accessible.
 */
import { PASSKEY_BRIDGE_FILE, PASSKEY_SHIM_FILE } from '../page/names.js';

const MATCHES = ['https://*/*', 'http://localhost/*', 'http://127.0.0.1/*', 'http://[::1]/*'];
export const PASSKEY_SCRIPT_IDS = ['blindfill-passkey-shim', 'blindfill-passkey-bridge'] as const;

/** Inject both into every frame of a tab now (idempotent); frames we may not touch are skipped. */
export async function injectPasskeyScripts(tabId: number): Promise<void> {
  const run = (file: string, world: 'MAIN' | 'ISOLATED') =>
    chrome.scripting.executeScript({ target: { tabId, allFrames: true }, files: [file], world, injectImmediately: true } as chrome.scripting.ScriptInjection<unknown[], unknown>).catch(() => undefined);
  await run(PASSKEY_BRIDGE_FILE, 'ISOLATED');
  await run(PASSKEY_SHIM_FILE, 'MAIN');
}

export async function registerPasskeyScripts(): Promise<void> {
  const scripts: chrome.scripting.RegisteredContentScript[] = [
    { id: PASSKEY_SCRIPT_IDS[0], js: [PASSKEY_SHIM_FILE], matches: MATCHES, allFrames: true, runAt: 'document_start', world: 'MAIN', persistAcrossSessions: false },
    { id: PASSKEY_SCRIPT_IDS[1], js: [PASSKEY_BRIDGE_FILE], matches: MATCHES, allFrames: true, runAt: 'document_start', world: 'ISOLATED', persistAcrossSessions: false },
  ];
  try {
    const have = new Set((await chrome.scripting.getRegisteredContentScripts({ ids: [...PASSKEY_SCRIPT_IDS] })).map((s) => s.id));
    const fresh = scripts.filter((s) => !have.has(s.id));
    const known = scripts.filter((s) => have.has(s.id));
    if (known.length > 0) await chrome.scripting.updateContentScripts(known);
    if (fresh.length > 0) await chrome.scripting.registerContentScripts(fresh);
  } catch {
    // Without the shim, pages' WebAuthn calls simply reach the browser: arms then go unanswered.
  }
}
