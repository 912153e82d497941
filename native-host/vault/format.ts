/**
 * The vault file format (pure: Buffer in, Buffer out). Every save writes version 2;
 * version 1 files (vaults saved before it) still open and become version 2 on their next
 * save.
 *
 * Version 2:
 *   BLINDFILL-VAULT\n
 *   <header JSON>\n                      exact bytes = AES-GCM associated data
 *   sha256:<hex digest of the two lines above, newlines included>\n
 *   nonce(12) || ciphertext || tag(16)   binary, exactly header.body_bytes, to the end
 *
 * Version 1 (read only):
 *   BLINDFILL-VAULT\n
 *   <header JSON>\n                      exact bytes = AES-GCM associated data
 *   base64(nonce(12) || ciphertext || tag(16))\n
 *   sha256:<hex digest of the three lines above, newlines included>\n
 *
 * Damage or a wrong key. Authenticity comes from GCM over the header (AAD) and body;
 * `key_check` (HMAC of vault_id under an HKDF subkey of the key) tells a wrong key from a
 * damaged or tampered file. In version 2 the unkeyed digest covers only the magic and
 * header lines (a few hundred bytes, so that header damage is VAULT_CORRUPT and not read
 * as a wrong key or a weak KDF), and `body_bytes` (in the header, so digested and
 * authenticated) fixes the length: truncation and appended bytes are VAULT_CORRUPT at
 * parse time. Damage inside the body is found by GCM once `key_check` has accepted the
 * key: with the right key a failing tag can only mean damage (VAULT_CORRUPT); with a
 * wrong key the answer is BAD_PASSPHRASE whatever the state of the body.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { fail, ok, type Result } from '../../shared/errors.js';
import { checkKdfFloor, KdfParamsSchema, type KdfParams, KEY_BYTES } from './kdf.js';

export const MAGIC = 'BLINDFILL-VAULT';
/** The version every save writes. */
export const VAULT_VERSION = 2;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

export interface VaultHeader {
  format: 'blindfill-vault';
  version: 1 | 2;
  vault_id: string;
  kdf: KdfParams;
  credentials: number;
  saved_at: string;
  /** Version 2: length of the binary body, nonce || ciphertext || tag. */
  body_bytes?: number;
  key_check: string;
  /**
   * Version 2: the audit log's last entry (seq, mac) when this vault was saved. The header
   * is the AEAD's associated data, so once the vault opens this is authentic: the audit
   * log must still contain that entry (native-host/audit/audit-log.ts).
   */
  audit?: AuditAnchor;
}
export interface AuditAnchor {
  seq: number;
  mac: string;
}
/** What a save supplies; sealVault adds the version, saved_at (unless given), body_bytes and key_check. */
export type SealHeader = Pick<VaultHeader, 'format' | 'vault_id' | 'kdf' | 'credentials' | 'audit'> & { saved_at?: string };
export interface ParsedVault {
  header: VaultHeader;
  /** The header line's exact bytes (the AAD). */
  headerBytes: Buffer;
  /** nonce || ciphertext || tag (for version 2, a view into the parsed file's Buffer). */
  sealed: Buffer;
}

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
const VaultIdSchema = z.string().regex(/^[0-9a-f]{32}$/);
const headerFields = {
  format: z.literal('blindfill-vault'),
  vault_id: VaultIdSchema,
  kdf: KdfParamsSchema,
  credentials: z.number().int().nonnegative(),
  saved_at: z.iso.datetime(),
  key_check: z.string().regex(BASE64_RE).length(44),
};
const HeaderV1Schema = z.strictObject({ ...headerFields, version: z.literal(1) });
const HEX64 = /^[0-9a-f]{64}$/;
const AuditAnchorSchema = z.strictObject({ seq: z.number().int().nonnegative(), mac: z.string().regex(HEX64) });
const HeaderV2Schema = z.strictObject({
  ...headerFields,
  version: z.literal(2),
  body_bytes: z.number().int().min(NONCE_BYTES + TAG_BYTES),
  audit: AuditAnchorSchema.optional(),
});

/**
 * HKDF-SHA256 (empty salt) from the master key. One expansion with info VAULT_INFO gives
 * 64 bytes: enc key (AES-256-GCM) || check key (key_check); AUDIT_INFO gives the audit key.
 * (The same for both file versions.)
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

/** The key of the sealed remotes file (native-host/remote/remote-store.ts). */
export function remotesKey(masterKey: Buffer): Buffer {
  return hkdf(masterKey, 'blindfill remotes v1', KEY_BYTES);
}

export function newVaultId(): string {
  return randomBytes(16).toString('hex');
}

function keyCheck(checkKey: Buffer, vaultId: string): Buffer {
  return createHmac('sha256', checkKey).update(vaultId, 'utf8').digest();
}

/** Header JSON with keys in a fixed order, so the AAD bytes are reproducible. */
function headerLine(h: VaultHeader): Buffer {
  const { format, version, vault_id, kdf, credentials, saved_at, body_bytes, key_check, audit } = h;
  const anchor = audit === undefined ? undefined : { seq: audit.seq, mac: audit.mac };
  return Buffer.from(JSON.stringify({ format, version, vault_id, kdf, credentials, saved_at, body_bytes, key_check, audit: anchor }), 'utf8');
}

const MAGIC_LINE = Buffer.from(`${MAGIC}\n`, 'ascii');
const DIGEST_PREFIX = Buffer.from('sha256:', 'ascii');
/** `sha256:` + 64 hex digits + `\n` */
const DIGEST_LINE_BYTES = DIGEST_PREFIX.length + 64 + 1;

function digestLine(covered: Buffer): Buffer {
  return Buffer.from(`sha256:${createHash('sha256').update(covered).digest('hex')}\n`, 'ascii');
}

/**
 * Plaintext is encrypted in pieces this big, each piece's ciphertext (a fresh Buffer from
 * `cipher.update`) copied into the output at once. One update of a whole 1.6 MB vault
 * allocates a second 1.6 MB Buffer (fresh pages, more GC work): sealing was ~30% slower
 * that way. 64 KiB stays below the daemon's malloc mmap threshold (process/bundles.ts).
 */
const SEAL_CHUNK_BYTES = 64 * 1024;

/**
 * AES-256-GCM with a fresh random 96-bit nonce, written into `out` at `at` as
 * nonce || ciphertext || tag (`out` must have NONCE_BYTES + plaintext.length + TAG_BYTES
 * bytes from `at`). Every seal picks its nonce here.
 */
function gcmSealInto(key: Buffer, plaintext: Buffer, aad: Buffer, out: Buffer, at: number): void {
  const nonce = out.subarray(at, at + NONCE_BYTES);
  randomFillSync(nonce);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  let off = at + NONCE_BYTES;
  for (let p = 0; p < plaintext.length; p += SEAL_CHUNK_BYTES) off += cipher.update(plaintext.subarray(p, p + SEAL_CHUNK_BYTES)).copy(out, off);
  off += cipher.final().copy(out, off);
  if (off !== at + NONCE_BYTES + plaintext.length) throw new Error('gcmSeal: unexpected ciphertext length');
  cipher.getAuthTag().copy(out, off);
}

/** AES-256-GCM with a fresh random 96-bit nonce. Returns nonce || ciphertext || tag. */
export function gcmSeal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const out = Buffer.allocUnsafe(NONCE_BYTES + plaintext.length + TAG_BYTES);
  gcmSealInto(key, plaintext, aad, out, 0);
  return out;
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

/** `vault_id` and `kdf` (as written) of the last header that passed the full check. */
let lastChecked: string | undefined;

/**
 * Never write a header the reader would refuse: the full schema and the KDF floor. The
 * schema costs ~0.1 ms a save (cold, on the daemon's path), so once a vault's id and KDF
 * (the JSON written, so mutation cannot slip through) have passed, its later saves check
 * only what changes per save. `saved_at` supplied by the caller is always checked.
 */
function checkSealHeader(header: VaultHeader, savedAtOurs: boolean): void {
  const fixed = `${header.vault_id}\n${JSON.stringify(header.kdf)}`;
  const anchorOk = header.audit === undefined || (Number.isSafeInteger(header.audit.seq) && header.audit.seq >= 0 && HEX64.test(header.audit.mac));
  if (savedAtOurs && anchorOk && fixed === lastChecked && header.format === 'blindfill-vault' && Number.isSafeInteger(header.credentials) && header.credentials >= 0) return;
  const valid = HeaderV2Schema.safeParse(header);
  if (!valid.success) throw new Error(`sealVault: invalid header: ${z.prettifyError(valid.error)}`);
  const floor = checkKdfFloor(header.kdf);
  if (!floor.ok) throw new Error(`sealVault: ${floor.message}`);
  lastChecked = fixed;
}

/**
 * A version-2 vault file, built in one preallocated Buffer: the three text lines, then the
 * nonce, the ciphertext (each piece copied once from the cipher's output) and the tag.
 */
export function sealVault(h: SealHeader, plaintext: Buffer, masterKey: Buffer): Buffer {
  return withVaultKeys(masterKey, (enc, check) => {
    const bodyBytes = NONCE_BYTES + plaintext.length + TAG_BYTES;
    const header: VaultHeader = {
      format: h.format,
      version: VAULT_VERSION,
      vault_id: h.vault_id,
      kdf: h.kdf,
      credentials: h.credentials,
      saved_at: h.saved_at ?? new Date().toISOString(),
      body_bytes: bodyBytes,
      key_check: keyCheck(check, h.vault_id).toString('base64'),
      ...(h.audit ? { audit: h.audit } : {}),
    };
    checkSealHeader(header, h.saved_at === undefined);
    const hdr = headerLine(header);
    const digested = MAGIC_LINE.length + hdr.length + 1;
    const bodyAt = digested + DIGEST_LINE_BYTES;
    const out = Buffer.allocUnsafe(bodyAt + bodyBytes);
    MAGIC_LINE.copy(out, 0);
    hdr.copy(out, MAGIC_LINE.length);
    out[digested - 1] = 0x0a;
    digestLine(out.subarray(0, digested)).copy(out, digested);
    gcmSealInto(enc, plaintext, hdr, out, bodyAt);
    return out;
  });
}

function corrupt(why: string): Result<never> {
  return fail('VAULT_CORRUPT', `the vault file is damaged: ${why}`);
}

/**
 * Parse the header JSON (its integrity already checked): the version must be the one the
 * layout says; an unknown KDF or one below the floor is WEAK_KDF, before any derivation.
 */
function parseHeader(headerBytes: Buffer, version: 1 | 2): Result<VaultHeader> {
  let json: unknown;
  try {
    json = JSON.parse(headerBytes.toString('utf8'));
  } catch {
    return corrupt('header is not JSON');
  }
  const found = (json as { version?: unknown } | null)?.version;
  if (found !== 1 && found !== 2) return corrupt(`unsupported vault version ${JSON.stringify(found ?? null)?.slice(0, 16)}`);
  if (found !== version) return corrupt(`a version-${found} header in a version-${version} file`);
  const kdfName = (json as { kdf?: { name?: unknown } }).kdf?.name;
  if (kdfName !== 'scrypt' && kdfName !== 'keychain') return fail('WEAK_KDF', `unknown key derivation "${String(kdfName).slice(0, 32)}"`);
  const parsed = (version === 2 ? HeaderV2Schema : HeaderV1Schema).safeParse(json);
  if (!parsed.success) return corrupt(`header does not match the schema (${parsed.error.issues[0]?.path.join('.') ?? '?'})`);
  const header = parsed.data as VaultHeader;
  const floor = checkKdfFloor(header.kdf);
  return floor.ok ? ok(header) : floor;
}

/**
 * Check a vault file's structure and integrity and read its header; no key needed. Every
 * damage the unkeyed checks can see (everything but the body's contents in version 2) is
 * VAULT_CORRUPT here.
 */
export function parseVault(bytes: Buffer): Result<ParsedVault> {
  if (bytes.length < MAGIC_LINE.length || !bytes.subarray(0, MAGIC_LINE.length).equals(MAGIC_LINE)) return corrupt('not a blindfill vault (bad magic line)');
  const headerEnd = bytes.indexOf(0x0a, MAGIC_LINE.length);
  if (headerEnd < 0) return corrupt('truncated (no end of header)');
  // Line 3 is the header digest in version 2, base64 (never a ':') in version 1.
  const third = headerEnd + 1;
  const v2 = bytes.length >= third + DIGEST_PREFIX.length && bytes.subarray(third, third + DIGEST_PREFIX.length).equals(DIGEST_PREFIX);
  return v2 ? parseV2(bytes, headerEnd) : parseV1(bytes);
}

function parseV2(bytes: Buffer, headerEnd: number): Result<ParsedVault> {
  const digested = headerEnd + 1;
  const bodyAt = digested + DIGEST_LINE_BYTES;
  if (bytes.length < bodyAt) return corrupt('truncated (in the header digest)');
  const expected = digestLine(bytes.subarray(0, digested));
  if (!timingSafeEqual(bytes.subarray(digested, bodyAt), expected)) return corrupt('header digest mismatch (header modified or damaged)');
  const headerBytes = Buffer.from(bytes.subarray(MAGIC_LINE.length, headerEnd));
  const header = parseHeader(headerBytes, 2);
  if (!header.ok) return header;
  const want = header.value.body_bytes ?? -1;
  const have = bytes.length - bodyAt;
  if (have < want) return corrupt(`truncated (body is ${have} bytes, the header says ${want})`);
  if (have > want) return corrupt(`${have - want} unexpected bytes after the body`);
  return ok({ header: header.value, headerBytes, sealed: bytes.subarray(bodyAt) });
}

function parseV1(bytes: Buffer): Result<ParsedVault> {
  if (bytes[bytes.length - 1] !== 0x0a) return corrupt('truncated (no final newline)');
  const lastNl = bytes.lastIndexOf(0x0a, bytes.length - 2);
  if (lastNl < 0) return corrupt('truncated');
  const body = bytes.subarray(0, lastNl + 1);
  const expected = digestLine(body);
  const actual = bytes.subarray(lastNl + 1);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return corrupt('integrity digest mismatch (truncated or modified)');

  const lines = body.subarray(MAGIC_LINE.length, body.length - 1).toString('latin1').split('\n');
  if (lines.length !== 2) return corrupt(`expected 4 lines, found ${lines.length + 2}`);
  const headerEnd = body.indexOf(0x0a, MAGIC_LINE.length);
  const headerBytes = Buffer.from(body.subarray(MAGIC_LINE.length, headerEnd));
  const bodyLine = lines[1] ?? '';
  const header = parseHeader(headerBytes, 1);
  if (!header.ok) return header;

  if (!BASE64_RE.test(bodyLine)) return corrupt('body is not base64');
  const sealed = Buffer.from(bodyLine, 'base64');
  if (sealed.toString('base64') !== bodyLine) return corrupt('body is not canonical base64');
  if (sealed.length < NONCE_BYTES + TAG_BYTES) return corrupt('body too short');
  return ok({ header: header.value, headerBytes, sealed });
}

export function openVault(v: ParsedVault, masterKey: Buffer): Result<Buffer> {
  if (v.sealed.length < NONCE_BYTES + TAG_BYTES) return corrupt('body too short');
  if (v.header.body_bytes !== undefined && v.sealed.length !== v.header.body_bytes) return corrupt('body length does not match the header');
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
