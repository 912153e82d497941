/**
 * The runtime part of shared/errors.ts that shared/origin.ts needs (fail, ok), without
 * zod. The page-script bundles substitute this module for shared/errors.js (see
 * extension/build.ts): shared/errors.ts builds zod schemas at module load, which would
 * otherwise pull ~800 kB of zod into every injected page script. Keep these two
 * functions identical to the originals; the tests compare them.
 */
import type { ErrorCode, Failure, Success } from '../../shared/errors.js';

export type { ErrorCode, Failure, Result, Success } from '../../shared/errors.js';

export function fail(code: ErrorCode, message: string): Failure {
  return { ok: false, code, message };
}
export function ok<T>(value: T): Success<T> {
  return { ok: true, value };
}
