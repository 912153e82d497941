/**
 * Row 3c (save) and row 4 (unlock).
 *
 * Save runs blindfill's own code in this process: sealVault + writeVaultAtomic of the
 * vault plaintext, against a plain open/write/fsync/close of the same bytes in the same
 * directory. The daemon's VaultState.write also runs serialize() first; that is timed
 * apart and reported (with the seal / write split) in the row's extra.
 *
 * Unlock goes through the real daemon over its socket (no CLI process start): `lock`, then
 * `unlock {passphrase}` timed; against crypto.scrypt in this process with the vault's
 * parameters (N=2^17, r=8, p=1, maxmem 256 MiB, 16-byte salt, 32-byte key).
 */
import { randomBytes, scrypt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { normalizeCredential } from '../../shared/credential.js';
import { hold, serialize } from '../../native-host/daemon/secret-credential.js';
import { newVaultId, sealVault } from '../../native-host/vault/format.js';
import { newScryptParams } from '../../native-host/vault/kdf.js';
import { writeVaultAtomic } from '../../native-host/vault/store.js';
import { DaemonSocket, type Home, PASSPHRASE } from '../lib/home.js';
import { alternate, measuredRow, type Row } from '../lib/row.js';
import { stats } from '../lib/stats.js';

export function fsTypeOf(dir: string): string {
  try {
    const mounts = fs.readFileSync('/proc/self/mounts', 'utf8').trim().split('\n').map((l) => l.split(' '));
    const real = fs.realpathSync(dir);
    let best = { mp: '', type: 'unknown' };
    for (const [, mp, type] of mounts) if (mp && type && (real === mp || real.startsWith(mp.endsWith('/') ? mp : `${mp}/`)) && mp.length > best.mp.length) best = { mp, type };
    return best.type;
  } catch {
    return 'unknown';
  }
}

/** The vault plaintext blindfill would seal for these credentials (the daemon's serialize). */
export function vaultPlaintext(creds: Record<string, unknown>[]): Buffer {
  return serialize(heldOf(creds));
}

function heldOf(creds: Record<string, unknown>[]) {
  return creds.map((c) => {
    const r = normalizeCredential(c as never);
    if (!r.ok) throw new Error(`bad bench credential: ${r.message}`);
    return hold(r.value);
  });
}

export async function saveRow(creds: Record<string, unknown>[], n: number): Promise<Row> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-bench-save-'));
  try {
    const dir = path.join(base, 'vault');
    fs.mkdirSync(dir, { mode: 0o700 });
    const vaultFile = path.join(dir, 'vault.bfv');
    const plainFile = path.join(dir, 'plain.bin');
    const held = heldOf(creds);
    const key = randomBytes(32);
    const header = { format: 'blindfill-vault' as const, vault_id: newVaultId(), kdf: newScryptParams(), credentials: held.length };
    let lastBytes: Buffer = Buffer.alloc(0);
    const serializeMs: number[] = [];
    const sealMs: number[] = [];
    const writeMs: number[] = [];
    const plaintextOf = () => {
      const t0 = performance.now();
      const p = serialize(held);
      serializeMs.push(performance.now() - t0);
      return p;
    };
    // The row: sealVault + writeVaultAtomic of the plaintext (as issue #11 defines "save").
    // The daemon's serialize() of the credentials runs before it on every save: it is
    // timed separately, outside the row's figure, and reported in extra.
    const save = async () => {
      const plaintext = plaintextOf();
      const t0 = performance.now();
      const bytes = sealVault(header, plaintext, key);
      const t1 = performance.now();
      const r = writeVaultAtomic(vaultFile, bytes);
      const t2 = performance.now();
      sealMs.push(t1 - t0);
      writeMs.push(t2 - t1);
      const ms = t2 - t0;
      plaintext.fill(0);
      if (!r.ok) throw new Error(`writeVaultAtomic: ${r.message}`);
      lastBytes = bytes;
      return ms;
    };
    const plain = async () => {
      const bytes = lastBytes;
      const t0 = performance.now();
      const fd = fs.openSync(plainFile, 'w', 0o600);
      try {
        let off = 0;
        while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      return performance.now() - t0;
    };
    await save(); // the baseline writes the bytes of a real save
    await alternate(Math.min(3, n), save, plain);
    serializeMs.length = 0;
    sealMs.length = 0;
    writeMs.length = 0;
    const { a, b } = await alternate(n, save, plain);
    return measuredRow({
      id: '3c',
      name: `scale: save a ${held.length.toLocaleString('en')}-credential vault (atomic, durable)`,
      unit: 'ms',
      blindfill: { what: 'sealVault + writeVaultAtomic', samples: a },
      baseline: { what: 'open + write + fsync + close, same bytes', samples: b },
      target: 2,
      extra: {
        vault_bytes: lastBytes.length,
        filesystem: fsTypeOf(dir),
        serialize_median_ms: Number(stats(serializeMs).median.toFixed(2)),
        seal_median_ms: Number(stats(sealMs).median.toFixed(2)),
        write_atomic_median_ms: Number(stats(writeMs).median.toFixed(2)),
      },
    });
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

function rawScrypt(pass: Buffer, salt: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    scrypt(pass, salt, 32, { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 }, (err) => (err ? reject(err) : resolve(performance.now() - t0)));
  });
}

export async function unlockRow(home: Home, n: number, credentials: number, extraHome?: { home: Home; credentials: number }): Promise<Row> {
  const sock = await DaemonSocket.connect(home.socketPath());
  try {
    const pass = Buffer.from(PASSPHRASE, 'utf8');
    const salt = randomBytes(16);
    const unlock = (s: DaemonSocket) => async () => {
      await s.must({ op: 'lock' });
      const { ms } = await s.must({ op: 'unlock', passphrase: PASSPHRASE });
      return ms;
    };
    await alternate(1, unlock(sock), () => rawScrypt(pass, salt));
    const { a, b } = await alternate(n, unlock(sock), () => rawScrypt(pass, salt));
    let extra: Record<string, number> | undefined;
    if (extraHome) {
      const big = await DaemonSocket.connect(extraHome.home.socketPath());
      try {
        const samples: number[] = [];
        for (let i = 0; i < Math.max(1, Math.min(n, 3)); i++) samples.push(await unlock(big)());
        samples.sort((x, y) => x - y);
        extra = { [`unlock_with_${extraHome.credentials}_credentials_median_ms`]: Number(samples[Math.floor(samples.length / 2)]!.toFixed(1)) };
      } finally {
        big.close();
      }
    }
    return measuredRow({
      id: '4',
      name: `unlock: KDF through the daemon (${credentials} credentials)`,
      unit: 'ms',
      blindfill: { what: 'daemon `unlock` request over the socket', samples: a },
      baseline: { what: 'crypto.scrypt N=2^17 r=8 p=1, in-process', samples: b },
      target: 1.1,
      ...(extra ? { extra } : {}),
    });
  } finally {
    sock.close();
  }
}
