/**
 * Export files in each password manager's real layout, written by the tests (no binary
 * fixtures): header rows and JSON shapes as the managers document them.
 */
import { randomBytes } from 'node:crypto';

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
  return ['name,url,username,password,note', ...rows.map((r) => csvRow([r.name, r.url ?? '', r.username ?? '', r.password ?? '', '']))].join('\r\n') + '\r\n';
}

export function firefoxCsv(rows: readonly (Login & { httpRealm?: string })[]): string {
  const head = csvRow(['url', 'username', 'password', 'httpRealm', 'formActionOrigin', 'guid', 'timeCreated', 'timeLastUsed', 'timePasswordChanged']);
  const body = rows.map((r, i) =>
    csvRow([r.url ?? '', r.username ?? '', r.password ?? '', r.httpRealm ?? '', r.httpRealm ? '' : (r.url ?? ''), `{${i}-guid}`, '1700000000000', '1700000000000', '1700000000000']),
  );
  return [head, ...body].join('\r\n') + '\r\n';
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
  return [head, ...body].join('\n') + '\n';
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
