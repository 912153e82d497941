/**
 * Export files in each password manager's real layout, written by the tests (no binary
 * fixtures): header rows and JSON shapes as the managers document them.
 */
import { randomBytes } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';

export interface Login {
  name: string;
  url?: string;
  username?: string;
  password?: string;
  totp?: string;
}

/** RFC 4180: every field quoted, quotes doubled (what Firefox and KeePassXC write). */
export function csvRow(cells: readonly string[]): string {
  return cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');
}

/** Chrome / Edge: `name,url,username,password,note` (unquoted header, CRLF as Chrome writes it). */
export function chromeCsv(rows: readonly Login[]): string {
  return `${['name,url,username,password,note', ...rows.map((r) => csvRow([r.name, r.url ?? '', r.username ?? '', r.password ?? '', '']))].join('\r\n')}\r\n`;
}

export function firefoxCsv(rows: readonly (Login & { httpRealm?: string })[]): string {
  const head = csvRow(['url', 'username', 'password', 'httpRealm', 'formActionOrigin', 'guid', 'timeCreated', 'timeLastUsed', 'timePasswordChanged']);
  const body = rows.map((r, i) =>
    csvRow([r.url ?? '', r.username ?? '', r.password ?? '', r.httpRealm ?? '', r.httpRealm ? '' : (r.url ?? ''), `{${i}-guid}`, '1700000000000', '1700000000000', '1700000000000']),
  );
  return `${[head, ...body].join('\r\n')}\r\n`;
}

/** 1Password 8: `Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes`, with a UTF-8 BOM. */
export function onePasswordCsv(rows: readonly (Login & { archived?: boolean; notes?: string })[]): string {
  const body = rows.map((r) => csvRow([r.name, r.url ?? '', r.username ?? '', r.password ?? '', r.totp ?? '', 'false', r.archived ? 'true' : 'false', '', r.notes ?? '']));
  return `\uFEFF${['Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes', ...body].join('\n')}\n`;
}

export function keepassxcCsv(rows: readonly (Login & { group?: string; notes?: string })[]): string {
  const head = csvRow(['Group', 'Title', 'Username', 'Password', 'URL', 'Notes', 'TOTP', 'Icon', 'Last Modified', 'Created']);
  const body = rows.map((r) =>
    csvRow([r.group ?? 'Root', r.name, r.username ?? '', r.password ?? '', r.url ?? '', r.notes ?? '', r.totp ?? '', '0', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z']),
  );
  return `${[head, ...body].join('\n')}\n`;
}

/** Bitwarden unencrypted .json export. `extra` items are appended verbatim (cards, notes…). */
export function bitwardenJson(rows: readonly (Login & { uris?: string[]; folder?: string })[], extra: unknown[] = []): string {
  const folderNames = [...new Set(rows.flatMap((r) => (r.folder ? [r.folder] : [])))];
  const folders = folderNames.map((name, i) => ({ id: `f0000000-0000-0000-0000-${String(i).padStart(12, '0')}`, name }));
  const folderId = (name: string | undefined) => folders.find((f) => f.name === name)?.id ?? null;
  const items = rows.map((r, i) => ({
    passwordHistory: null,
    revisionDate: '2024-01-01T00:00:00.000Z',
    creationDate: '2024-01-01T00:00:00.000Z',
    deletedDate: null,
    id: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
    organizationId: null,
    folderId: folderId(r.folder),
    type: 1,
    reprompt: 0,
    name: r.name,
    notes: null,
    favorite: false,
    login: {
      fido2Credentials: [],
      uris: (r.uris ?? (r.url ? [r.url] : [])).map((uri) => ({ match: null, uri })),
      username: r.username ?? null,
      password: r.password ?? null,
      totp: r.totp ?? null,
    },
    collectionIds: null,
  }));
  return JSON.stringify({ encrypted: false, folders, items: [...items, ...extra] }, null, 2);
}

/** Bitwarden "Export vault → .csv": several URIs of one login share the cell, comma-separated. */
export function bitwardenCsv(rows: readonly (Login & { uris?: string[]; folder?: string; type?: string })[]): string {
  const head = 'folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp';
  const body = rows.map((r) =>
    csvRow([r.folder ?? '', '', r.type ?? 'login', r.name, '', '', '0', (r.uris ?? (r.url ? [r.url] : [])).join(','), r.username ?? '', r.password ?? '', r.totp ?? '']),
  );
  return [head, ...body].join('\n') + '\n';
}

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface KeePassXmlEntry extends Login {
  /** 32 hex digits (what {REF:…@I:…} names); written as base64 like KeePassXC does. */
  uuid: string;
  notes?: string;
  history?: Login[];
}

/**
 * `keepassxc-cli export --format xml`: KeePass 2 XML, tabs as KeePassXC indents, a
 * Recycle Bin group named in <Meta>. `groups` maps a group name (under the root group
 * "Passwords") to its entries; "Recycle Bin" is the bin.
 */
export function keepassXml(groups: Record<string, readonly KeePassXmlEntry[]>, rootEntries: readonly KeePassXmlEntry[] = []): string {
  const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
  const str = (key: string, value: string, protect = false) =>
    `<String><Key>${key}</Key><Value${protect ? ' ProtectInMemory="True"' : ''}>${xmlText(value)}</Value></String>`;
  const entry = (e: KeePassXmlEntry | (Login & { uuid: string; notes?: string }), hist = ''): string =>
    [
      '<Entry>',
      `<UUID>${b64(e.uuid)}</UUID><IconID>0</IconID><ForegroundColor/><BackgroundColor/><OverrideURL/><Tags/>`,
      '<Times><CreationTime>2024-01-01T00:00:00Z</CreationTime><LastModificationTime>2024-01-01T00:00:00Z</LastModificationTime></Times>',
      str('Notes', e.notes ?? ''),
      str('Password', e.password ?? '', true),
      str('Title', e.name),
      str('URL', e.url ?? ''),
      str('UserName', e.username ?? ''),
      ...(e.totp ? [str('otp', e.totp, true)] : []),
      '<AutoType><Enabled>True</Enabled><DataTransferObfuscation>0</DataTransferObfuscation></AutoType>',
      hist,
      '</Entry>',
    ].join('\n\t\t\t');
  const bin = 'ee000000000000000000000000000b1e';
  const groupXml = Object.entries(groups).map(([name, entries], i) => {
    const uuid = name === 'Recycle Bin' ? bin : `9${String(i).padStart(31, '0')}`;
    const body = entries.map((e) =>
      entry(e, e.history ? `<History>${e.history.map((h) => entry({ ...h, uuid: e.uuid })).join('')}</History>` : ''),
    );
    return `<Group>\n\t\t\t<UUID>${b64(uuid)}</UUID>\n\t\t\t<Name>${xmlText(name)}</Name>\n\t\t\t${body.join('\n\t\t\t')}\n\t\t</Group>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<KeePassFile>',
    '\t<Meta>',
    '\t\t<Generator>KeePassXC</Generator>',
    '\t\t<DatabaseName>Passwords</DatabaseName>',
    '\t\t<RecycleBinEnabled>True</RecycleBinEnabled>',
    `\t\t<RecycleBinUUID>${b64(bin)}</RecycleBinUUID>`,
    '\t</Meta>',
    '\t<Root>',
    '\t\t<Group>',
    `\t\t\t<UUID>${b64('8'.repeat(32))}</UUID>`,
    '\t\t\t<Name>Passwords</Name>',
    ...rootEntries.map((e) => `\t\t\t${entry(e)}`),
    ...groupXml.map((g) => `\t\t${g}`),
    '\t\t</Group>',
    '\t\t<DeletedObjects/>',
    '\t</Root>',
    '</KeePassFile>',
    '',
  ].join('\n');
}

export interface OnePuxItem extends Login {
  category?: string;
  urls?: string[];
  archived?: boolean;
}

/**
 * 1Password 8 "Export → 1PUX": a zip of `export.attributes`, `export.data` (the JSON
 * below, in 1Password's layout: accounts → vaults → items with overview and details) and
 * an empty `files/` folder.
 */
export function onePux(vaults: Record<string, readonly OnePuxItem[]>): Uint8Array {
  const item = (r: OnePuxItem, i: number) => ({
    uuid: `item${String(i).padStart(22, '0')}`,
    favIndex: 0,
    createdAt: 1700000000,
    updatedAt: 1700000000,
    state: r.archived ? 'archived' : 'active',
    categoryUuid: r.category ?? '001',
    details: {
      loginFields: [
        ...(r.username !== undefined ? [{ value: r.username, id: '', name: 'username', fieldType: 'T', designation: 'username' }] : []),
        ...(r.password !== undefined ? [{ value: r.password, id: '', name: 'password', fieldType: 'P', designation: 'password' }] : []),
      ],
      notesPlain: '',
      sections: r.totp
        ? [{ title: '', name: 'add more', fields: [{ title: 'one-time password', id: 'TOTP_abc', value: { totp: r.totp }, indexAtSource: 0, guarded: false, multiline: false, dontGenerate: false, inputTraits: { keyboard: 'default', correction: 'default', capitalization: 'default' } }] }]
        : [],
      passwordHistory: [],
    },
    overview: {
      subtitle: r.username ?? '',
      urls: (r.urls ?? (r.url ? [r.url] : [])).map((url) => ({ label: 'website', url })),
      title: r.name,
      url: (r.urls ?? [r.url ?? ''])[0] ?? '',
      ps: 100,
      pbe: 0,
      pgrng: false,
      tags: [],
    },
  });
  let n = 0;
  const data = {
    accounts: [
      {
        attrs: { accountName: 'Alice', name: 'Alice', avatar: '', email: 'alice@example.test', uuid: 'ACCOUNTUUID', domain: 'https://my.1password.com/' },
        vaults: Object.entries(vaults).map(([name, items]) => ({
          attrs: { uuid: `vault-${name}`, desc: '', avatar: '', name, type: 'P' },
          items: items.map((r) => item(r, n++)),
        })),
      },
    ],
  };
  return zipSync({
    'export.attributes': strToU8(JSON.stringify({ version: 3, description: '1Password Unencrypted Export', createdAt: 1700000000 })),
    'export.data': strToU8(JSON.stringify(data)),
    'files/': new Uint8Array(0),
  });
}

/** A random base32 TOTP seed (160 bits). */
export function randomSeed(): string {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return [...randomBytes(32)].map((b) => A[b % 32]).join('');
}

function varint(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}
const lenField = (no: number, b: Uint8Array) => [...varint((no << 3) | 2), ...varint(b.length), ...b];
const numField = (no: number, v: number) => [...varint(no << 3), ...varint(v)];

/** Google Authenticator "Transfer accounts" QR payload (protobuf MigrationPayload). */
export function migrationUri(otps: { secret: Uint8Array; name: string; issuer?: string; sha256?: boolean; eight?: boolean; hotp?: boolean }[]): string {
  const payload: number[] = [];
  for (const o of otps) {
    const inner = [
      ...lenField(1, o.secret),
      ...lenField(2, Buffer.from(o.name)),
      ...(o.issuer ? lenField(3, Buffer.from(o.issuer)) : []),
      ...numField(4, o.sha256 ? 2 : 1),
      ...numField(5, o.eight ? 2 : 1),
      ...numField(6, o.hotp ? 1 : 2),
      ...(o.hotp ? numField(7, 3) : []),
    ];
    payload.push(...lenField(1, Uint8Array.from(inner)));
  }
  payload.push(...numField(2, 1), ...numField(3, 1), ...numField(4, 0), ...numField(5, 4242));
  return `otpauth-migration://offline?data=${encodeURIComponent(Buffer.from(payload).toString('base64'))}`;
}

/** The product's own RFC 4648 base32 (the tests compare what blindfill derives from a seed). */
export { base32 } from '../../shared/import/migration.js';
