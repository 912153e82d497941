/**
 * 1Password 8 "Export → 1PUX": a zip whose `export.data` is JSON:
 * `{"accounts":[{"attrs":{…},"vaults":[{"attrs":{"name"},"items":[{"uuid","state",
 * "categoryUuid","overview":{"title","url","urls":[{"url"}]},"details":{"loginFields":
 * [{"designation":"username"|"password","value"}],"sections":[{"fields":[{"value":
 * {"totp":"otpauth://…"}}]}]}}]}]}]}`. Category "001" is a login, "005" a password; the
 * others (cards, notes, identities…) are not logins. `state: "archived"` items are
 * archived. This reads the JSON text; unzipping is the caller's (the CLI: cli/zip.ts).
 */
import { ImportFormatError, type RawEntry } from './types.js';

const CATEGORIES: Record<string, string> = {
  '002': 'credit card', '003': 'secure note', '004': 'identity', '006': 'document', '100': 'software license',
  '101': 'bank account', '102': 'database', '103': "driver's license", '104': 'outdoor license', '105': 'membership',
  '106': 'passport', '107': 'rewards program', '108': 'social security number', '109': 'wireless router', '110': 'server',
  '111': 'email account', '112': 'API credential', '113': 'medical record', '114': 'SSH key', '115': 'crypto wallet',
};

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function parseOnePuxData(text: string): RawEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new ImportFormatError('export.data is not valid JSON (is this a 1Password .1pux export?)');
  }
  const accounts = obj(doc)?.accounts;
  if (!Array.isArray(accounts)) throw new ImportFormatError('this is not a 1Password 1PUX export (no "accounts")');
  const out: RawEntry[] = [];
  for (const account of accounts) {
    for (const vault of arr(obj(account)?.vaults)) {
      const vaultName = str(obj(obj(vault)?.attrs)?.name);
      for (const raw of arr(obj(vault)?.items)) {
        const item = obj(raw);
        if (item === undefined) throw new ImportFormatError('an item is not an object');
        const overview = obj(item.overview) ?? {};
        const details = obj(item.details) ?? {};
        const name = str(overview.title) ?? '';
        const category = str(item.categoryUuid) ?? '';
        if (category !== '001' && category !== '005') {
          out.push({ name, urls: [], notImportable: `not a login (${CATEGORIES[category] ?? `category ${category || 'unknown'}`})` });
          continue;
        }
        if (item.state === 'archived') {
          out.push({ name, urls: [], notImportable: 'archived in 1Password' });
          continue;
        }
        const urls: string[] = [];
        for (const u of arr(overview.urls)) {
          const url = str(obj(u)?.url);
          if (url !== undefined && !urls.includes(url)) urls.push(url);
        }
        const main = str(overview.url);
        if (main !== undefined && !urls.includes(main)) urls.unshift(main);
        const e: RawEntry = { name, urls };
        for (const f of arr(details.loginFields)) {
          const field = obj(f);
          const value = str(field?.value);
          if (value === undefined) continue;
          if (field?.designation === 'username' && e.username === undefined) e.username = value;
          if (field?.designation === 'password' && e.password === undefined) e.password = value;
        }
        const password = str(details.password);
        if (e.password === undefined && password !== undefined) e.password = password;
        for (const s of arr(details.sections)) {
          for (const f of arr(obj(s)?.fields)) {
            const totp = str(obj(obj(f)?.value)?.totp);
            if (totp !== undefined && e.totp === undefined) e.totp = totp;
          }
        }
        if (vaultName !== undefined) e.group = vaultName;
        out.push(e);
      }
    }
  }
  return out;
}
