/**
 * Chrome / Edge / Chromium-family "Export passwords" CSV (chrome://password-manager/settings):
 * `name,url,username,password,note` (older versions: without `note`). Android app logins
 * have `android://…@package/` URLs.
 */
import { cell, columns, parseCsv } from './csv.js';
import type { RawEntry } from './types.js';

export function parseChromeCsv(text: string): RawEntry[] {
  const t = parseCsv(text);
  const c = columns(t.header, { name: ['name'], url: ['url'], username: ['username'], password: ['password'] }, ['url', 'username', 'password'], 'Chrome');
  return t.rows.map((r) => {
    const url = cell(r, c.url);
    const e: RawEntry = { name: cell(r, c.name) ?? hostName(url) ?? '', urls: url ? [url] : [] };
    const username = cell(r, c.username);
    const password = cell(r, c.password);
    if (username !== undefined) e.username = username;
    if (password !== undefined) e.password = password;
    return e;
  });
}

/** The host of a URL, for naming an entry that has no title (never its path or query). */
export function hostName(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const u = new URL(url);
    return u.hostname || u.protocol;
  } catch {
    return undefined;
  }
}
