/**
 * Bitwarden "Export vault → .json" (unencrypted):
 * `{"encrypted":false,"folders":[…],"items":[{"type":1,"name","login":{"username","password","totp","uris":[{"match","uri"}]}}]}`.
 * Passkeys: `login.fido2Credentials[]` with `keyValue` (PKCS#8, base64url), `rpId`,
 * `credentialId` (a GUID, or `b64.` + base64url), `userHandle` (base64url), `counter`.
 * Item types: 1 login, 2 secure note, 3 card, 4 identity, 5 SSH key. Encrypted exports
 * (account-restricted or password-protected) cannot be read without Bitwarden's keys.
 */
import { ImportFormatError, type RawEntry } from './types.js';

const TYPES: Record<number, string> = { 2: 'secure note', 3: 'card', 4: 'identity', 5: 'SSH key' };

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function parseBitwardenJson(text: string): RawEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new ImportFormatError('this is not valid JSON (is it a Bitwarden .json export?)');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new ImportFormatError('this is not a Bitwarden JSON export (no top-level object)');
  const d = doc as Record<string, unknown>;
  if (d.encrypted === true || d.passwordProtected === true) {
    throw new ImportFormatError('this Bitwarden export is encrypted: export again as ".json" (not ".json (Encrypted)")');
  }
  if (!Array.isArray(d.items)) throw new ImportFormatError('this is not a Bitwarden JSON export (no "items" array)');
  const folders = new Map<string, string>();
  if (Array.isArray(d.folders)) {
    for (const f of d.folders) {
      if (typeof f !== 'object' || f === null) continue;
      const { id, name } = f as Record<string, unknown>;
      if (typeof id === 'string' && typeof name === 'string') folders.set(id, name);
    }
  }
  return d.items.map((raw, i): RawEntry => {
    if (typeof raw !== 'object' || raw === null) throw new ImportFormatError(`item ${i + 1} is not an object`);
    const item = raw as Record<string, unknown>;
    const name = str(item.name) ?? '';
    const type = item.type;
    if (type !== 1) {
      const kind = typeof type === 'number' ? (TYPES[type] ?? `item type ${type}`) : 'item without a type';
      return { name, urls: [], notImportable: `not a login (${kind})` };
    }
    const login = (typeof item.login === 'object' && item.login !== null ? item.login : {}) as Record<string, unknown>;
    const urls: string[] = [];
    if (login.uris !== undefined && login.uris !== null) {
      if (!Array.isArray(login.uris)) throw new ImportFormatError(`item ${i + 1}: "login.uris" is not an array`);
      for (const u of login.uris) {
        const uri = typeof u === 'object' && u !== null ? str((u as Record<string, unknown>).uri) : undefined;
        if (uri !== undefined) urls.push(uri);
      }
    }
    const e: RawEntry = { name, urls };
    const folder = typeof item.folderId === 'string' ? folders.get(item.folderId) : undefined;
    if (folder !== undefined && folder !== '') e.group = folder;
    const username = str(login.username);
    const password = str(login.password);
    const totp = str(login.totp);
    if (username !== undefined) e.username = username;
    if (password !== undefined) e.password = password;
    if (totp !== undefined) e.totp = totp;
    const passkey = bitwardenPasskey(login.fido2Credentials);
    if (passkey !== undefined) e.passkey = passkey;
    return e;
  });
}

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const toB64u = (s: string): string => s.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** Bitwarden's credential id: a GUID stands for its 16 bytes (as Bitwarden sends it to sites). */
function credentialIdOf(id: string): string | undefined {
  if (id.startsWith('b64.')) return toB64u(id.slice(4));
  if (!GUID_RE.test(id)) return undefined;
  const hex = id.replace(/-/g, '');
  let bin = '';
  for (let i = 0; i < 32; i += 2) bin += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return toB64u(btoa(bin));
}

/** The first ES256 passkey of a login (Bitwarden makes only those), or none. */
function bitwardenPasskey(list: unknown): RawEntry['passkey'] {
  if (!Array.isArray(list)) return undefined;
  for (const raw of list) {
    if (typeof raw !== 'object' || raw === null) continue;
    const c = raw as Record<string, unknown>;
    const key = str(c.keyValue);
    const rpId = str(c.rpId);
    const id = str(c.credentialId);
    if (key === undefined || rpId === undefined || id === undefined) continue;
    if (c.keyAlgorithm !== undefined && c.keyAlgorithm !== 'ECDSA') continue;
    const credentialId = credentialIdOf(id);
    if (credentialId === undefined) continue;
    const counter = Number(c.counter ?? 0);
    return {
      rp_id: rpId.toLowerCase(),
      credential_id: credentialId,
      user_handle: toB64u(str(c.userHandle) ?? ''),
      private_key: toB64u(key),
      sign_count: Number.isInteger(counter) && counter >= 0 && counter <= 0xffffffff ? counter : 0,
    };
  }
  return undefined;
}
