/**
 * A passphrase change keeps the vault's master key (so the audit log's HMAC chain, keyed
 * from it, stays verifiable) and seals that key under the new passphrase's scrypt output:
 * `kdf.wrapped` = base64(nonce(12) || AES-256-GCM(master key) || tag(16)), with the vault
 * id as associated data. A vault never changed has no `wrapped`: its scrypt output is the
 * master key.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { fail, ok, type Result } from '../../shared/errors.js';
import { deriveKey, KEY_BYTES, newScryptParams, type ScryptParams } from './kdf.js';

const NONCE = 12;
const TAG = 16;
const WRAPPED_BYTES = NONCE + KEY_BYTES + TAG;
const AAD_PREFIX = 'blindfill key wrap v1 ';

export function wrapKey(master: Buffer, kek: Buffer, vaultId: string): string {
  const nonce = randomBytes(NONCE);
  const c = createCipheriv('aes-256-gcm', kek, nonce, { authTagLength: TAG });
  c.setAAD(Buffer.from(AAD_PREFIX + vaultId, 'utf8'));
  const ct = Buffer.concat([c.update(master), c.final()]);
  return Buffer.concat([nonce, ct, c.getAuthTag()]).toString('base64');
}

/** The master key, or null when `kek` is not the key it was sealed under (or the field is damaged). */
export function unwrapKey(wrapped: string, kek: Buffer, vaultId: string): Buffer | null {
  const b = Buffer.from(wrapped, 'base64');
  if (b.length !== WRAPPED_BYTES) return null;
  try {
    const d = createDecipheriv('aes-256-gcm', kek, b.subarray(0, NONCE), { authTagLength: TAG });
    d.setAAD(Buffer.from(AAD_PREFIX + vaultId, 'utf8'));
    d.setAuthTag(b.subarray(NONCE + KEY_BYTES));
    const out = Buffer.alloc(KEY_BYTES);
    const part = d.update(b.subarray(NONCE, NONCE + KEY_BYTES));
    part.copy(out);
    part.fill(0);
    d.final();
    return out;
  } catch {
    return null;
  }
}

/** The master key from a passphrase: BAD_PASSPHRASE when the passphrase cannot unseal a wrapped key. */
export async function passphraseKey(passphrase: Buffer, kdf: ScryptParams, vaultId: string): Promise<Result<Buffer>> {
  const kek = await deriveKey(passphrase, kdf);
  if (kdf.wrapped === undefined) return ok(kek);
  const master = unwrapKey(kdf.wrapped, kek, vaultId);
  kek.fill(0);
  return master ? ok(master) : fail('BAD_PASSPHRASE', 'wrong passphrase or key for this vault');
}

/** Fresh scrypt parameters whose `wrapped` seals `master` under `passphrase`. */
export async function wrapUnderPassphrase(master: Buffer, passphrase: Buffer, vaultId: string): Promise<ScryptParams> {
  const p = newScryptParams();
  const kek = await deriveKey(passphrase, p);
  try {
    return { ...p, wrapped: wrapKey(master, kek, vaultId) };
  } finally {
    kek.fill(0);
  }
}
