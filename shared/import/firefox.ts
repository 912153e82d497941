/**
 * Firefox about:logins "Export Logins…" CSV:
 * `"url","username","password","httpRealm","formActionOrigin","guid","timeCreated","timeLastUsed","timePasswordChanged"`.
 * `url` is the site's origin; a login with `httpRealm` is HTTP authentication (a browser
 * dialog), not a form blindfill can fill.
 */
import { cell, columns, hostName, loginEntry, parseCsv } from './csv.js';
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
    const e = loginEntry(r, c, (url) => hostName(url) ?? '');
    if (cell(r, c.httpRealm) !== undefined) e.notImportable = 'HTTP authentication login (httpRealm), not a web form';
    return e;
  });
}
