import { createCipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../shared/errors.js';
import { auditKey, gcmOpen, gcmSeal, newVaultId, openVault, parseVault, sealVault, type VaultHeader } from './format.js';
import { deriveKey, newScryptParams, type KdfParams } from './kdf.js';

const CANARY = 'CANARY-vault-5be2a7-hunter2';
const PLAIN = Buffer.from(JSON.stringify({ credentials: [{ label: 'github-personal', password: CANARY }] }));

function header(kdf: KdfParams = newScryptParams()): Omit<VaultHeader, 'key_check' | 'saved_at'> {
  return { format: 'blindfill-vault', version: 1, vault_id: newVaultId(), kdf, credentials: 1 };
}

function sealed(key = randomBytes(32)): { key: Buffer; file: Buffer } {
  return { key, file: sealVault(header(), PLAIN, key) };
}

/** Rewrite lines 1-3 and recompute the digest, as an attacker with write access could. */
function reseal(file: Buffer, edit: (lines: string[]) => void): Buffer {
  const lines = file.toString('latin1').split('\n').slice(0, 3);
  edit(lines);
  const body = `${lines.join('\n')}\n`;
  return Buffer.from(`${body}sha256:${createHash('sha256').update(body, 'latin1').digest('hex')}\n`, 'latin1');
}

function editHeader(file: Buffer, edit: (h: Record<string, unknown>) => void): Buffer {
  return reseal(file, (lines) => {
    const h = JSON.parse(lines[1] ?? '') as Record<string, unknown>;
    edit(h);
    lines[1] = JSON.stringify(h);
  });
}

function editBody(file: Buffer, edit: (sealedBytes: Buffer) => Buffer): Buffer {
  return reseal(file, (lines) => {
    lines[2] = edit(Buffer.from(lines[2] ?? '', 'base64')).toString('base64');
  });
}

function open(file: Buffer, key: Buffer): Result<Buffer> {
  const p = parseVault(file);
  return p.ok ? openVault(p.value, key) : p;
}

function expectNoCanary(r: Result<unknown>): void {
  if (!r.ok) expect(r.message).not.toContain(CANARY);
}

describe('vault format round trip', () => {
  it('seals and opens with a scrypt-derived key; the file is 4 text lines without the secret', async () => {
    const kdf = newScryptParams();
    const key = await deriveKey(Buffer.from('correct horse'), kdf);
    const file = sealVault({ ...header(kdf), saved_at: '2024-01-02T03:04:05.000Z' }, PLAIN, key);
    const text = file.toString('utf8');
    const lines = text.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe('BLINDFILL-VAULT');
    expect(lines[3]).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(lines[4]).toBe('');
    expect(text).not.toContain(CANARY);
    expect(file.toString('base64')).not.toContain(Buffer.from(CANARY).toString('base64'));
    const parsed = parseVault(file);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.value.header).toMatchObject({ format: 'blindfill-vault', version: 1, credentials: 1, kdf, saved_at: '2024-01-02T03:04:05.000Z' });
    expect(parsed.value.headerBytes.toString()).toBe(lines[1]);
    const opened = openVault(parsed.value, key);
    expect(opened.ok && opened.value.equals(PLAIN)).toBe(true);
  });

  it('round-trips arbitrary plaintexts (property)', () => {
    const key = randomBytes(32);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        const r = open(sealVault(header(), Buffer.from(bytes), key), key);
        return r.ok && r.value.equals(Buffer.from(bytes));
      }),
      { numRuns: 200 },
    );
  });

  it('works for keychain vaults', () => {
    const key = randomBytes(32);
    const file = sealVault(header({ name: 'keychain', service: 'blindfill', account: 'abc' }), PLAIN, key);
    const r = open(file, key);
    expect(r.ok && r.value.equals(PLAIN)).toBe(true);
  });

  it('derives distinct subkeys: the audit key is neither the master key nor constant', () => {
    const k = randomBytes(32);
    const a = auditKey(k);
    expect(a).toHaveLength(32);
    expect(a.equals(k)).toBe(false);
    expect(a.equals(auditKey(k))).toBe(true);
    expect(a.equals(auditKey(randomBytes(32)))).toBe(false);
  });

  it('never repeats a nonce over 1,000,000 encryptions: 990,000 GCM seals plus 10,000 whole-vault seals under one fixed key', { timeout: 180_000 }, () => {
    const key = randomBytes(32);
    const tiny = Buffer.from('x');
    const nonces = new Set<string>();
    // gcmSeal is where every seal picks its nonce.
    const enc = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'blindfill vault v1 enc+check', 64)).subarray(0, 32);
    const aad = Buffer.from('{}');
    for (let i = 0; i < 990_000; i++) nonces.add(gcmSeal(enc, tiny, aad).toString('latin1', 0, 12));
    // And through the full sealVault path (the nonce is the first 16 base64 chars of line 3).
    const h = { ...header(), saved_at: '2024-01-01T00:00:00.000Z' };
    for (let i = 0; i < 10_000; i++) {
      const file = sealVault(h, tiny, key);
      const third = file.indexOf(0x0a, file.indexOf(0x0a, 16) + 1) + 1;
      nonces.add(Buffer.from(file.toString('latin1', third, third + 16), 'base64').toString('latin1'));
    }
    expect(nonces.size).toBe(1_000_000);
  });
});

describe('tampering and damage', () => {
  it('every truncation is VAULT_CORRUPT', () => {
    const { file } = sealed();
    for (let len = 0; len < file.length; len++) {
      const r = parseVault(file.subarray(0, len));
      expect(r, `length ${len}`).toMatchObject({ ok: false, code: 'VAULT_CORRUPT' });
    }
  });

  it('every single bit flip (magic, header, body, digest) is VAULT_CORRUPT', () => {
    const { file, key } = sealed();
    const lines = file.toString('latin1').split('\n');
    const starts = [0, (lines[0] ?? '').length + 1];
    starts.push((starts[1] ?? 0) + (lines[1] ?? '').length + 1);
    starts.push((starts[2] ?? 0) + (lines[2] ?? '').length + 1);
    const regions = new Set<number>();
    for (let i = 0; i < file.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const copy = Buffer.from(file);
        copy[i] = (copy[i] ?? 0) ^ (1 << bit);
        const r = open(copy, key);
        expect(r.ok, `byte ${i} bit ${bit}`).toBe(false);
        if (!r.ok) expect(r.code).toBe('VAULT_CORRUPT');
      }
      regions.add(starts.filter((s) => s <= i).length);
    }
    expect([...regions].sort()).toEqual([1, 2, 3, 4]);
  });

  it('an edited header with a recomputed digest fails GCM: VAULT_CORRUPT', () => {
    const { file, key } = sealed();
    for (const edit of [
      (h: Record<string, unknown>) => (h.credentials = 7),
      (h: Record<string, unknown>) => (h.saved_at = '2001-01-01T00:00:00.000Z'),
      (h: Record<string, unknown>) => ((h.kdf as { salt: string }).salt = randomBytes(16).toString('base64')),
    ]) {
      const tampered = editHeader(file, edit);
      expect(parseVault(tampered).ok).toBe(true);
      const r = open(tampered, key);
      expect(r).toMatchObject({ ok: false, code: 'VAULT_CORRUPT' });
      expectNoCanary(r);
    }
  });

  it('an edited body or nonce with a recomputed digest: VAULT_CORRUPT', () => {
    const { file, key } = sealed();
    for (const at of [0, 11, 12, 20, -17, -1]) {
      const tampered = editBody(file, (s) => {
        const c = Buffer.from(s);
        const i = at < 0 ? c.length + at : at;
        c[i] = (c[i] ?? 0) ^ 0x01;
        return c;
      });
      expect(open(tampered, key), `offset ${at}`).toMatchObject({ ok: false, code: 'VAULT_CORRUPT' });
    }
  });

  it('a wrong key is BAD_PASSPHRASE, not VAULT_CORRUPT', () => {
    const { file } = sealed();
    const r = open(file, randomBytes(32));
    expect(r).toMatchObject({ ok: false, code: 'BAD_PASSPHRASE' });
    expectNoCanary(r);
  });

  it.each([4, 8])('refuses a %i-byte GCM tag, even a valid one', (tagLen) => {
    const key = randomBytes(32);
    const file = sealVault(header(), PLAIN, key);
    const aad = Buffer.from(file.toString('latin1').split('\n')[1] ?? '', 'latin1');
    const enc = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'blindfill vault v1 enc+check', 64)).subarray(0, 32);
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', enc, nonce, { authTagLength: tagLen });
    cipher.setAAD(aad);
    const ct = Buffer.concat([cipher.update(PLAIN), cipher.final()]);
    const shortTag = cipher.getAuthTag();
    expect(shortTag).toHaveLength(tagLen);
    // A correctly computed short tag in the file is refused...
    const tampered = editBody(file, () => Buffer.concat([nonce, ct, shortTag]));
    expect(open(tampered, key)).toMatchObject({ ok: false, code: 'VAULT_CORRUPT' });
    // ...and so is a truncated tag of a real seal.
    expect(open(editBody(file, (s) => s.subarray(0, s.length - 16 + tagLen)), key)).toMatchObject({ ok: false, code: 'VAULT_CORRUPT' });
    // The primitive itself refuses any tag that is not 16 bytes.
    expect(gcmOpen(enc, nonce, ct, shortTag, aad)).toBeNull();
    const full = gcmSeal(enc, PLAIN, aad);
    const n = full.subarray(0, 12);
    const c = full.subarray(12, full.length - 16);
    expect(gcmOpen(enc, n, c, full.subarray(full.length - 16), aad)?.equals(PLAIN)).toBe(true);
    expect(gcmOpen(enc, n, c, full.subarray(full.length - 16, full.length - 16 + tagLen), aad)).toBeNull();
  });

  it.each([
    ['N lowered', { N: 2 ** 10 }],
    ['r lowered', { r: 1 }],
    ['p zero', { p: 0 }],
    ['short salt', { salt: Buffer.alloc(8).toString('base64') }],
    ['unknown KDF', { name: 'pbkdf2' }],
  ])('a weakened KDF in the header is WEAK_KDF at parse time (%s), before any derivation', (_why, change) => {
    const { file } = sealed();
    const r = parseVault(editHeader(file, (h) => Object.assign(h.kdf as object, change)));
    expect(r).toMatchObject({ ok: false, code: 'WEAK_KDF' });
  });

  it.each([
    ['unknown version', (h: Record<string, unknown>) => (h.version = 2)],
    ['unknown header field', (h: Record<string, unknown>) => (h.extra = 1)],
    ['missing key_check', (h: Record<string, unknown>) => delete h.key_check],
    ['bad vault_id', (h: Record<string, unknown>) => (h.vault_id = 'zz')],
    ['absurd scrypt N', (h: Record<string, unknown>) => ((h.kdf as { N: number }).N = 2 ** 30)],
  ])('header problems are VAULT_CORRUPT: %s', (_why, edit) => {
    const { file } = sealed();
    expect(parseVault(editHeader(file, edit))).toMatchObject({ ok: false, code: 'VAULT_CORRUPT' });
  });

  it('bad magic, non-JSON header, extra lines, non-base64 body are VAULT_CORRUPT', () => {
    const { file } = sealed();
    const cases = [
      reseal(file, (l) => (l[0] = 'BLINDFILL-VAULX')),
      reseal(file, (l) => (l[1] = '{not json')),
      reseal(file, (l) => l.splice(2, 0, '{}')),
      reseal(file, (l) => (l[2] = `${l[2] ?? ''}*`)),
      Buffer.concat([file, Buffer.from('\n')]),
      Buffer.alloc(0),
    ];
    for (const c of cases) expect(parseVault(c)).toMatchObject({ ok: false, code: 'VAULT_CORRUPT' });
  });

  it('random mutations never open (property)', () => {
    const { file, key } = sealed();
    fc.assert(
      fc.property(fc.nat(file.length - 1), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const copy = Buffer.from(file);
        copy[i] = (copy[i] ?? 0) ^ x;
        const r = open(copy, key);
        return !r.ok && r.code === 'VAULT_CORRUPT' && !r.message.includes(CANARY);
      }),
      { numRuns: 500 },
    );
  });
});
