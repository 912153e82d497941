/**
 * Bitwarden "Export vault → .csv" (personal vault):
 * `folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp`.
 * `type` is `login` or `note` (cards and identities are not in the CSV); several URIs of one
 * login share the `login_uri` cell, separated by commas.
 */
import { cell, columns, parseCsv } from './csv.js';
import type { RawEntry } from './types.js';

export function parseBitwardenCsv(text: string): RawEntry[] {
  const t = parseCsv(text);
  const c = columns(
    t.header,
    {
      folder: ['folder'],
      type: ['type'],
      name: ['name'],
      uri: ['login_uri'],
      username: ['login_username'],
      password: ['login_password'],
      totp: ['login_totp'],
    },
    ['type', 'name', 'uri', 'username', 'password'],
    'Bitwarden',
  );
  return t.rows.map((r): RawEntry => {
    const name = cell(r, c.name) ?? '';
    const type = (cell(r, c.type) ?? '').toLowerCase();
    if (type !== 'login') return { name, urls: [], notImportable: `not a login (${type === 'note' ? 'secure note' : type || 'no type'})` };
    const urls = (cell(r, c.uri) ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter((u) => u !== '');
    const e: RawEntry = { name, urls };
    const folder = cell(r, c.folder);
    const username = cell(r, c.username);
    const password = cell(r, c.password);
    const totp = cell(r, c.totp);
    if (folder !== undefined) e.group = folder;
    if (username !== undefined) e.username = username;
    if (password !== undefined) e.password = password;
    if (totp !== undefined) e.totp = totp;
    return e;
  });
}
