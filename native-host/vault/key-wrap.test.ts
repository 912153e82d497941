import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { passphraseKey, unwrapKey, wrapKey, wrapUnderPassphrase } from './key-wrap.js';

describe('key wrap', () => {
  it('unwraps only with the same key and vault id', () => {
    const master = randomBytes(32);
    const kek = randomBytes(32);
    const w = wrapKey(master, kek, 'v1');
    expect(w).not.toContain(master.toString('base64'));
    expect(unwrapKey(w, kek, 'v1')?.equals(master)).toBe(true);
    expect(unwrapKey(w, randomBytes(32), 'v1')).toBeNull();
    expect(unwrapKey(w, kek, 'v2')).toBeNull();
    expect(unwrapKey('AAAA', kek, 'v1')).toBeNull();
  });

  it('a passphrase-wrapped key comes back with that passphrase; another is BAD_PASSPHRASE', async () => {
    const master = randomBytes(32);
    const kdf = await wrapUnderPassphrase(master, Buffer.from('new pass'), 'vid');
    const ok = await passphraseKey(Buffer.from('new pass'), kdf, 'vid');
    expect(ok.ok && ok.value.equals(master)).toBe(true);
    const bad = await passphraseKey(Buffer.from('old pass'), kdf, 'vid');
    expect(!bad.ok && bad.code).toBe('BAD_PASSPHRASE');
  }, 30_000);
});
