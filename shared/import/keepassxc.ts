/**
 * KeePassXC "Export → CSV File":
 * `"Group","Title","Username","Password","URL","Notes","TOTP","Icon","Last Modified","Created"`.
 * `TOTP` holds an otpauth:// URI; entries under the Recycle Bin group are deleted ones.
 * `{REF:…}` field references are resolved within the export (keepass-ref.ts); the CSV has
 * no UUIDs, so a reference by UUID skips its entry with the reason.
 */
import { cell, columns, loginEntry, parseCsv } from './csv.js';
import { resolveReferences } from './keepass-ref.js';
import type { RawEntry } from './types.js';

export function parseKeePassXcCsv(text: string): RawEntry[] {
  const t = parseCsv(text);
  const c = columns(
    t.header,
    { group: ['Group'], title: ['Title'], username: ['Username'], password: ['Password'], url: ['URL'], notes: ['Notes'], totp: ['TOTP'] },
    ['title', 'username', 'password', 'url'],
    'KeePassXC',
  );
  const resolved = resolveReferences(
    t.rows.map((r) => ({
      title: cell(r, c.title) ?? '',
      username: cell(r, c.username) ?? '',
      password: cell(r, c.password) ?? '',
      url: cell(r, c.url) ?? '',
      notes: cell(r, c.notes) ?? '',
    })),
  );
  return t.rows.map((r, i) => {
    const res = resolved[i]!;
    const title = res.ok ? res.value.title : (cell(r, c.title) ?? '');
    const groups = (cell(r, c.group) ?? '').split('/').map((g) => g.trim());
    if (groups.some((g) => g === 'Recycle Bin')) return { name: title, urls: [], notImportable: 'in the KeePassXC recycle bin' };
    if (!res.ok) return { name: /\{REF:/i.test(title) ? '(untitled)' : title, urls: [], notImportable: res.reason };
    const v = res.value;
    const row = [v.username, v.password, v.url, cell(r, c.totp) ?? ''];
    const e = loginEntry(row, { username: 0, password: 1, url: 2, totp: 3 }, () => title);
    const group = groups[groups.length - 1];
    if (group !== undefined && group !== '' && !(groups.length === 1 && group === 'Root')) e.group = group;
    return e;
  });
}
