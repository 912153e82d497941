import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assembleV2, editHeaderV2, resealV1, sealVaultV1, splitV2 } from '../../e2e/core/vault-craft.js';
import type { Result } from '../../shared/errors.js';
import { auditKey, gcmOpen, gcmSeal, newVaultId, openVault, parseVault, type SealHeader, sealVault } from './format.js';
import { deriveKey, newScryptParams, type KdfParams } from './kdf.js';

const CANARY = 'CANARY-vault-5be2a7-hunter2';
const PLAIN = Buffer.from(JSON.stringify({ credentials: [{ label: 'github-personal', password: CANARY }] }));

function header(kdf: KdfParams = newScryptParams()): SealHeader {
  return { format: 'blindfill-vault', vault_id: newVaultId(), kdf, credentials: 1 };
}

function encKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'blindfill vault v1 enc+check', 64)).subarray(0, 32);
}

function open(file: Buffer, key: Buffer): Result<Buffer> {
  const p = parseVault(file);
  return p.ok ? openVault(p.value, key) : p;
}

function expectNoCanary(r: Result<unknown>): void {
  if (!r.ok) expect(r.message).not.toContain(CANARY);
}

/**
 * A version-2 file with its body replaced (`edit` of nonce || ciphertext || tag), the
 * header's body_bytes set to the new length and the header digest recomputed: only the
 * AEAD can refuse it.
 */
function editBodyV2(file: Buffer, edit: (sealedBytes: Buffer) => Buffer): Buffer {
  const { header: line, body } = splitV2(file);
  const next = edit(Buffer.from(body));
  const h = JSON.parse(line) as Record<string, unknown>;
  h.body_bytes = next.length;
  return assembleV2(JSON.stringify(h), next);
}

function editBodyV1(file: Buffer, edit: (sealedBytes: Buffer) => Buffer): Buffer {
  return resealV1(file, (lines) => {
    lines[2] = edit(Buffer.from(lines[2] ?? '', 'base64')).toString('base64');
  });
}

function editHeaderV1(file: Buffer, edit: (h: Record<string, unknown>) => void): Buffer {
  return resealV1(file, (lines) => {
    const h = JSON.parse(lines[1] ?? '') as Record<string, unknown>;
    edit(h);
    lines[1] = JSON.stringify(h);
  });
}

/** Each file version, with how to write one and how to edit it as an attacker would. */
const VERSIONS = [
  {
    version: 2,
    seal: (h: SealHeader, plain: Buffer, key: Buffer) => sealVault(h, plain, key),
    editHeader: editHeaderV2,
    editBody: editBodyV2,
    /** Where each part starts: magic, header, header digest, body. */
    regions: (file: Buffer) => {
      const { bodyAt } = splitV2(file);
      const headerAt = 16;
      return [0, headerAt, file.indexOf(0x0a, headerAt) + 1, bodyAt];
    },
  },
  {
    version: 1,
    seal: (h: SealHeader, plain: Buffer, key: Buffer) => sealVaultV1(h, plain, key),
    editHeader: editHeaderV1,
    editBody: editBodyV1,
    /** Where each line starts: magic, header, base64 body, digest. */
    regions: (file: Buffer) => {
      const starts = [0];
      for (let i = 0; i < 3; i++) starts.push(file.indexOf(0x0a, starts[i] ?? 0) + 1);
      return starts;
    },
  },
] as const;

describe('vault format round trip (version 2, what every save writes)', () => {
  it('seals and opens with a scrypt-derived key: magic, header, header digest, then exactly body_bytes of binary body', async () => {
    const kdf = newScryptParams();
    const key = await deriveKey(Buffer.from('correct horse'), kdf);
    const file = sealVault({ ...header(kdf), saved_at: '2024-01-02T03:04:05.000Z' }, PLAIN, key);
    const { header: line, body, bodyAt } = splitV2(file);
    const lines = file.subarray(0, bodyAt).toString('utf8').split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('BLINDFILL-VAULT');
    expect(lines[1]).toBe(line);
    expect(lines[2]).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(lines[3]).toBe('');
    expect(body).toHaveLength(12 + PLAIN.length + 16);
    expect(JSON.parse(line)).toMatchObject({ version: 2, body_bytes: body.length });
    expect(Object.keys(JSON.parse(line) as object)).toEqual(['format', 'version', 'vault_id', 'kdf', 'credentials', 'saved_at', 'body_bytes', 'key_check']);
    // The header digest is the same as the test's own recomputation.
    expect(assembleV2(line, body).equals(file)).toBe(true);
    expect(file.includes(CANARY)).toBe(false);
    expect(file.toString('base64')).not.toContain(Buffer.from(CANARY).toString('base64'));
    const parsed = parseVault(file);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.value.header).toMatchObject({ format: 'blindfill-vault', version: 2, credentials: 1, kdf, saved_at: '2024-01-02T03:04:05.000Z', body_bytes: body.length });
    expect(parsed.value.headerBytes.toString()).toBe(line);
    const opened = openVault(parsed.value, key);
    expect(opened.ok && opened.value.equals(PLAIN)).toBe(true);
  });

  it('round-trips arbitrary plaintexts, the empty one included (property)', () => {
    const key = randomBytes(32);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        const r = open(sealVault(header(), Buffer.from(bytes), key), key);
        return r.ok && r.value.equals(Buffer.from(bytes));
      }),
      { numRuns: 200 },
    );
    const empty = open(sealVault(header(), Buffer.alloc(0), key), key);
    expect(empty.ok && empty.value.length).toBe(0);
  });

  it('round-trips plaintexts around the 64 KiB encryption pieces', () => {
    const key = randomBytes(32);
    for (const size of [1, 65_535, 65_536, 65_537, 131_072, 200_000]) {
      const bytes = randomBytes(size);
      const r = open(sealVault(header(), bytes, key), key);
      expect(r.ok && r.value.equals(bytes), `size ${size}`).toBe(true);
    }
  });

  it('works for keychain vaults', () => {
    const key = randomBytes(32);
    const file = sealVault(header({ name: 'keychain', service: 'blindfill', account: 'abc' }), PLAIN, key);
    const r = open(file, key);
    expect(r.ok && r.value.equals(PLAIN)).toBe(true);
  });

  it('a large vault (1.6 MB) round-trips and is 1.6 MB plus the header, not 4/3 of it', () => {
    const key = randomBytes(32);
    const big = randomBytes(1_600_000);
    const file = sealVault(header(), big, key);
    expect(file.length - splitV2(file).bodyAt).toBe(big.length + 28);
    expect(file.length).toBeLessThan(big.length + 1024);
    const r = open(file, key);
    expect(r.ok && r.value.equals(big)).toBe(true);
  });

  it('refuses to seal a header below the KDF floor, with a bad vault id, count or date, also right after a good save of the same vault', () => {
    const key = randomBytes(32);
    expect(() => sealVault({ ...header(), kdf: { ...newScryptParams(), N: 2 ** 10 } }, PLAIN, key)).toThrow(/sealVault/);
    expect(() => sealVault({ ...header(), vault_id: 'zz' }, PLAIN, key)).toThrow(/sealVault/);
    // Saves of one vault skip re-checking its id and KDF once they passed: a change to
    // either (even in place) is checked again.
    const h = header();
    expect(open(sealVault(h, PLAIN, key), key).ok).toBe(true);
    expect(() => sealVault({ ...h, credentials: -1 }, PLAIN, key)).toThrow(/sealVault/);
    expect(() => sealVault({ ...h, credentials: 1.5 }, PLAIN, key)).toThrow(/sealVault/);
    expect(() => sealVault({ ...h, saved_at: 'yesterday' }, PLAIN, key)).toThrow(/sealVault/);
    expect(() => sealVault({ ...h, format: 'other' as 'blindfill-vault' }, PLAIN, key)).toThrow(/sealVault/);
    expect(open(sealVault(h, PLAIN, key), key).ok).toBe(true);
    (h.kdf as { N: number }).N = 2 ** 10;
    expect(() => sealVault(h, PLAIN, key)).toThrow(/below the floor|sealVault/);
    (h.kdf as { N: number }).N = 2 ** 17;
    (h.kdf as { salt: string }).salt = 'not base64!';
    expect(() => sealVault(h, PLAIN, key)).toThrow(/sealVault/);
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
    const enc = encKey(key);
    const aad = Buffer.from('{}');
    for (let i = 0; i < 990_000; i++) nonces.add(gcmSeal(enc, tiny, aad).toString('latin1', 0, 12));
    // And through the full sealVault path (the nonce is the first 12 bytes of the body).
    const h = { ...header(), saved_at: '2024-01-01T00:00:00.000Z' };
    for (let i = 0; i < 10_000; i++) nonces.add(splitV2(sealVault(h, tiny, key)).body.toString('latin1', 0, 12));
    expect(nonces.size).toBe(1_000_000);
  });
});

/** A version-1 vault written by the version-1 `sealVault` (blindfill before format version 2). */
const V1_FIXTURE = {
  key: Buffer.from('6b1f0c2a9d4e7f30b5a8c1d2e3f405162738495a6b7c8d9eafb0c1d2e3f40516', 'hex'),
  plaintext:
    '{"version":1,"credentials":[{"label":"github-personal","username":"octo","password":"CANARY-vault-5be2a7-hunter2","origins":["https://github.com"],"windows":[],"policy":"auto"}]}',
  file: [
    'BLINDFILL-VAULT',
    '{"format":"blindfill-vault","version":1,"vault_id":"0123456789abcdef0123456789abcdef","kdf":{"name":"keychain","service":"blindfill","account":"0123456789abcdef0123456789abcdef"},"credentials":1,"saved_at":"2026-11-01T12:00:00.000Z","key_check":"X5bxku8GRWKQuKl4UeHSKuV6PilfALmLoPw/+hFt9so="}',
    'avUQwA7k1jrsnvH2vzEMa0nolsHfh1c/8aLLu6iGYZINBlYFBTbeERSMyAP65IHABA97a/+tEpJBBNzZsnL4aD8b78oF7EHUAArfW/cwzslNrirUen1bEXjciA13daEdPPF0Jcm+lVMGnyl8LwGY2Bsuh91ud6ky+Shm9QNitHVDLG/oCeMdUx0oMgGtNocT9H8920izuDi1tB3oPnfmHztEyFHoa/Etb1hR8y2aywxhVfd6uazBbSCRK/fzdS25CF+wEEo0ITG1s+dUuDE=',
    'sha256:389437397a354a5981613b30b8ac79449522cac70d7d4d07b4504d41ce773955',
    '',
  ].join('\n'),
};

describe('version-1 files (existing vaults) still open', () => {
  it('opens a file written by the version-1 writer', () => {
    const file = Buffer.from(V1_FIXTURE.file, 'latin1');
    const parsed = parseVault(file);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.value.header).toEqual({
      format: 'blindfill-vault',
      version: 1,
      vault_id: '0123456789abcdef0123456789abcdef',
      kdf: { name: 'keychain', service: 'blindfill', account: '0123456789abcdef0123456789abcdef' },
      credentials: 1,
      saved_at: '2026-11-01T12:00:00.000Z',
      key_check: 'X5bxku8GRWKQuKl4UeHSKuV6PilfALmLoPw/+hFt9so=',
    });
    const r = openVault(parsed.value, V1_FIXTURE.key);
    expect(r.ok && r.value.toString('utf8')).toBe(V1_FIXTURE.plaintext);
    expect(openVault(parsed.value, randomBytes(32))).toMatchObject({ ok: false, code: 'BAD_PASSPHRASE' });
  });

  it("the tests' version-1 writer reproduces that file byte for byte", () => {
    const file = Buffer.from(V1_FIXTURE.file, 'latin1');
    const parsed = parseVault(file);
    if (!parsed.ok) throw new Error(parsed.message);
    const { vault_id, kdf, credentials, saved_at } = parsed.value.header;
    const again = sealVaultV1({ vault_id, kdf, credentials, saved_at }, Buffer.from(V1_FIXTURE.plaintext), V1_FIXTURE.key, parsed.value.sealed.subarray(0, 12));
    expect(again.toString('latin1')).toBe(V1_FIXTURE.file);
  });

  it('a version-1 vault saved again is version 2, same id, key and contents', () => {
    const parsed = parseVault(Buffer.from(V1_FIXTURE.file, 'latin1'));
    if (!parsed.ok) throw new Error(parsed.message);
    const plain = openVault(parsed.value, V1_FIXTURE.key);
    if (!plain.ok) throw new Error(plain.message);
    const { format, vault_id, kdf, credentials } = parsed.value.header;
    const v2 = sealVault({ format, vault_id, kdf, credentials }, plain.value, V1_FIXTURE.key);
    const p2 = parseVault(v2);
    if (!p2.ok) throw new Error(p2.message);
    expect(p2.value.header).toMatchObject({ version: 2, vault_id, kdf, credentials, key_check: parsed.value.header.key_check });
    const r = openVault(p2.value, V1_FIXTURE.key);
    expect(r.ok && r.value.toString('utf8')).toBe(V1_FIXTURE.plaintext);
  });
});

describe.each(VERSIONS)('tampering and damage (version $version)', (v) => {
  const sealed = (key = randomBytes(32)) => ({ key, file: v.seal(header(), PLAIN, key) });

  it('every truncation is VAULT_CORRUPT at parse time, before any key', () => {
    const { file } = sealed();
    for (let len = 0; len < file.length; len++) {
      const r = parseVault(file.subarray(0, len));
      expect(r, `length ${len}`).toMatchObject({ ok: false, code: 'VAULT_CORRUPT' });
      expectNoCanary(r);
    }
  });

  it('every single bit flip (magic, header, digest, body) is VAULT_CORRUPT', () => {
    const { file, key } = sealed();
    const starts = v.regions(file);
    const regions = new Set<number>();
    for (let i = 0; i < file.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const copy = Buffer.from(file);
        copy[i] = (copy[i] ?? 0) ^ (1 << bit);
        const r = open(copy, key);
        expect(r.ok, `byte ${i} bit ${bit}`).toBe(false);
        if (!r.ok) expect(r.code, `byte ${i} bit ${bit}: ${r.message}`).toBe('VAULT_CORRUPT');
        expectNoCanary(r);
      }
      regions.add(starts.filter((s) => s <= i).length);
    }
    expect([...regions].sort()).toEqual([1, 2, 3, 4]);
  });

  it('an edited header with its check recomputed fails GCM: VAULT_CORRUPT', () => {
    const { file, key } = sealed();
    for (const edit of [
      (h: Record<string, unknown>) => (h.credentials = 7),
      (h: Record<string, unknown>) => (h.saved_at = '2001-01-01T00:00:00.000Z'),
      (h: Record<string, unknown>) => ((h.kdf as { salt: string }).salt = randomBytes(16).toString('base64')),
    ]) {
      const tampered = v.editHeader(file, edit);
      expect(parseVault(tampered).ok).toBe(true);
      const r = open(tampered, key);
      expect(r).toMatchObject({ ok: false, code: 'VAULT_CORRUPT' });
      expectNoCanary(r);
    }
  });

  it('an edited nonce, ciphertext or tag with the checks recomputed: VAULT_CORRUPT', () => {
    const { file, key } = sealed();
    for (const at of [0, 11, 12, 20, -17, -16, -1]) {
      const tampered = v.editBody(file, (s) => {
        const c = Buffer.from(s);
        const i = at < 0 ? c.length + at : at;
        c[i] = (c[i] ?? 0) ^ 0x01;
        return c;
      });
      expect(parseVault(tampered).ok, `offset ${at}`).toBe(true);
      const r = open(tampered, key);
      expect(r, `offset ${at}`).toMatchObject({ ok: false, code: 'VAULT_CORRUPT' });
      expectNoCanary(r);
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
    const enc = encKey(key);
    const file = v.seal(header(), PLAIN, key);
    // A short tag computed correctly, over the header it ends up in (whose length field,
    // in version 2, counts the short body).
    const nonce = randomBytes(12);
    const withShortTag = (aad: Buffer) => {
      const cipher = createCipheriv('aes-256-gcm', enc, nonce, { authTagLength: tagLen });
      cipher.setAAD(aad);
      const ct = Buffer.concat([cipher.update(PLAIN), cipher.final()]);
      const tag = cipher.getAuthTag();
      expect(tag).toHaveLength(tagLen);
      return Buffer.concat([nonce, ct, tag]);
    };
    let tampered: Buffer;
    if (v.version === 2) {
      const h = JSON.parse(splitV2(file).header) as Record<string, unknown>;
      h.body_bytes = 12 + PLAIN.length + tagLen;
      const line = JSON.stringify(h);
      tampered = assembleV2(line, withShortTag(Buffer.from(line)));
    } else {
      const aad = Buffer.from(file.toString('latin1').split('\n')[1] ?? '', 'latin1');
      tampered = v.editBody(file, () => withShortTag(aad));
    }
    expect(open(tampered, key)).toMatchObject({ ok: false, code: 'VAULT_CORRUPT' });
    // ...and so is a truncated tag of a real seal, its length recorded.
    expect(open(v.editBody(file, (s) => s.subarray(0, s.length - 16 + tagLen)), key)).toMatchObject({ ok: false, code: 'VAULT_CORRUPT' });
  });

  it.each([
    ['N lowered', { N: 2 ** 10 }],
    ['r lowered', { r: 1 }],
    ['p zero', { p: 0 }],
    ['short salt', { salt: Buffer.alloc(8).toString('base64') }],
    ['unknown KDF', { name: 'pbkdf2' }],
  ])('a weakened KDF in the header is WEAK_KDF at parse time (%s), before any derivation', (_why, change) => {
    const { file } = sealed();
    const r = parseVault(v.editHeader(file, (h) => Object.assign(h.kdf as object, change)));
    expect(r).toMatchObject({ ok: false, code: 'WEAK_KDF' });
  });

  it.each([
    ['unknown version', (h: Record<string, unknown>) => (h.version = 3)],
    ['the other version', (h: Record<string, unknown>) => (h.version = v.version === 1 ? 2 : 1)],
    ['unknown header field', (h: Record<string, unknown>) => (h.extra = 1)],
    ['missing key_check', (h: Record<string, unknown>) => delete h.key_check],
    ['bad vault_id', (h: Record<string, unknown>) => (h.vault_id = 'zz')],
    ['absurd scrypt N', (h: Record<string, unknown>) => ((h.kdf as { N: number }).N = 2 ** 30)],
  ])('header problems are VAULT_CORRUPT: %s', (_why, edit) => {
    const { file } = sealed();
    expect(parseVault(v.editHeader(file, edit))).toMatchObject({ ok: false, code: 'VAULT_CORRUPT' });
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

describe('version 2: lengths and layout', () => {
  const key = randomBytes(32);
  const file = sealVault(header(), PLAIN, key);
  const { header: line, body, bodyAt } = splitV2(file);

  it('appended bytes are VAULT_CORRUPT at parse time', () => {
    for (const extra of ['\n', 'x', '\0', 'sha256:00', randomBytes(16).toString('latin1'), '\n'.repeat(100)]) {
      const r = parseVault(Buffer.concat([file, Buffer.from(extra, 'latin1')]));
      expect(r, JSON.stringify(extra)).toMatchObject({ ok: false, code: 'VAULT_CORRUPT' });
      if (!r.ok) expect(r.message).toMatch(/unexpected bytes after the body/);
    }
  });

  it('truncated inside the body, the nonce and the tag: VAULT_CORRUPT naming both lengths', () => {
    for (const keep of [0, 1, 11, 12, 13, body.length - 17, body.length - 16, body.length - 8, body.length - 1]) {
      const r = parseVault(file.subarray(0, bodyAt + keep));
      expect(r, `keep ${keep}`).toMatchObject({ ok: false, code: 'VAULT_CORRUPT', message: expect.stringContaining(`body is ${keep} bytes, the header says ${body.length}`) });
    }
  });

  it('body_bytes edited (digest recomputed) to disagree with the file: VAULT_CORRUPT at parse time', () => {
    for (const n of [body.length - 1, body.length + 1, 28, 0, -1, 1.5, '100', null]) {
      const r = parseVault(editHeaderV2(file, (h) => (h.body_bytes = n)));
      expect(r, String(n)).toMatchObject({ ok: false, code: 'VAULT_CORRUPT' });
    }
    expect(parseVault(editHeaderV2(file, (h) => delete h.body_bytes))).toMatchObject({ ok: false, code: 'VAULT_CORRUPT' });
  });

  it('a file cut and its length field made to match is refused by the AEAD', () => {
    const r = open(
      editBodyV2(file, (s) => s.subarray(0, s.length - 5)),
      key,
    );
    expect(r).toMatchObject({ ok: false, code: 'VAULT_CORRUPT' });
  });

  it('header damage is VAULT_CORRUPT even with a wrong key (not BAD_PASSPHRASE); body damage with a wrong key is BAD_PASSPHRASE', () => {
    const wrong = randomBytes(32);
    const headerAt = 16 + 30;
    const h = Buffer.from(file);
    h[headerAt] = (h[headerAt] ?? 0) ^ 0x02;
    expect(open(h, wrong)).toMatchObject({ ok: false, code: 'VAULT_CORRUPT' });
    const b = Buffer.from(file);
    b[bodyAt + 20] = (b[bodyAt + 20] ?? 0) ^ 0x02;
    expect(open(b, wrong)).toMatchObject({ ok: false, code: 'BAD_PASSPHRASE' });
    expect(open(b, key)).toMatchObject({ ok: false, code: 'VAULT_CORRUPT' });
  });

  it('bad magic, non-JSON header, a missing or malformed digest line, a version-1 body in a version-2 file: VAULT_CORRUPT', () => {
    const digestAt = file.indexOf(0x0a, 16) + 1;
    const cases = [
      Buffer.concat([Buffer.from('BLINDFILL-VAULX\n'), file.subarray(16)]),
      assembleV2('{not json', body),
      assembleV2(`${line}\n{}`, body),
      Buffer.concat([file.subarray(0, digestAt), body]),
      Buffer.concat([file.subarray(0, digestAt), Buffer.from('sha256:'), file.subarray(digestAt + 7, bodyAt - 1), body]),
      Buffer.concat([file.subarray(0, digestAt), Buffer.from('SHA256:'), file.subarray(digestAt + 7)]),
      Buffer.concat([file.subarray(0, bodyAt), Buffer.from(`${body.toString('base64')}\n`)]),
      Buffer.alloc(0),
    ];
    for (const [i, c] of cases.entries()) expect(parseVault(c), `case ${i}`).toMatchObject({ ok: false, code: 'VAULT_CORRUPT' });
  });

  it('the GCM primitive itself refuses any tag that is not 16 bytes', () => {
    const enc = encKey(key);
    const aad = Buffer.from(line);
    const full = gcmSeal(enc, PLAIN, aad);
    const n = full.subarray(0, 12);
    const c = full.subarray(12, full.length - 16);
    expect(gcmOpen(enc, n, c, full.subarray(full.length - 16), aad)?.equals(PLAIN)).toBe(true);
    for (const len of [0, 4, 8, 12, 15]) expect(gcmOpen(enc, n, c, full.subarray(full.length - 16, full.length - 16 + len), aad)).toBeNull();
    expect(gcmOpen(enc, n.subarray(0, 8), c, full.subarray(full.length - 16), aad)).toBeNull();
  });
});

describe('version 1: layout', () => {
  it('bad magic, non-JSON header, extra lines, a non-base64 body, a trailing newline: VAULT_CORRUPT', () => {
    const file = sealVaultV1(header(), PLAIN, randomBytes(32));
    const cases = [
      resealV1(file, (l) => (l[0] = 'BLINDFILL-VAULX')),
      resealV1(file, (l) => (l[1] = '{not json')),
      resealV1(file, (l) => l.splice(2, 0, '{}')),
      resealV1(file, (l) => (l[2] = `${l[2] ?? ''}*`)),
      Buffer.concat([file, Buffer.from('\n')]),
    ];
    for (const [i, c] of cases.entries()) expect(parseVault(c), `case ${i}`).toMatchObject({ ok: false, code: 'VAULT_CORRUPT' });
  });
});
