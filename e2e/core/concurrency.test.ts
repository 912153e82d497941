/**
 * The daemon is the only writer and serializes writes: 8 processes adding 25 credentials
 * each at the same time all land; a daemon killed with SIGKILL (100 times) in the middle of saves
 * always leaves a vault that opens and holds the old or the new content.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Connection } from '../../native-host/ipc/connection.js';
import { connectDaemon } from '../../native-host/ipc/client.js';
import { resolvePaths } from '../../native-host/paths.js';
import { openVault, parseVault } from '../../native-host/vault/format.js';
import { deriveKey } from '../../native-host/vault/kdf.js';
import { alive, BIN, type Home, initVault, makeHome, PASS } from './cli.js';

let home: Home;
beforeEach(async () => {
  home = makeHome();
  await initVault(home);
});
afterEach(async () => {
  await home.stop();
});

function worker(n: number): Promise<number> {
  // One OS process per worker, each running 25 separate `blindfill add` commands.
  const script = `for i in $(seq 1 25); do printf '{"label":"w${n}-%s","password":"p"}' "$i" | "${process.execPath}" "${BIN}" add --json-stdin >/dev/null || exit 1; done`;
  return new Promise((resolve) => {
    const c = spawn('sh', ['-c', script], { env: home.env, stdio: 'ignore' });
    c.on('close', (code) => resolve(code ?? 1));
  });
}

describe('concurrent writers', () => {
  it('8 processes × 25 adds at once → all 200 present', async () => {
    const codes = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(worker));
    expect(codes).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    const list = JSON.parse((await home.run(['list', '--json'])).stdout) as { credentials: { label: string }[] };
    expect(list.credentials).toHaveLength(200);
    // And they survive a restart of the daemon: they are on disk, not only in memory.
    await home.run(['lock']);
    expect((await home.run(['unlock', '--passphrase-stdin'], PASS)).code).toBe(0);
    const again = JSON.parse((await home.run(['list', '--json'])).stdout) as { credentials: unknown[] };
    expect(again.credentials).toHaveLength(200);
  });
});

describe('crash during saves', () => {
  it('kill -9 at 100 random points during saves (100 or more): the vault always opens, old or new content', async () => {
    const paths = resolvePaths(home.env);
    const vaultPath = paths.vault;
    const parsed0 = parseVault(fs.readFileSync(vaultPath));
    if (!parsed0.ok || parsed0.value.header.kdf.name !== 'scrypt') throw new Error('unexpected vault');
    // The salt never changes, so one derivation serves every check below.
    const key = await deriveKey(Buffer.from(PASS), parsed0.value.header.kdf);
    const countOnDisk = (): number => {
      const p = parseVault(fs.readFileSync(vaultPath));
      if (!p.ok) throw new Error(`vault does not parse: ${p.code}`);
      const plain = openVault(p.value, key);
      if (!plain.ok) throw new Error(`vault does not open: ${plain.code}`);
      return (JSON.parse(plain.value.toString('utf8')) as { credentials: unknown[] }).credentials.length;
    };

    let acked = 0;
    let kills = 0;
    let n = 0;
    while (kills < 100) {
      const conn = await connectDaemon({ paths, autostart: true, selfCommand: [process.execPath, BIN] });
      if (!(conn instanceof Connection)) throw new Error(`${conn.message}\n${fs.readFileSync(paths.daemonLog, 'utf8').slice(-2000)}`);
      const un = await conn.request({ op: 'unlock', passphrase: PASS }, 30_000);
      expect(un.ok).toBe(true);
      const pid = home.daemonPid();
      expect(pid).not.toBeNull();
      // Keep saving until the daemon dies under us.
      let dead = false;
      const saving = (async () => {
        while (!dead) {
          const r = await conn.request({ op: 'add', credentials: [{ label: `c${n}`, password: 'x' }] }, 10_000);
          if (!r.ok) break;
          n += 1;
          acked += 1;
        }
      })();
      await new Promise((r) => setTimeout(r, 2 + Math.random() * 25));
      process.kill(pid!, 'SIGKILL');
      dead = true;
      kills += 1;
      await saving;
      conn.close();
      for (let i = 0; i < 100 && alive(pid!); i++) await new Promise((r) => setTimeout(r, 5));
      const onDisk = countOnDisk();
      // Every acknowledged save is durable; at most the one in flight may also have landed.
      expect(onDisk === acked || onDisk === acked + 1, `on disk ${onDisk}, acknowledged ${acked}`).toBe(true);
      if (onDisk === acked + 1) {
        acked += 1;
        n += 1;
      }
      // No temp files are left to pile up beyond the one a crash may strand.
      const temps = fs.readdirSync(path.dirname(vaultPath)).filter((f) => f.includes('.tmp-'));
      expect(temps.length).toBeLessThanOrEqual(kills);
    }
    expect(acked).toBeGreaterThanOrEqual(100);
    key.fill(0);
  }, 600_000);
});
