/**
 * What `list` answers beyond "everything": the credentials that may fill one page, and
 * pages of the list for callers with a size cap. Pure.
 *
 * The origin filter is the fill's own rule (shared/origin.ts checkOrigin, the check the
 * service worker makes before a probe), so a credential is listed for a page exactly when
 * a fill there would pass the origin check.
 */
import type { CredentialSummary } from '../../shared/credential.js';
import { fail, ok, type Result } from '../../shared/errors.js';
import { checkOrigin, pageOrigin } from '../../shared/origin.js';

/** The page origin of a `list` filter: a URL's scheme, host and port. */
export function filterOrigin(input: string): Result<string> {
  const page = pageOrigin(input);
  if (page === null) return fail('INVALID_REQUEST', 'origin must be a web URL such as https://github.com, or "active_tab"');
  return ok(page.origin);
}

/** The credentials a fill on `origin` would accept (none on a non-loopback http: page). */
export function mayFillOn(list: readonly CredentialSummary[], origin: string): CredentialSummary[] {
  return list.filter((c) => c.origins.length > 0 && checkOrigin(c.origins, origin).ok);
}

/**
 * Credentials after `after` (the list is sorted by label), stopping before the JSON of the
 * page would pass `maxBytes`; at least one credential per page so paging always advances.
 */
export function pageOf<T extends CredentialSummary>(list: readonly T[], after: string | undefined, maxBytes: number | undefined): { credentials: T[]; next?: string } {
  const start = after === undefined ? 0 : firstAfter(list, after);
  if (maxBytes === undefined) return { credentials: list.slice(start) };
  const credentials: T[] = [];
  let bytes = 2;
  for (let i = start; i < list.length; i++) {
    const size = Buffer.byteLength(JSON.stringify(list[i])) + 1;
    if (credentials.length > 0 && bytes + size > maxBytes) return { credentials, next: credentials[credentials.length - 1]!.label };
    credentials.push(list[i]!);
    bytes += size;
  }
  return { credentials };
}

function firstAfter(list: readonly CredentialSummary[], after: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.label <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
