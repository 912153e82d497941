/**
 * TOTP (RFC 6238) through otpauth: otpauth:// URIs, bare base32 seeds, or an explicit
 * {secret, digits, period, algorithm} object. Pure: the caller passes the time.
 */
import * as OTPAuth from 'otpauth';
import * as z from 'zod';
import { fail, ok, type Result } from './errors.js';

export const TOTP_ALGORITHMS = ['SHA1', 'SHA256', 'SHA512'] as const;
export type TotpAlgorithm = (typeof TOTP_ALGORITHMS)[number];

export const TotpObjectSchema = z.strictObject({
  secret: z.string().min(1).max(1024),
  digits: z.number().int().min(6).max(8).optional(),
  period: z.number().int().min(1).max(86400).optional(),
  algorithm: z.enum(TOTP_ALGORITHMS).optional(),
});
export type TotpObject = z.infer<typeof TotpObjectSchema>;

export const TotpInputSchema = z.union([z.string().min(1).max(4096), TotpObjectSchema]);
export type TotpInput = z.infer<typeof TotpInputSchema>;

/** What the vault stores: normalized parameters, base32 seed. */
export interface TotpParams {
  readonly secret: string; // base32, upper case, no padding
  readonly digits: number;
  readonly period: number;
  readonly algorithm: TotpAlgorithm;
}

const BASE32 = /^[A-Z2-7]+=*$/;

function normalizeBase32(s: string): string | null {
  const t = s.replace(/[\s-]/g, '').toUpperCase();
  if (t.length === 0 || !BASE32.test(t)) return null;
  const bare = t.replace(/=+$/, '');
  // At least 80 bits of seed would be ideal; RFC test seeds are longer. Refuse < 8 bytes.
  if (bare.length < 13) return null;
  return bare;
}

/** Validate and normalize any accepted TOTP input. Messages never contain the seed. */
export function parseTotp(input: TotpInput): Result<TotpParams> {
  if (typeof input === 'string') {
    const trimmed = input.trim();
    if (/^otpauth:/i.test(trimmed)) {
      let parsed: OTPAuth.HOTP | OTPAuth.TOTP;
      try {
        parsed = OTPAuth.URI.parse(trimmed);
      } catch {
        return fail('INVALID_REQUEST', 'totp: the otpauth:// URI could not be parsed');
      }
      if (!(parsed instanceof OTPAuth.TOTP)) return fail('INVALID_REQUEST', 'totp: only otpauth://totp/ URIs are supported (not hotp)');
      const algorithm = parsed.algorithm.toUpperCase().replace('-', '');
      if (!(TOTP_ALGORITHMS as readonly string[]).includes(algorithm)) {
        return fail('INVALID_REQUEST', 'totp: algorithm must be SHA1, SHA256 or SHA512');
      }
      const seed = normalizeBase32(parsed.secret.base32);
      if (seed === null) return fail('INVALID_REQUEST', 'totp: the URI\'s secret must be base32 of at least 8 bytes');
      return checkRanges({ secret: seed, digits: parsed.digits, period: parsed.period, algorithm: algorithm as TotpAlgorithm });
    }
    const secret = normalizeBase32(trimmed);
    if (secret === null) return fail('INVALID_REQUEST', 'totp: not an otpauth:// URI nor a base32 seed of at least 8 bytes');
    return checkRanges({ secret, digits: 6, period: 30, algorithm: 'SHA1' });
  }
  const secret = normalizeBase32(input.secret);
  if (secret === null) return fail('INVALID_REQUEST', 'totp: secret must be base32 of at least 8 bytes');
  return checkRanges({ secret, digits: input.digits ?? 6, period: input.period ?? 30, algorithm: input.algorithm ?? 'SHA1' });
}

function checkRanges(p: TotpParams): Result<TotpParams> {
  if (!Number.isInteger(p.digits) || p.digits < 6 || p.digits > 8) return fail('INVALID_REQUEST', 'totp: digits must be 6, 7 or 8');
  if (!Number.isInteger(p.period) || p.period < 1 || p.period > 86400) return fail('INVALID_REQUEST', 'totp: period must be 1 to 86400 seconds');
  return ok(p);
}

/** The code valid at `timestampMs`. */
export function totpCode(p: TotpParams, timestampMs: number): string {
  const totp = new OTPAuth.TOTP({
    secret: OTPAuth.Secret.fromBase32(p.secret),
    digits: p.digits,
    period: p.period,
    algorithm: p.algorithm,
  });
  return totp.generate({ timestamp: timestampMs });
}

/** Codes valid within ±`window` periods of `timestampMs` (for leak checks and servers). */
export function totpCodesAround(p: TotpParams, timestampMs: number, window = 1): string[] {
  const out: string[] = [];
  for (let i = -window; i <= window; i++) out.push(totpCode(p, timestampMs + i * p.period * 1000));
  return out;
}
