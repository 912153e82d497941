/** Fixed facts both sides agree on. */
export const NATIVE_HOST_NAME = 'com.blindfill.host';
/** Derived from the `key` in manifest.json (sha256 of the DER public key, a-p alphabet). */
export const EXTENSION_ID = 'cgmiligeknjljkoiajbjoapjihdgbodc';
export const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}/`;
/** Native messaging: host → browser replies are capped at 1 MB by Chrome. */
export const MAX_HOST_TO_BROWSER = 1024 * 1024;
/** Browser → host frames: Chrome allows up to 64 MiB; we accept far less. */
export const MAX_BROWSER_TO_HOST = 4 * 1024 * 1024;
export const VERSION = '0.1.0';
