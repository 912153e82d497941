/**
 * Names shared by the service worker and the page scripts: where the bundled page
 * scripts live inside the extension package, and the one function each of them puts on
 * the isolated world's globalThis. Pure constants, safe to import anywhere.
 */
import { VERSION } from '../../shared/constants.js';

/** Detection, and the filler too (one injection per document serves probe and fill). */
export const DETECTOR_FILE = 'page/detector.js';
/** The filler alone: injected only into an approved document that lacks the function. */
export const FILLER_FILE = 'page/filler.js';

export const DETECT_GLOBAL = '__blindfillDetect';
export const FILL_GLOBAL = '__blindfillFill';
/** After a submit: what the document shows (page/outcome.ts). */
export const OUTCOME_GLOBAL = '__blindfillOutcome';

/**
 * Each page-script function carries, under this property, the version of the extension
 * that defined it. The isolated world outlives an extension update, so a function left
 * by an older version is treated as missing and the current script is injected.
 */
export const PAGE_SCRIPT_VERSION_KEY = 'blindfillVersion';
export const PAGE_SCRIPT_VERSION = VERSION;
/** What a call answers in a document where the function is missing (or another version's). */
export const PAGE_SCRIPT_MISSING = 'blindfill:page-script-missing';

/** Put a page script's function on the isolated world's globalThis, stamped with the version. */
export function definePageGlobal(name: string, fn: (arg: unknown) => unknown): void {
  Object.defineProperty(fn, PAGE_SCRIPT_VERSION_KEY, { value: PAGE_SCRIPT_VERSION });
  (globalThis as Record<string, unknown>)[name] = fn;
}

/** The order in which field kinds are filled and reported. */
export const KIND_ORDER = ['username', 'password', 'new_password', 'totp'] as const;

/** The passkey shim (page's MAIN world) and its bridge (isolated world), registered as content scripts. */
export const PASSKEY_SHIM_FILE = 'page/passkey-shim.js';
export const PASSKEY_BRIDGE_FILE = 'page/passkey-bridge.js';
/** DOM events between them: the shim's request (cancelled by the bridge when it takes it) and the answer. */
export const PASSKEY_REQUEST_EVENT = 'blindfill-passkey-request';
export const PASSKEY_RESPONSE_EVENT = 'blindfill-passkey-response';
