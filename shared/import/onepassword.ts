/**
 * 1Password 8 "Export → CSV": `Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes`.
 * Columns are matched by name (1Password 7 let people pick them), so order does not matter.
 */
import { cell, columns, parseCsv } from './csv.js';
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
      otp: ['OTPAuth', 'One-time password'],
      archived: ['Archived'],
    },
    ['title', 'url', 'username', 'password'],
    '1Password',
  );
  return t.rows.map((r) => {
    const url = cell(r, c.url);
    const e: RawEntry = { name: cell(r, c.title) ?? '', urls: url ? [url] : [] };
    const username = cell(r, c.username);
    const password = cell(r, c.password);
    const otp = cell(r, c.otp);
    if (username !== undefined) e.username = username;
    if (password !== undefined) e.password = password;
    if (otp !== undefined) e.totp = otp;
    if ((cell(r, c.archived) ?? '').toLowerCase() === 'true') e.notImportable = 'archived in 1Password';
    return e;
  });
}
