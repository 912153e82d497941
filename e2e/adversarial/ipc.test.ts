/**
 * The daemon socket is unreachable for other local users: home and run directory 0700,
 * socket 0600, and a real connection attempt from another uid fails with EACCES.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Home, initVault, makeHome } from '../core/cli.js';

let home: Home;
beforeAll(async () => {
  home = makeHome();
  await initVault(home);
});
afterAll(async () => {
  await home?.stop();
});

describe('daemon socket permissions', () => {
  it('home 0700, run dir 0700, socket 0600, all ours', () => {
    const uid = process.getuid!();
    for (const [p, mode] of [
      [home.dir, 0o700],
      [path.join(home.dir, 'run'), 0o700],
      [path.join(home.dir, 'run', 'daemon.sock'), 0o600],
    ] as const) {
      const st = fs.statSync(p);
      expect(st.uid, p).toBe(uid);
      expect(st.mode & 0o777, p).toBe(mode);
    }
  });

  it('another uid cannot connect, even with every parent directory open to it', () => {
    if (process.getuid!() !== 0) {
      // Only root can become another user here; the modes above are then the whole proof.
      expect(fs.statSync(path.join(home.dir, 'run')).mode & 0o077).toBe(0);
      return;
    }
    // Open the temp parent so that only blindfill's own 0700 directories stand in the way.
    fs.chmodSync(path.dirname(home.dir), 0o755);
    const sock = path.join(home.dir, 'run', 'daemon.sock');
    const script = `require('net').createConnection(${JSON.stringify(sock)}).on('connect',()=>{console.log('CONNECTED');process.exit(0)}).on('error',e=>{console.log(e.code);process.exit(0)})`;
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', script], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('EACCES');
    // And as ourselves the same call does connect: the refusal is the permissions, not a typo.
    const me = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(me.stdout.trim()).toBe('CONNECTED');
  });
});
