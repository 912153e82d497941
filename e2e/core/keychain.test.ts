/**
 * `init --keychain` against a real gnome-keyring inside its own D-Bus session, and the
 * clear refusal when no Secret Service is running.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KeyringSession, startKeyringSession } from '../harness/keyring.js';
import { makeHome, PASS } from './cli.js';

let session: KeyringSession;
beforeAll(async () => {
  session = await startKeyringSession();
});
afterAll(async () => {
  await session?.stop();
});

describe('keychain mode', () => {
  it('creates, locks, unlocks without a passphrase, and survives a daemon restart', async () => {
    const home = makeHome({
      DBUS_SESSION_BUS_ADDRESS: session.env.DBUS_SESSION_BUS_ADDRESS,
      XDG_RUNTIME_DIR: session.env.XDG_RUNTIME_DIR,
    });
    try {
      const init = await home.run(['init', '--keychain']);
      expect(init.stderr).toBe('');
      expect(init.code).toBe(0);
      const add = await home.run(['add', '--json-stdin'], JSON.stringify({ label: 'k1', password: 'CANARY-keychain-pw' }));
      expect(add.code).toBe(0);
      const st = JSON.parse((await home.run(['status', '--json'])).stdout);
      expect(st).toMatchObject({ vault: 'unlocked', credentials: 1, key_mode: 'keychain' });

      // Restart the daemon: the key comes back from the keychain, not from any file.
      await home.run(['lock']);
      const pid = home.daemonPid();
      if (pid !== null) process.kill(pid, 'SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      const un = await home.run(['unlock']);
      expect(un.stderr).toBe('');
      expect(un.code).toBe(0);
      const list = JSON.parse((await home.run(['list', '--json'])).stdout);
      expect(list.credentials.map((c: { label: string }) => c.label)).toEqual(['k1']);

      // No key file on disk: nothing in the home is 32 bytes of key or its base64.
      const files = fs.readdirSync(home.dir);
      expect(files.filter((f) => /key/i.test(f))).toEqual([]);
      expect(home.readLogs()).not.toContain('CANARY-keychain-pw');
    } finally {
      await home.stop();
    }
  });

  it('no Secret Service → KEYCHAIN_UNAVAILABLE naming the passphrase alternative', async () => {
    const home = makeHome({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/blindfill-bus' });
    try {
      const r = await home.run(['init', '--keychain']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/^error KEYCHAIN_UNAVAILABLE: .*--passphrase-stdin/);
      expect(fs.existsSync(`${home.dir}/vault.bfv`)).toBe(false);
      // The passphrase path works alone on the same machine.
      const p = await home.run(['init', '--passphrase-stdin'], PASS);
      expect(p.code).toBe(0);
    } finally {
      await home.stop();
    }
  });
});
