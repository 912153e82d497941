/**
 * One-time codes (RFC 4226/6238) computed from a base32 seed held in a Buffer, without
 * making a JavaScript string of the seed or the key: the scrubber recomputes the codes of
 * the current period ±1 at scrub time and zeroes them when they expire.
 */
import { createHmac } from 'node:crypto';

/** Decode base32 (A–Z, 2–7, case-insensitive, padding/space/hyphen ignored); null if invalid. */
export function base32Decode(seed: Uint8Array): Buffer | null {
  const out = Buffer.alloc(Math.floor((seed.length * 5) / 8));
  let bits = 0;
  let acc = 0;
  let n = 0;
  for (const c of seed) {
    let v: number;
    if (c >= 65 && c <= 90) v = c - 65;
    else if (c >= 97 && c <= 122) v = c - 97;
    else if (c >= 50 && c <= 55) v = c - 24;
    else if (c === 61 || c === 32 || c === 45) continue;
    else {
      out.fill(0);
      return null;
    }
    acc = ((acc << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >>> bits) & 0xff;
    }
  }
  acc = 0;
  if (n === out.length) return out;
  const exact = Buffer.alloc(n);
  out.copy(exact, 0, 0, n);
  out.fill(0);
  return exact;
}

const HMAC_NAME = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' } as const;

/** The HOTP code for `counter`, as ASCII digits. */
export function hotp(key: Buffer, counter: number, digits: number, algorithm: keyof typeof HMAC_NAME): Buffer {
  const msg = Buffer.alloc(8);
  msg.writeUInt32BE(Math.floor(counter / 2 ** 32), 0);
  msg.writeUInt32BE(counter >>> 0, 4);
  const mac = createHmac(HMAC_NAME[algorithm], key).update(msg).digest();
  const o = mac[mac.length - 1]! & 0x0f;
  const bin = ((mac[o]! & 0x7f) << 24) | (mac[o + 1]! << 16) | (mac[o + 2]! << 8) | mac[o + 3]!;
  mac.fill(0);
  let v = bin % 10 ** digits;
  const out = Buffer.alloc(digits);
  for (let i = digits - 1; i >= 0; i--) {
    out[i] = 48 + (v % 10);
    v = Math.floor(v / 10);
  }
  return out;
}

export interface TotpSeed {
  readonly secret: Uint8Array;
  readonly digits: number;
  readonly period: number;
  readonly algorithm: keyof typeof HMAC_NAME;
}

/** The codes of the periods around `nowMs` (window 1: previous, current, next). */
export function codesAround(seed: TotpSeed, nowMs: number, window = 1): Buffer[] {
  const key = base32Decode(seed.secret);
  if (key === null || key.length === 0) return [];
  try {
    const counter = Math.floor(nowMs / 1000 / seed.period);
    const out: Buffer[] = [];
    for (let d = -window; d <= window; d++) if (counter + d >= 0) out.push(hotp(key, counter + d, seed.digits, seed.algorithm));
    return out;
  } finally {
    key.fill(0);
  }
}
