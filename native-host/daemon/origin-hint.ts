/**
 * What to say after ORIGIN_MISMATCH when the page is the same site as one of the
 * credential's origins (same registrable domain by the Public Suffix List, private section
 * included): the entry the vault's owner may add, e.g. `https://*.example.com` for a login
 * that moved from `www.example.com` to `login.example.com`. Nothing is suggested for any
 * other site, so a hostile page cannot get a message that names itself as an entry to add.
 * No value, only origins and the label.
 */
import { getDomain } from 'tldts';
import { normalizeOriginPattern } from '../../shared/origin.js';

const MISMATCH = /^(https:\/\/[^\s/]+) is not one of this credential's origins$/;

function hostPort(origin: string): { host: string; port: string } | null {
  const m = /^https:\/\/(?:\*\.)?([^/:[\]]+)(:\d+)?$/.exec(origin);
  return m ? { host: m[1]!, port: m[2] ?? '' } : null;
}

/** The hint to append to an ORIGIN_MISMATCH message, or '' when none applies. */
export function originHint(label: string, credentialOrigins: readonly string[], message: string): string {
  const m = MISMATCH.exec(message);
  if (!m) return '';
  const page = hostPort(m[1]!);
  if (!page) return '';
  const site = getDomain(page.host, { allowPrivateDomains: true });
  if (site === null || site === '') return '';
  const same = credentialOrigins.find((o) => {
    const c = hostPort(o);
    return c !== null && c.port === page.port && getDomain(c.host, { allowPrivateDomains: true }) === site;
  });
  if (same === undefined) return '';
  const wide = normalizeOriginPattern(`https://*.${site}${page.port}`);
  const entry = wide.ok ? wide.value : m[1]!;
  return ` (it is the same site as ${same}: the vault's owner may add "${entry}" to ${label}'s origins, with \`blindfill edit ${label} --json-stdin\` or in the settings page)`;
}
