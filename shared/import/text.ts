/**
 * An export file's bytes as text, the same way for the CLI (`blindfill import`) and the
 * settings page: UTF-16 with a byte-order mark (LE or BE), else UTF-8 (TextDecoder drops a
 * UTF-8 BOM). Strict: bytes that are not valid text give null, never replacement
 * characters in a password.
 */

/** The CLI reads export files up to this size. */
export const MAX_EXPORT_FILE = 256 * 1024 * 1024;

export function decodeExport(bytes: Uint8Array): string | null {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
