/**
 * Firefox about:logins "Export Logins…" CSV:
 * `"url","username","password","httpRealm","formActionOrigin","guid","timeCreated","timeLastUsed","timePasswordChanged"`.
 * `url` is the site's origin; a login with `httpRealm` is HTTP authentication (a browser
 * dialog), not a form blindfill can fill.
 */
import { hostName } from './chrome.js';
import { cell, columns, parseCsv } from './csv.js';
import type { RawEntry } from './types.js';

export function parseFirefoxCsv(text: string): RawEntry[] {
  const t = parseCsv(text);
  const c = columns(
    t.header,
    { url: ['url'], username: ['username'], password: ['password'], httpRealm: ['httpRealm'] },
    ['url', 'username', 'password'],
    'Firefox',
  );
  return t.rows.map((r) => {
    const url = cell(r, c.url);
    const e: RawEntry = { name: hostName(url) ?? '', urls: url ? [url] : [] };
    const username = cell(r, c.username);
    const password = cell(r, c.password);
    if (username !== undefined) e.username = username;
    if (password !== undefined) e.password = password;
    if (cell(r, c.httpRealm) !== undefined) e.notImportable = 'HTTP authentication login (httpRealm), not a web form';
    return e;
  });
}
