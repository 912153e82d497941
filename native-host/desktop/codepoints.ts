/**
 * UTF-8 bytes → Unicode code points without making a JavaScript string, so a secret held in
 * a Buffer can be typed without an immutable copy of it on the heap. The caller zeroes
 * the returned array when done. Pure.
 */

/** The code points of `buf`, or null if it is not valid UTF-8. */
export function codePointsOf(buf: Uint8Array): Uint32Array | null {
  const out = new Uint32Array(buf.length);
  let n = 0;
  let i = 0;
  while (i < buf.length) {
    const b0 = buf[i]!;
    let cp: number;
    let len: number;
    if (b0 < 0x80) {
      cp = b0;
      len = 1;
    } else if (b0 >= 0xc2 && b0 <= 0xdf) {
      cp = b0 & 0x1f;
      len = 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      cp = b0 & 0x0f;
      len = 3;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      cp = b0 & 0x07;
      len = 4;
    } else {
      out.fill(0);
      return null;
    }
    if (i + len > buf.length) {
      out.fill(0);
      return null;
    }
    for (let k = 1; k < len; k++) {
      const b = buf[i + k]!;
      if ((b & 0xc0) !== 0x80) {
        out.fill(0);
        return null;
      }
      cp = (cp << 6) | (b & 0x3f);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((len === 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (len === 4 && (cp < 0x10000 || cp > 0x10ffff))) {
      out.fill(0);
      return null;
    }
    out[n++] = cp;
    i += len;
  }
  const result = out.slice(0, n);
  out.fill(0);
  return result;
}

/** Code points of a non-secret string (sequence literals, one-time codes). */
export function codePointsOfString(s: string): Uint32Array {
  const out = new Uint32Array(s.length);
  let n = 0;
  for (const ch of s) out[n++] = ch.codePointAt(0)!;
  return out.slice(0, n);
}
