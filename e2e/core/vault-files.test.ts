/**
 * The vault file on disk through the real CLI: tampering, weak KDF, unsafe permissions,
 * symlinks and a loose socket directory each get a clear code, and nothing is rewritten.
 * A version-1 vault (written before format version 2) still opens and becomes version 2
 * on its next save.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openVault, parseVault } from '../../native-host/vault/format.js';
import { deriveKey } from '../../native-host/vault/kdf.js';
import { type Home, initVault, makeHome, PASS } from './cli.js';
import { editHeaderV2, sealVaultV1, splitV2 } from './vault-craft.js';

let home: Home;
let vaultPath: string;
beforeEach(async () => {
  home = makeHome();
  await initVault(home);
  await home.run(['add', '--json-stdin'], JSON.stringify({ label: 'a', password: 'CANARY-vault-pw' }));
  await home.run(['lock']);
  vaultPath = path.join(home.dir, 'vault.bfv');
});
afterEach(async () => {
  await home.stop();
});

async function unlockExpect(code: string) {
  const r = await home.run(['unlock', '--passphrase-stdin'], PASS);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(new RegExp(`^error ${code}: `));
  expect(r.stderr).not.toContain('CANARY-vault-pw');
}

/** Edit the header JSON and recompute the header's unkeyed digest, as an attacker would: only the AEAD can catch this. */
function rewriteHeader(edit: (h: Record<string, unknown>) => void) {
  fs.writeFileSync(vaultPath, editHeaderV2(fs.readFileSync(vaultPath), edit));
}

function versionOf(file: Buffer): number {
  const p = parseVault(file);
  if (!p.ok) throw new Error(`${p.code}: ${p.message}`);
  return p.value.header.version;
}

describe('damaged vault files', () => {
  it('truncated → VAULT_CORRUPT, file untouched', async () => {
    const full = fs.readFileSync(vaultPath);
    fs.writeFileSync(vaultPath, full.subarray(0, Math.floor(full.length / 2)));
    const before = fs.readFileSync(vaultPath);
    await unlockExpect('VAULT_CORRUPT');
    expect(fs.readFileSync(vaultPath).equals(before)).toBe(true);
  });

  it('cut inside the tag, or bytes appended → VAULT_CORRUPT, file untouched', async () => {
    const full = fs.readFileSync(vaultPath);
    for (const damaged of [full.subarray(0, full.length - 5), Buffer.concat([full, Buffer.from('\n')])]) {
      fs.writeFileSync(vaultPath, damaged);
      await unlockExpect('VAULT_CORRUPT');
      expect(fs.readFileSync(vaultPath).equals(damaged)).toBe(true);
    }
  });

  it('one flipped bit in the ciphertext → VAULT_CORRUPT (the passphrase is right: not BAD_PASSPHRASE)', async () => {
    const b = fs.readFileSync(vaultPath);
    const at = splitV2(b).bodyAt + 20; // inside the binary body, past the nonce
    b[at] = (b[at] ?? 0) ^ 0x10;
    fs.writeFileSync(vaultPath, b);
    await unlockExpect('VAULT_CORRUPT');
    expect(fs.readFileSync(vaultPath).equals(b)).toBe(true);
  });

  it('one flipped bit in the header → VAULT_CORRUPT', async () => {
    const b = fs.readFileSync(vaultPath);
    const at = b.indexOf('"credentials":') + 14;
    b[at] = (b[at] ?? 0) ^ 0x01;
    fs.writeFileSync(vaultPath, b);
    await unlockExpect('VAULT_CORRUPT');
  });

  it('header edited with its digest recomputed → refused by the AEAD', async () => {
    rewriteHeader((h) => {
      h.credentials = 99;
    });
    await unlockExpect('VAULT_CORRUPT');
  });

  it('KDF weakened in the header → WEAK_KDF before any key derivation', async () => {
    rewriteHeader((h) => {
      (h.kdf as { N: number }).N = 1024;
    });
    await unlockExpect('WEAK_KDF');
  });

  it('a backup of the previous version is kept beside the vault', async () => {
    expect(fs.existsSync(`${vaultPath}.bak`)).toBe(true);
  });
});

describe('version-1 vaults (written before format version 2)', () => {
  it('open with their passphrase, refuse a wrong one, and are saved as version 2 next time (the version-1 file kept as .bak)', async () => {
    // The same vault (id, KDF, key, contents) written by the version-1 writer.
    const v2 = parseVault(fs.readFileSync(vaultPath));
    if (!v2.ok || v2.value.header.kdf.name !== 'scrypt') throw new Error('unexpected vault');
    expect(v2.value.header.version).toBe(2);
    const { vault_id, kdf, credentials } = v2.value.header;
    const key = await deriveKey(Buffer.from(PASS), kdf);
    const plain = openVault(v2.value, key);
    if (!plain.ok) throw new Error(plain.message);
    const v1 = sealVaultV1({ vault_id, kdf, credentials }, plain.value, key);
    fs.writeFileSync(vaultPath, v1);
    expect(fs.statSync(vaultPath).mode & 0o777).toBe(0o600);
    expect(versionOf(v1)).toBe(1);

    const wrong = await home.run(['unlock', '--passphrase-stdin'], 'not the passphrase');
    expect(wrong.stderr).toMatch(/^error BAD_PASSPHRASE: /);
    expect((await home.run(['unlock', '--passphrase-stdin'], PASS)).code).toBe(0);
    const list = JSON.parse((await home.run(['list', '--json'])).stdout) as { credentials: { label: string }[] };
    expect(list.credentials.map((c) => c.label)).toEqual(['a']);
    // Unlocking does not write.
    expect(fs.readFileSync(vaultPath).equals(v1)).toBe(true);

    expect((await home.run(['add', '--json-stdin'], JSON.stringify({ label: 'b', password: 'CANARY-vault-pw-2' }))).code).toBe(0);
    const after = fs.readFileSync(vaultPath);
    expect(versionOf(after)).toBe(2);
    expect(after.includes('CANARY-vault-pw')).toBe(false);
    expect(fs.readFileSync(`${vaultPath}.bak`).equals(v1)).toBe(true);
    await home.run(['lock']);
    expect((await home.run(['unlock', '--passphrase-stdin'], PASS)).code).toBe(0);
    const again = JSON.parse((await home.run(['list', '--json'])).stdout) as { credentials: { label: string }[] };
    expect(again.credentials.map((c) => c.label).sort()).toEqual(['a', 'b']);
  });

  it('a damaged version-1 vault → VAULT_CORRUPT, file untouched', async () => {
    const v2 = parseVault(fs.readFileSync(vaultPath));
    if (!v2.ok || v2.value.header.kdf.name !== 'scrypt') throw new Error('unexpected vault');
    const { vault_id, kdf, credentials } = v2.value.header;
    const v1 = sealVaultV1({ vault_id, kdf, credentials }, Buffer.from('{"version":1,"credentials":[]}'), await deriveKey(Buffer.from(PASS), kdf));
    const lines = v1.toString('latin1').split('\n');
    const at = (lines[0]?.length ?? 0) + (lines[1]?.length ?? 0) + 2 + 10; // inside the base64 body
    v1[at] = v1[at] === 0x41 ? 0x42 : 0x41;
    fs.writeFileSync(vaultPath, v1);
    await unlockExpect('VAULT_CORRUPT');
    expect(fs.readFileSync(vaultPath).equals(v1)).toBe(true);
  });
});

describe('unsafe files and directories', () => {
  it('vault with mode 0644 → INSECURE_PERMISSIONS, mode not "repaired"', async () => {
    fs.chmodSync(vaultPath, 0o644);
    await unlockExpect('INSECURE_PERMISSIONS');
    expect(fs.statSync(vaultPath).mode & 0o777).toBe(0o644);
  });

  it('vault that is a symlink → INSECURE_PERMISSIONS', async () => {
    const real = path.join(path.dirname(home.dir), 'elsewhere.bfv');
    fs.renameSync(vaultPath, real);
    fs.symlinkSync(real, vaultPath);
    await unlockExpect('INSECURE_PERMISSIONS');
    expect(fs.lstatSync(vaultPath).isSymbolicLink()).toBe(true);
  });

  it('socket directory with loose permissions → the daemon refuses to start', async () => {
    await home.stop();
    home = makeHome();
    fs.mkdirSync(path.join(home.dir, 'run'), { recursive: true, mode: 0o700 });
    fs.chmodSync(home.dir, 0o700);
    fs.chmodSync(path.join(home.dir, 'run'), 0o755);
    const r = await home.run(['status', '--json']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error INSECURE_PERMISSIONS: /);
    expect(fs.statSync(path.join(home.dir, 'run')).mode & 0o777).toBe(0o755);
  });

  it('home directory readable by others → refused', async () => {
    await home.stop();
    home = makeHome();
    fs.mkdirSync(home.dir, { recursive: true });
    fs.chmodSync(home.dir, 0o755);
    const r = await home.run(['init', '--passphrase-stdin'], PASS);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error INSECURE_PERMISSIONS: /);
  });
});
