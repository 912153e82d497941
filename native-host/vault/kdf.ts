/**
 * Key derivation parameters for the vault header, and scrypt itself.
 * A vault's master key comes either from a passphrase (scrypt) or from the OS keychain.
 */
import { randomBytes, scrypt } from 'node:crypto';
import * as z from 'zod';
import { fail, ok, type Result } from '../../shared/errors.js';

export interface ScryptParams {
  name: 'scrypt';
  N: number;
  r: number;
  p: number;
  /** base64, at least 16 bytes */
  salt: string;
  /** After a passphrase change: the vault's master key sealed under the scrypt output
   *  (key-wrap.ts). Absent: the scrypt output is the master key. */
  wrapped?: string;
}
export interface KeychainRef {
  name: 'keychain';
  service: string;
  account: string;
}
export type KdfParams = ScryptParams | KeychainRef;

/** The weakest parameters we accept (CONTRACT §3: scrypt N≥2^17 r=8 p=1). */
export const SCRYPT_FLOOR = { N: 2 ** 17, r: 8, p: 1 } as const;
/** Above this a header is implausible (and would exhaust memory): refused as corrupt. */
export const SCRYPT_CEILING = { N: 2 ** 20, r: 32, p: 16, memBytes: 1024 * 1024 * 1024 } as const;
export const MIN_SALT_BYTES = 16;
export const KEY_BYTES = 32;

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
const Base64Schema = z.string().max(1024).regex(BASE64_RE);
const count = z.number().int().nonnegative();

/**
 * Shape-only schemas: values below the floor pass here so that `checkKdfFloor` reports
 * them as WEAK_KDF; only structurally impossible or absurdly expensive values fail.
 */
export const ScryptParamsSchema = z.strictObject({
  name: z.literal('scrypt'),
  N: count.max(SCRYPT_CEILING.N).refine((n) => (n & (n - 1)) === 0, 'N must be a power of two'),
  r: count.max(SCRYPT_CEILING.r),
  p: count.max(SCRYPT_CEILING.p),
  salt: Base64Schema,
  wrapped: Base64Schema.optional(),
});
export const KeychainRefSchema = z.strictObject({
  name: z.literal('keychain'),
  service: z.string().min(1).max(256),
  account: z.string().min(1).max(256),
});
export const KdfParamsSchema = z.discriminatedUnion('name', [ScryptParamsSchema, KeychainRefSchema]);

export function newScryptParams(): ScryptParams {
  return { name: 'scrypt', ...SCRYPT_FLOOR, salt: randomBytes(MIN_SALT_BYTES).toString('base64') };
}

/** WEAK_KDF for parameters below the floor or an unknown KDF name. */
export function checkKdfFloor(p: KdfParams): Result<void> {
  const name: unknown = (p as { name?: unknown }).name;
  if (name === 'keychain') return ok(undefined);
  if (name !== 'scrypt') return fail('WEAK_KDF', `unknown key derivation "${String(name).slice(0, 32)}"`);
  const s = p as ScryptParams;
  if (!(s.N >= SCRYPT_FLOOR.N)) return fail('WEAK_KDF', `scrypt N=${s.N} is below the floor ${SCRYPT_FLOOR.N}`);
  if (!(s.r >= SCRYPT_FLOOR.r)) return fail('WEAK_KDF', `scrypt r=${s.r} is below the floor ${SCRYPT_FLOOR.r}`);
  if (!(s.p >= SCRYPT_FLOOR.p)) return fail('WEAK_KDF', `scrypt p=${s.p} is below the floor ${SCRYPT_FLOOR.p}`);
  const saltLen = typeof s.salt === 'string' && BASE64_RE.test(s.salt) ? Buffer.from(s.salt, 'base64').length : 0;
  if (saltLen < MIN_SALT_BYTES) return fail('WEAK_KDF', `scrypt salt is ${saltLen} bytes, below ${MIN_SALT_BYTES}`);
  return ok(undefined);
}

function maxmemFor(p: ScryptParams): number {
  return Math.max(256 * 1024 * 1024, 128 * p.N * p.r + 16 * 1024 * 1024);
}

/**
 * The 32-byte master key. Throws (a bug) when given parameters below the floor or above
 * the ceiling: callers check headers with `parseVault`/`checkKdfFloor` first.
 */
export function deriveKey(passphrase: Buffer, p: ScryptParams): Promise<Buffer> {
  const floor = checkKdfFloor(p);
  if (!floor.ok) return Promise.reject(new Error(`deriveKey: ${floor.message}`));
  if (!ScryptParamsSchema.safeParse(p).success || 128 * p.N * p.r > SCRYPT_CEILING.memBytes) {
    return Promise.reject(new Error('deriveKey: scrypt parameters out of range'));
  }
  const salt = Buffer.from(p.salt, 'base64');
  return new Promise((resolve, reject) => {
    scrypt(passphrase, salt, KEY_BYTES, { N: p.N, r: p.r, p: p.p, maxmem: maxmemFor(p) }, (err, key) => {
      if (err) reject(err);
      else resolve(key);
    });
  });
}
