/**
 * Search and sort of the settings page's credential list. Pure; unit-tested.
 *
 * Search matches, case-insensitively and anywhere in the text, a credential's label, its
 * sites and windows, and its username when the list carries one (the owner's view). The
 * haystack of each credential is built once per list, so a keystroke over 10,000
 * credentials is one pass of `includes`.
 */
import type { CredentialSummary } from '../../shared/credential.js';

export const SORTS = ['label', 'origin'] as const;
export type SortKey = (typeof SORTS)[number];

export interface Indexed {
  readonly c: CredentialSummary;
  /** Lower-case text the search looks in. */
  readonly text: string;
  /** The host of the first site, without scheme and `*.`; '' for none. */
  readonly site: string;
}

function usernameOf(c: CredentialSummary): string {
  const u = (c as { username?: unknown }).username;
  return typeof u === 'string' ? u : '';
}

export function siteOf(origin: string): string {
  return origin.replace(/^[a-z]+:\/\//, '').replace(/^\*\./, '');
}

export function indexList(list: readonly CredentialSummary[]): Indexed[] {
  return list.map((c) => ({
    c,
    text: [c.label, ...c.origins, ...c.windows, usernameOf(c)].join('\n').toLowerCase(),
    site: c.origins.length > 0 ? siteOf(c.origins[0]!) : '',
  }));
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The credentials to show, in order: every word of the query must appear. */
export function view(index: readonly Indexed[], query: string, sort: SortKey): CredentialSummary[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const hits = words.length === 0 ? [...index] : index.filter((x) => words.every((w) => x.text.includes(w)));
  if (sort === 'origin') {
    // By site; credentials with no site after all the others; then by label.
    hits.sort((a, b) => (a.site === '' ? 1 : 0) - (b.site === '' ? 1 : 0) || byCodeUnit(a.site, b.site) || byCodeUnit(a.c.label, b.c.label));
  } else {
    hits.sort((a, b) => byCodeUnit(a.c.label, b.c.label));
  }
  return hits.map((x) => x.c);
}
