/**
 * Chrome / Edge / Chromium-family "Export passwords" CSV (chrome://password-manager/settings):
 * `name,url,username,password,note` (older versions: without `note`). Android app logins
 * have `android://…@package/` URLs.
 */
import { cell, columns, hostName, loginEntry, parseCsv } from './csv.js';
import type { RawEntry } from './types.js';

export function parseChromeCsv(text: string): RawEntry[] {
  const t = parseCsv(text);
  const c = columns(t.header, { name: ['name'], url: ['url'], username: ['username'], password: ['password'] }, ['url', 'username', 'password'], 'Chrome');
  return t.rows.map((r) => loginEntry(r, c, (url) => cell(r, c.name) ?? hostName(url) ?? ''));
}
