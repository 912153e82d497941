import { describe, expect, it } from 'vitest';
import { checkKdfFloor, deriveKey, newScryptParams, SCRYPT_FLOOR, type ScryptParams } from './kdf.js';

const CANARY = 'CANARY-kdf-9f3c1e-passphrase';

describe('scrypt parameters', () => {
  it('newScryptParams uses the floor and a fresh 16-byte salt', () => {
    const a = newScryptParams();
    const b = newScryptParams();
    expect(a).toMatchObject({ name: 'scrypt', N: 2 ** 17, r: 8, p: 1 });
    expect(SCRYPT_FLOOR).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    expect(Buffer.from(a.salt, 'base64')).toHaveLength(16);
    expect(a.salt).not.toBe(b.salt);
    expect(checkKdfFloor(a)).toEqual({ ok: true, value: undefined });
  });

  it.each([
    ['N below 2^17', { N: 2 ** 16 }],
    ['r below 8', { r: 4 }],
    ['p below 1', { p: 0 }],
    ['salt below 16 bytes', { salt: Buffer.alloc(15, 1).toString('base64') }],
    ['salt not base64', { salt: '!!!!!!!!!!!!!!!!!!!!!!!!' }],
  ])('WEAK_KDF when %s', (_why, change) => {
    const r = checkKdfFloor({ ...newScryptParams(), ...change } as ScryptParams);
    expect(r).toMatchObject({ ok: false, code: 'WEAK_KDF' });
  });

  it('WEAK_KDF for an unknown KDF name; keychain references pass', () => {
    expect(checkKdfFloor({ name: 'pbkdf2' } as never)).toMatchObject({ ok: false, code: 'WEAK_KDF' });
    expect(checkKdfFloor({ name: 'keychain', service: 'blindfill', account: 'x' }).ok).toBe(true);
  });
});

describe('deriveKey', () => {
  it('derives a deterministic 32-byte key at the floor; salt and passphrase matter', async () => {
    const p = newScryptParams();
    const pass = Buffer.from(CANARY);
    const [k1, k2, k3] = await Promise.all([deriveKey(pass, p), deriveKey(pass, p), deriveKey(pass, newScryptParams())]);
    const k4 = await deriveKey(Buffer.from(`${CANARY}x`), p);
    expect(k1).toHaveLength(32);
    expect(k1.equals(k2)).toBe(true);
    expect(k1.equals(k3)).toBe(false);
    expect(k1.equals(k4)).toBe(false);
  });

  it('refuses parameters below the floor or absurdly expensive (a caller bug)', async () => {
    await expect(deriveKey(Buffer.from(CANARY), { ...newScryptParams(), N: 1024 })).rejects.toThrow(/below the floor/);
    await expect(deriveKey(Buffer.from(CANARY), { ...newScryptParams(), N: 2 ** 24 })).rejects.toThrow(/out of range/);
    await expect(deriveKey(Buffer.from(CANARY), { ...newScryptParams(), N: 2 ** 17 + 2 })).rejects.toThrow(/out of range/);
  });
});
