/**
 * KeePassXC / KeePass 2 XML (`keepassxc-cli export --format xml DB`, KeePass "Export →
 * KeePass XML (2.x)"): `<KeePassFile><Meta>…<RecycleBinUUID/></Meta><Root><Group>…
 * <Entry><UUID>base64</UUID><String><Key>Title</Key><Value>…</Value></String>…
 * <History>…</History></Entry><Group>…</Group></Group></Root></KeePassFile>`.
 * Values are plain text in an export (`ProtectInMemory="True"` is only a hint); a value
 * marked `Protected="True"` is encrypted with the database's inner stream key (the file is
 * an internal dump, not an export) and its entry is skipped. The TOTP is the `otp` field
 * (an otpauth:// URI) or the legacy `TOTP Seed`. History entries are old versions and are
 * not imported. UUIDs make `{REF:P@I:…}` resolvable (keepass-ref.ts).
 */
import { base64Decode } from './migration.js';
import { type RefRecord, resolveReferences } from './keepass-ref.js';
import { ImportFormatError, type RawEntry } from './types.js';
import { child, parseXml, type XmlElement } from './xml.js';

function hexUuid(b64: string): string | undefined {
  try {
    const bytes = base64Decode(b64.trim());
    if (bytes.length !== 16) return undefined;
    return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
  } catch {
    return undefined;
  }
}

interface Found {
  fields: Map<string, string>;
  uuid?: string;
  groups: string[];
  inBin: boolean;
  encrypted: boolean;
}

export function parseKeePassXcXml(text: string): RawEntry[] {
  const doc = parseXml(text);
  if (doc.name !== 'KeePassFile') throw new ImportFormatError('this is not a KeePass XML export (no <KeePassFile> root)');
  const root = child(doc, 'Root');
  if (root === undefined) throw new ImportFormatError('this is not a KeePass XML export (no <Root>)');
  const meta = child(doc, 'Meta');
  const binText = meta ? child(meta, 'RecycleBinUUID')?.text.trim() : undefined;
  const bin = binText ? hexUuid(binText) : undefined;

  const found: Found[] = [];
  const walk = (g: XmlElement, groups: string[], inBin: boolean): void => {
    const uuidEl = child(g, 'UUID');
    const here = uuidEl ? hexUuid(uuidEl.text) : undefined;
    const binHere = inBin || (bin !== undefined && here === bin && bin !== '00000000000000000000000000000000');
    const name = child(g, 'Name')?.text.trim() ?? '';
    const path = [...groups, name];
    for (const c of g.children) {
      if (c.name === 'Group') walk(c, path, binHere);
      else if (c.name === 'Entry') {
        const fields = new Map<string, string>();
        let encrypted = false;
        for (const st of c.children) {
          if (st.name !== 'String') continue;
          const key = child(st, 'Key')?.text ?? '';
          const value = child(st, 'Value');
          if (value === undefined) continue;
          if (value.attrs.Protected?.toLowerCase() === 'true' && value.text !== '') encrypted = true;
          fields.set(key, value.text);
        }
        const u = child(c, 'UUID');
        const f: Found = { fields, groups: path, inBin: binHere, encrypted };
        const hex = u ? hexUuid(u.text) : undefined;
        if (hex !== undefined) f.uuid = hex;
        found.push(f);
      }
    }
  };
  for (const g of root.children) if (g.name === 'Group') walk(g, [], false);

  const records: RefRecord[] = found.map((f) => {
    const r: RefRecord = {
      title: f.fields.get('Title') ?? '',
      username: f.fields.get('UserName') ?? '',
      password: f.fields.get('Password') ?? '',
      url: f.fields.get('URL') ?? '',
      notes: f.fields.get('Notes') ?? '',
    };
    if (f.uuid !== undefined) r.uuid = f.uuid;
    return r;
  });
  const resolved = resolveReferences(records);
  return found.map((f, i): RawEntry => {
    const res = resolved[i]!;
    const title = res.ok ? res.value.title : /\{REF:/i.test(records[i]!.title) ? '(untitled)' : records[i]!.title;
    if (f.inBin) return { name: title, urls: [], notImportable: 'in the KeePassXC recycle bin' };
    if (f.encrypted) return { name: title, urls: [], notImportable: 'its values are encrypted (a KDBX internal dump, not an export): export as XML again' };
    if (!res.ok) return { name: title, urls: [], notImportable: res.reason };
    const v = res.value;
    const e: RawEntry = { name: title, urls: v.url !== '' ? [v.url] : [] };
    if (v.username !== '') e.username = v.username;
    if (v.password !== '') e.password = v.password;
    const totp = f.fields.get('otp') ?? f.fields.get('TOTP Seed');
    if (totp !== undefined && totp.trim() !== '') e.totp = totp;
    const group = f.groups[f.groups.length - 1];
    if (group !== undefined && group !== '' && f.groups.length > 1) e.group = group;
    return e;
  });
}
