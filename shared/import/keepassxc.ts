/**
 * KeePassXC "Export → CSV File":
 * `"Group","Title","Username","Password","URL","Notes","TOTP","Icon","Last Modified","Created"`.
 * `TOTP` holds an otpauth:// URI; entries under the Recycle Bin group are deleted ones.
 */
import { cell, columns, loginEntry, parseCsv } from './csv.js';
import type { RawEntry } from './types.js';

export function parseKeePassXcCsv(text: string): RawEntry[] {
  const t = parseCsv(text);
  const c = columns(
    t.header,
    { group: ['Group'], title: ['Title'], username: ['Username'], password: ['Password'], url: ['URL'], totp: ['TOTP'] },
    ['title', 'username', 'password', 'url'],
    'KeePassXC',
  );
  return t.rows.map((r) => {
    const e = loginEntry(r, c, () => cell(r, c.title) ?? '');
    const group = cell(r, c.group) ?? '';
    if (group.split('/').some((g) => g.trim() === 'Recycle Bin')) e.notImportable = 'in the KeePassXC recycle bin';
    return e;
  });
}
