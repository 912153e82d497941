/**
 * The vault file on disk through the real CLI: tampering, weak KDF, unsafe permissions,
 * symlinks and a loose socket directory each get a clear code, and nothing is rewritten.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Home, initVault, makeHome, PASS } from './cli.js';

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

function rewriteHeader(edit: (h: Record<string, unknown>) => void, fixDigest: boolean) {
  const text = fs.readFileSync(vaultPath, 'utf8');
  const lines = text.split('\n');
  const h = JSON.parse(lines[1]!);
  edit(h);
  lines[1] = JSON.stringify(h);
  if (fixDigest) {
    // Recompute the unkeyed digest as an attacker would: only the AEAD can catch this.
    lines[3] = `sha256:${createHash('sha256').update(`${lines.slice(0, 3).join('\n')}\n`).digest('hex')}`;
  }
  fs.writeFileSync(vaultPath, lines.join('\n'));
}

describe('damaged vault files', () => {
  it('truncated → VAULT_CORRUPT, file untouched', async () => {
    const full = fs.readFileSync(vaultPath);
    fs.writeFileSync(vaultPath, full.subarray(0, Math.floor(full.length / 2)));
    const before = fs.readFileSync(vaultPath);
    await unlockExpect('VAULT_CORRUPT');
    expect(fs.readFileSync(vaultPath).equals(before)).toBe(true);
  });

  it('one flipped bit in the ciphertext → VAULT_CORRUPT', async () => {
    const b = fs.readFileSync(vaultPath);
    const lines = b.toString('utf8').split('\n');
    const at = lines[0]!.length + lines[1]!.length + 2 + 10; // inside the base64 body
    b[at] = b[at] === 0x41 ? 0x42 : 0x41;
    fs.writeFileSync(vaultPath, b);
    await unlockExpect('VAULT_CORRUPT');
  });

  it('header edited with the digest recomputed → refused by the AEAD', async () => {
    rewriteHeader((h) => {
      h.credentials = 99;
    }, true);
    await unlockExpect('VAULT_CORRUPT');
  });

  it('KDF weakened in the header → WEAK_KDF before any key derivation', async () => {
    rewriteHeader((h) => {
      (h.kdf as { N: number }).N = 1024;
    }, true);
    await unlockExpect('WEAK_KDF');
  });

  it('a backup of the previous version is kept beside the vault', async () => {
    expect(fs.existsSync(`${vaultPath}.bak`)).toBe(true);
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
