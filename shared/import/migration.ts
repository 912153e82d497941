/**
 * Google Authenticator "Transfer accounts" export: `otpauth-migration://offline?data=…`,
 * where `data` is URL-encoded base64 of a protobuf `MigrationPayload`:
 *
 *   message MigrationPayload { repeated OtpParameters otp_parameters = 1; int32 version = 2;
 *     int32 batch_size = 3; int32 batch_index = 4; int32 batch_id = 5; }
 *   message OtpParameters { bytes secret = 1; string name = 2; string issuer = 3;
 *     Algorithm algorithm = 4;   // 0 unspecified, 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5
 *     DigitCount digits = 5;     // 0 unspecified, 1 six, 2 eight
 *     OtpType type = 6;          // 0 unspecified, 1 HOTP, 2 TOTP
 *     int64 counter = 7; }
 *
 * A hand-written reader (about 60 lines) rather than protobufjs or @bufbuild/protobuf:
 * two fixed messages do not justify a code generator or a runtime schema library in the
 * program that holds the vault, and the reader never copies the secret anywhere but the
 * result. Unknown fields are skipped, as protobuf requires.
 */
import { ImportFormatError } from './types.js';

export interface MigrationOtp {
  secret: Uint8Array;
  name: string;
  issuer: string;
  algorithm: 'SHA1' | 'SHA256' | 'SHA512' | 'MD5' | 'UNSPECIFIED';
  digits: 6 | 8;
  type: 'totp' | 'hotp';
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new ImportFormatError('the otpauth-migration payload is truncated');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
    throw new ImportFormatError('the otpauth-migration payload has a malformed number');
  }
  bytes(): Uint8Array {
    const len = Number(this.varint());
    if (len > this.buf.length - this.pos) throw new ImportFormatError('the otpauth-migration payload is truncated');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 2) this.bytes();
    else if (wire === 1 || wire === 5) {
      const n = wire === 1 ? 8 : 4;
      if (n > this.buf.length - this.pos) throw new ImportFormatError('the otpauth-migration payload is truncated');
      this.pos += n;
    } else throw new ImportFormatError(`the otpauth-migration payload uses an unknown wire type ${wire}`);
  }
  /** Next field as [number, wire type]. */
  tag(): [number, number] {
    const t = Number(this.varint());
    return [t >>> 3, t & 7];
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
const ALGORITHMS = ['UNSPECIFIED', 'SHA1', 'SHA256', 'SHA512', 'MD5'] as const;

function readOtp(buf: Uint8Array): MigrationOtp {
  const r = new Reader(buf);
  const o: MigrationOtp = { secret: new Uint8Array(0), name: '', issuer: '', algorithm: 'SHA1', digits: 6, type: 'totp' };
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === 2) o.secret = r.bytes();
    else if (field === 2 && wire === 2) o.name = utf8.decode(r.bytes());
    else if (field === 3 && wire === 2) o.issuer = utf8.decode(r.bytes());
    else if (field === 4 && wire === 0) o.algorithm = ALGORITHMS[Number(r.varint())] ?? 'UNSPECIFIED';
    else if (field === 5 && wire === 0) o.digits = Number(r.varint()) === 2 ? 8 : 6;
    else if (field === 6 && wire === 0) o.type = Number(r.varint()) === 1 ? 'hotp' : 'totp';
    else r.skip(wire);
  }
  if (o.algorithm === 'UNSPECIFIED') o.algorithm = 'SHA1';
  return o;
}

export function decodeMigrationPayload(payload: Uint8Array): MigrationOtp[] {
  const r = new Reader(payload);
  const out: MigrationOtp[] = [];
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === 2) out.push(readOtp(r.bytes()));
    else r.skip(wire);
  }
  return out;
}

/** The payload bytes of an `otpauth-migration://offline?data=…` URI. */
export function migrationData(uri: string): Uint8Array {
  // Not URLSearchParams: it turns a raw '+' of the base64 into a space.
  const m = /[?&]data=([^&#]*)/.exec(uri);
  if (!m || m[1] === '') throw new ImportFormatError('an otpauth-migration:// URI has no data parameter');
  let b64: string;
  try {
    b64 = decodeURIComponent(m[1]!);
  } catch {
    throw new ImportFormatError('an otpauth-migration:// URI has a malformed data parameter');
  }
  b64 = b64.replace(/ /g, '+').replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new ImportFormatError('an otpauth-migration:// data parameter is not base64');
  return base64Decode(b64);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Standard base64 to bytes, without Buffer or atob (this runs in the CLI and in the
 * settings page). Decodes what Node's Buffer.from(s, 'base64') decodes for the strings
 * migrationData lets through: padding optional, a last lone character (6 bits) dropped.
 */
export function base64Decode(b64: string): Uint8Array {
  const s = b64.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let n = 0;
  let bits = 0;
  let value = 0;
  for (let i = 0; i < s.length; i++) {
    const v = B64.indexOf(s[i]!);
    if (v < 0) throw new ImportFormatError('an otpauth-migration:// data parameter is not base64');
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (value >>> bits) & 0xff;
    }
    value &= (1 << bits) - 1;
  }
  return out.subarray(0, n);
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32, upper case, no padding. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}
