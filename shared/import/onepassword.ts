/**
 * 1Password 8 "Export → CSV": `Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes`.
 * Columns are matched by name (1Password 7 let people pick them), so order does not matter.
 */
import { cell, columns, loginEntry, parseCsv } from './csv.js';
import type { RawEntry } from './types.js';

export function parseOnePasswordCsv(text: string): RawEntry[] {
  const t = parseCsv(text);
  const c = columns(
    t.header,
    {
      title: ['Title'],
      url: ['Url', 'URL', 'Website', 'Login URL'],
      username: ['Username', 'Login Username'],
      password: ['Password', 'Login Password'],
      totp: ['OTPAuth', 'One-time password'],
      archived: ['Archived'],
    },
    ['title', 'url', 'username', 'password'],
    '1Password',
  );
  return t.rows.map((r) => {
    const e = loginEntry(r, c, () => cell(r, c.title) ?? '');
    if ((cell(r, c.archived) ?? '').toLowerCase() === 'true') e.notImportable = 'archived in 1Password';
    return e;
  });
}
