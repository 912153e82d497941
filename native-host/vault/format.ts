/**
 * The vault file format (pure: Buffer in, Buffer out).
 *
 *   BLINDFILL-VAULT\n
 *   <header JSON>\n                      exact bytes = AES-GCM associated data
 *   base64(nonce(12) || ciphertext || tag(16))\n
 *   sha256:<hex digest of the three lines above, newlines included>\n
 *
 * The digest is unkeyed: it only tells damage (truncation, bit flips) apart from a wrong
 * passphrase. Authenticity comes from GCM over the header and body, and `key_check`
 * (HMAC of vault_id under a subkey) tells a wrong key from a tampered file.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { fail, ok, type Result } from '../../shared/errors.js';
import { checkKdfFloor, KdfParamsSchema, type KdfParams, KEY_BYTES } from './kdf.js';

export const MAGIC = 'BLINDFILL-VAULT';
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

export interface VaultHeader {
  format: 'blindfill-vault';
  version: 1;
  vault_id: string;
  kdf: KdfParams;
  credentials: number;
  saved_at: string;
  key_check: string;
}
export interface ParsedVault {
  header: VaultHeader;
  headerBytes: Buffer;
  sealed: Buffer;
}

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
const VaultIdSchema = z.string().regex(/^[0-9a-f]{32}$/);
const HeaderSchema = z.strictObject({
  format: z.literal('blindfill-vault'),
  version: z.literal(1),
  vault_id: VaultIdSchema,
  kdf: KdfParamsSchema,
  credentials: z.number().int().nonnegative(),
  saved_at: z.iso.datetime(),
  key_check: z.string().regex(BASE64_RE).length(44),
});

/**
 * HKDF-SHA256 (empty salt) from the master key. One expansion with info VAULT_INFO gives
 * 64 bytes: enc key (AES-256-GCM) || check key (key_check); AUDIT_INFO gives the audit key.
 */
export const VAULT_INFO = 'blindfill vault v1 enc+check';
export const AUDIT_INFO = 'blindfill audit v1';

function hkdf(masterKey: Buffer, info: string, length: number): Buffer {
  if (masterKey.length !== KEY_BYTES) throw new Error(`master key must be ${KEY_BYTES} bytes`);
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), info, length));
}

/** Run `use` with the enc and check subkeys; both are zeroed afterwards. */
function withVaultKeys<T>(masterKey: Buffer, use: (enc: Buffer, check: Buffer) => T): T {
  const both = hkdf(masterKey, VAULT_INFO, 2 * KEY_BYTES);
  try {
    return use(both.subarray(0, KEY_BYTES), both.subarray(KEY_BYTES));
  } finally {
    both.fill(0);
  }
}

/** HKDF subkey for the audit log's HMAC chain. The caller owns (and zeroes) the result. */
export function auditKey(masterKey: Buffer): Buffer {
  return hkdf(masterKey, AUDIT_INFO, KEY_BYTES);
}

export function newVaultId(): string {
  return randomBytes(16).toString('hex');
}

function keyCheck(checkKey: Buffer, vaultId: string): Buffer {
  return createHmac('sha256', checkKey).update(vaultId, 'utf8').digest();
}

/** Header JSON with keys in a fixed order, so the AAD bytes are reproducible. */
function headerLine(h: VaultHeader): Buffer {
  const { format, version, vault_id, kdf, credentials, saved_at, key_check } = h;
  return Buffer.from(JSON.stringify({ format, version, vault_id, kdf, credentials, saved_at, key_check }), 'utf8');
}

function digestLine(body: Buffer): Buffer {
  return Buffer.from(`sha256:${createHash('sha256').update(body).digest('hex')}\n`, 'ascii');
}

/** AES-256-GCM with a fresh random 96-bit nonce. Returns nonce || ciphertext || tag. */
export function gcmSeal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ct = cipher.update(plaintext);
  const rest = cipher.final();
  return Buffer.concat([nonce, ct, rest, cipher.getAuthTag()]);
}

/**
 * Decrypt and authenticate; null when the tag does not verify or is not exactly 16 bytes
 * (truncated tags are refused, never accepted as a shorter MAC). The result is a fresh
 * zero-filled Buffer the caller owns; unauthenticated output is zeroed.
 */
export function gcmOpen(key: Buffer, nonce: Buffer, ciphertext: Buffer, tag: Buffer, aad: Buffer): Buffer | null {
  if (nonce.length !== NONCE_BYTES || tag.length !== TAG_BYTES) return null;
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  const out = Buffer.alloc(ciphertext.length);
  const part = decipher.update(ciphertext);
  part.copy(out);
  part.fill(0);
  try {
    decipher.final();
  } catch {
    out.fill(0);
    return null;
  }
  return out;
}

export function sealVault(h: Omit<VaultHeader, 'key_check' | 'saved_at'> & { saved_at?: string }, plaintext: Buffer, masterKey: Buffer): Buffer {
  const { hdr, sealed } = withVaultKeys(masterKey, (enc, check) => {
    const header: VaultHeader = {
      format: h.format,
      version: h.version,
      vault_id: h.vault_id,
      kdf: h.kdf,
      credentials: h.credentials,
      saved_at: h.saved_at ?? new Date().toISOString(),
      key_check: keyCheck(check, h.vault_id).toString('base64'),
    };
    const valid = HeaderSchema.safeParse(header);
    if (!valid.success) throw new Error(`sealVault: invalid header: ${z.prettifyError(valid.error)}`);
    const floor = checkKdfFloor(header.kdf);
    if (!floor.ok) throw new Error(`sealVault: ${floor.message}`);
    const hdr = headerLine(header);
    return { hdr, sealed: gcmSeal(enc, plaintext, hdr) };
  });
  const body = Buffer.concat([Buffer.from(`${MAGIC}\n`, 'ascii'), hdr, Buffer.from(`\n${sealed.toString('base64')}\n`, 'ascii')]);
  return Buffer.concat([body, digestLine(body)]);
}

function corrupt(why: string): Result<never> {
  return fail('VAULT_CORRUPT', `the vault file is damaged: ${why}`);
}

export function parseVault(bytes: Buffer): Result<ParsedVault> {
  const magic = Buffer.from(`${MAGIC}\n`, 'ascii');
  if (bytes.length < magic.length || !bytes.subarray(0, magic.length).equals(magic)) return corrupt('not a blindfill vault (bad magic line)');
  if (bytes[bytes.length - 1] !== 0x0a) return corrupt('truncated (no final newline)');
  const lastNl = bytes.lastIndexOf(0x0a, bytes.length - 2);
  if (lastNl < 0) return corrupt('truncated');
  const body = bytes.subarray(0, lastNl + 1);
  const expected = digestLine(body);
  const actual = bytes.subarray(lastNl + 1);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return corrupt('integrity digest mismatch (truncated or modified)');

  const lines = body.subarray(magic.length, body.length - 1).toString('latin1').split('\n');
  if (lines.length !== 2) return corrupt(`expected 4 lines, found ${lines.length + 2}`);
  const headerStart = magic.length;
  const headerEnd = body.indexOf(0x0a, headerStart);
  const headerBytes = Buffer.from(body.subarray(headerStart, headerEnd));
  const bodyLine = lines[1] ?? '';

  let json: unknown;
  try {
    json = JSON.parse(headerBytes.toString('utf8'));
  } catch {
    return corrupt('header is not JSON');
  }
  const version = (json as { version?: unknown } | null)?.version;
  if (version !== 1) return corrupt(`unsupported vault version ${JSON.stringify(version ?? null)?.slice(0, 16)}`);
  const kdfName = (json as { kdf?: { name?: unknown } }).kdf?.name;
  if (kdfName !== 'scrypt' && kdfName !== 'keychain') return fail('WEAK_KDF', `unknown key derivation "${String(kdfName).slice(0, 32)}"`);
  const parsed = HeaderSchema.safeParse(json);
  if (!parsed.success) return corrupt(`header does not match the schema (${parsed.error.issues[0]?.path.join('.') ?? '?'})`);
  const header = parsed.data as VaultHeader;
  const floor = checkKdfFloor(header.kdf);
  if (!floor.ok) return floor;

  if (!BASE64_RE.test(bodyLine)) return corrupt('body is not base64');
  const sealed = Buffer.from(bodyLine, 'base64');
  if (sealed.toString('base64') !== bodyLine) return corrupt('body is not canonical base64');
  if (sealed.length < NONCE_BYTES + TAG_BYTES) return corrupt('body too short');
  return ok({ header, headerBytes, sealed });
}

export function openVault(v: ParsedVault, masterKey: Buffer): Result<Buffer> {
  if (v.sealed.length < NONCE_BYTES + TAG_BYTES) return corrupt('body too short');
  const nonce = v.sealed.subarray(0, NONCE_BYTES);
  const ct = v.sealed.subarray(NONCE_BYTES, v.sealed.length - TAG_BYTES);
  const tag = v.sealed.subarray(v.sealed.length - TAG_BYTES);
  return withVaultKeys(masterKey, (enc, check): Result<Buffer> => {
    const expected = keyCheck(check, v.header.vault_id);
    const actual = Buffer.from(v.header.key_check, 'base64');
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
      return fail('BAD_PASSPHRASE', 'wrong passphrase or key for this vault');
    }
    const plain = gcmOpen(enc, nonce, ct, tag, v.headerBytes);
    return plain ? ok(plain) : corrupt('authentication failed (header or body modified)');
  });
}
