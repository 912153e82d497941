/**
 * Names shared by the service worker and the page scripts: where the bundled page
 * scripts live inside the extension package, and the one function each of them puts on
 * the isolated world's globalThis. Pure constants, safe to import anywhere.
 */
export const DETECTOR_FILE = 'page/detector.js';
export const FILLER_FILE = 'page/filler.js';

export const DETECT_GLOBAL = '__blindfillDetect';
export const FILL_GLOBAL = '__blindfillFill';

/** The order in which field kinds are filled and reported. */
export const KIND_ORDER = ['username', 'password', 'totp'] as const;
