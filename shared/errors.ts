/**
 * Error codes: append-only. The first block is pinned by docs/CONTRACT.md §5;
 * the second block is the CLI's own (documented in docs/ERRORS.md).
 * Expected failures travel as `Failure` values; bugs throw.
 */
import * as z from 'zod';

export const CONTRACT_CODES = [
  'UNKNOWN_LABEL',
  'VAULT_LOCKED',
  'NO_BROWSER',
  'ORIGIN_MISMATCH',
  'INSECURE_ORIGIN',
  'NO_FILLABLE_FIELD',
  'DENIED',
  'WINDOW_MISMATCH',
  'UNTYPEABLE',
  'UNSUPPORTED_DISPLAY',
  'TIMEOUT',
  'INVALID_REQUEST',
  'INTERNAL',
  // CONTRACT §6
  'UNTRUSTED_CALLER',
  'INSECURE_CONNECTION',
  'REAUTH_REQUIRED',
] as const;

export const CLI_CODES = [
  'BAD_PASSPHRASE',
  'VAULT_CORRUPT',
  'DUPLICATE_LABEL',
  'VAULT_ABSENT',
  'VAULT_EXISTS',
  'INSECURE_PERMISSIONS',
  'KEYCHAIN_UNAVAILABLE',
  'WEAK_KDF',
  'DAEMON_UNAVAILABLE',
  'FOREIGN_CALLER',
  'WRITE_FAILED',
  'AUDIT_BROKEN',
  'RATE_LIMITED',
  'AMBIGUOUS_BROWSER',
  'TOOL_WITHHELD',
  'UNSAFE_RUNTIME',
  'PASSWORD_RULES_UNSATISFIABLE',
  // Passkeys (CONTRACT §8)
  'PASSKEY_NOT_ARMED',
  'RP_ID_MISMATCH',
  'NO_PASSKEY',
  'PASSKEY_EXISTS',
  'UNSUPPORTED_ALGORITHM',
  'FRAME_NOT_PERMITTED',
  'REMOTE_UNAVAILABLE',
  'WEAK_PASSPHRASE',
] as const;

export const ERROR_CODES = [...CONTRACT_CODES, ...CLI_CODES] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
export const ErrorCodeSchema = z.enum(ERROR_CODES);

export interface Failure {
  readonly ok: false;
  readonly code: ErrorCode;
  /** Names labels and origins, never values. */
  readonly message: string;
}
export interface Success<T> {
  readonly ok: true;
  readonly value: T;
}
export type Result<T> = Success<T> | Failure;

export const FailureSchema = z.object({
  ok: z.literal(false),
  code: ErrorCodeSchema,
  message: z.string().max(2000),
});

export function fail(code: ErrorCode, message: string): Failure {
  return { ok: false, code, message };
}
export function ok<T>(value: T): Success<T> {
  return { ok: true, value };
}
export function isFailure(x: unknown): x is Failure {
  return typeof x === 'object' && x !== null && (x as { ok?: unknown }).ok === false && typeof (x as { code?: unknown }).code === 'string';
}

/**
 * An expected failure raised deep inside an adapter (file system, keychain) and turned
 * back into a `Failure` value at the handler boundary. Carries only a code and a message
 * that names no secret.
 */
export class ExpectedError extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
    this.name = 'ExpectedError';
  }
  toFailure(): Failure {
    return fail(this.code, this.message);
  }
}
