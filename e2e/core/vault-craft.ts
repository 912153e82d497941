/**
 * Crafting vault files in tests (native-host/vault/format.ts is the real format).
 *
 * `sealVaultV1` is the version-1 writer, kept for tests only: blindfill now writes version
 * 2 but must still open the version-1 files existing users have. It is the old
 * `sealVault` code path (4 text lines: magic, header JSON = AAD, base64(nonce ||
 * ciphertext || tag), an unkeyed sha256 line over the three lines above); format.test.ts
 * checks that it reproduces a file written by the old code byte for byte.
 *
 * The version-2 helpers take a file apart (header line, binary body) and put one together
 * with its header digest recomputed, as anyone with write access to the file could.
 */
import { createCipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { KdfParams } from '../../native-host/vault/kdf.js';

export interface V1Header {
  vault_id: string;
  kdf: KdfParams;
  credentials: number;
  saved_at?: string;
}

/** A version-1 vault file for `plaintext` under `masterKey` (nonce random unless given). */
export function sealVaultV1(h: V1Header, plaintext: Buffer, masterKey: Buffer, nonce: Buffer = randomBytes(12)): Buffer {
  const both = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'blindfill vault v1 enc+check', 64));
  try {
    const keyCheck = createHmac('sha256', both.subarray(32)).update(h.vault_id, 'utf8').digest('base64');
    const header = {
      format: 'blindfill-vault',
      version: 1,
      vault_id: h.vault_id,
      kdf: h.kdf,
      credentials: h.credentials,
      saved_at: h.saved_at ?? new Date().toISOString(),
      key_check: keyCheck,
    };
    const hdr = Buffer.from(JSON.stringify(header), 'utf8');
    const cipher = createCipheriv('aes-256-gcm', both.subarray(0, 32), nonce, { authTagLength: 16 });
    cipher.setAAD(hdr);
    const sealed = Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    const body = Buffer.concat([Buffer.from('BLINDFILL-VAULT\n', 'ascii'), hdr, Buffer.from(`\n${sealed.toString('base64')}\n`, 'ascii')]);
    return Buffer.concat([body, Buffer.from(`sha256:${createHash('sha256').update(body).digest('hex')}\n`, 'ascii')]);
  } finally {
    both.fill(0);
  }
}

/** Rewrite a version-1 file's lines 1-3 and recompute its digest, as anyone with write access could. */
export function resealV1(file: Buffer, edit: (lines: string[]) => void): Buffer {
  const lines = file.toString('latin1').split('\n').slice(0, 3);
  edit(lines);
  const body = `${lines.join('\n')}\n`;
  return Buffer.from(`${body}sha256:${createHash('sha256').update(body, 'latin1').digest('hex')}\n`, 'latin1');
}

const MAGIC_LINE = 'BLINDFILL-VAULT\n';
/** `sha256:` + 64 hex + newline */
const V2_DIGEST_LINE = 72;

/** A version-2 file's header line (the JSON text) and binary body (nonce || ciphertext || tag). */
export function splitV2(file: Buffer): { header: string; body: Buffer; bodyAt: number } {
  const headerEnd = file.indexOf(0x0a, MAGIC_LINE.length);
  const bodyAt = headerEnd + 1 + V2_DIGEST_LINE;
  return { header: file.toString('utf8', MAGIC_LINE.length, headerEnd), body: file.subarray(bodyAt), bodyAt };
}

/** A version-2 file from a header line and a body, with a correct header digest. */
export function assembleV2(header: string, body: Buffer): Buffer {
  const head = Buffer.from(`${MAGIC_LINE}${header}\n`, 'utf8');
  return Buffer.concat([head, Buffer.from(`sha256:${createHash('sha256').update(head).digest('hex')}\n`, 'ascii'), body]);
}

/** Edit a version-2 file's header JSON (the body unchanged) and recompute the header digest. */
export function editHeaderV2(file: Buffer, edit: (h: Record<string, unknown>) => void): Buffer {
  const { header, body } = splitV2(file);
  const h = JSON.parse(header) as Record<string, unknown>;
  edit(h);
  return assembleV2(JSON.stringify(h), body);
}
