/**
 * Keychain mode's recovery copy of the key, through the real CLI, daemon and a real
 * Secret Service (gnome-keyring on a private D-Bus): init says how to keep one; export
 * writes it only after the person types "export" on a terminal, to a new 0600 file, never
 * to the screen; after the keychain loses the key, import puts it back (only a key that
 * opens this vault) and unlock works again.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KeyringSession, startKeyringSession } from '../harness/keyring.js';
import { BIN, makeHome, ROOT } from './cli.js';

let session: KeyringSession;
beforeAll(async () => {
  session = await startKeyringSession();
});
afterAll(async () => {
  await session?.stop();
});

function drive(env: NodeJS.ProcessEnv, args: string[], steps: Array<[string, string]>): { code: number; screen: string } {
  const spec = JSON.stringify({ argv: [process.execPath, BIN, ...args], steps });
  const r = spawnSync('python3', [path.join(ROOT, 'e2e/core/pty-driver.py'), spec], { env, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`pty driver failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { code: number; screen: string };
  return { code: out.code, screen: Buffer.from(out.screen, 'base64').toString('utf8') };
}

describe('keychain recovery', () => {
  it('export after confirmation only, to a 0600 file; import restores a lost key; a wrong key is refused', async () => {
    const home = makeHome({ DBUS_SESSION_BUS_ADDRESS: session.env.DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR: session.env.XDG_RUNTIME_DIR });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-recovery-'));
    try {
      const init = await home.run(['init', '--keychain']);
      expect(init.code).toBe(0);
      expect(init.stdout).toContain('keep a recovery copy offline: blindfill recovery export --out FILE');
      expect((await home.run(['add', '--json-stdin'], JSON.stringify({ label: 'k1', password: 'CANARY-recovery-pw' }))).code).toBe(0);
      const vaultId = /created vault ([0-9a-f]+) /.exec(init.stdout)![1]!;
      const file = path.join(dir, 'recovery.txt');

      // Without a terminal to confirm on: refused, nothing written.
      const piped = await home.run(['recovery', 'export', '--out', file]);
      expect(piped.stderr).toMatch(/^error INVALID_REQUEST: recovery export asks you to confirm on a terminal/);
      expect(fs.existsSync(file)).toBe(false);
      // Not confirmed: nothing written.
      const no = drive(home.env, ['recovery', 'export', '--out', file], [['Type "export"', 'no']]);
      expect(no.code).not.toBe(0);
      expect(no.screen).toMatch(/error DENIED: not confirmed; nothing was written/);
      expect(fs.existsSync(file)).toBe(false);

      const yes = drive(home.env, ['recovery', 'export', '--out', file], [['Type "export"', 'export']]);
      expect(yes.code).toBe(0);
      expect(yes.screen).toMatch(/Anyone with that file and your vault file can open every credential/);
      expect(yes.screen).toContain(`wrote the recovery key of vault ${vaultId} to ${file} (mode 0600)`);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const text = fs.readFileSync(file, 'utf8');
      const key = /^key: ([0-9a-f-]+)$/m.exec(text)![1]!;
      expect(key.replace(/-/g, '')).toMatch(/^[0-9a-f]{64}$/);
      // The key is never on the screen, in a log or in the home.
      expect(yes.screen).not.toContain(key);
      expect(yes.screen).not.toContain(key.replace(/-/g, ''));
      expect(home.readLogs()).not.toContain(key.replace(/-/g, ''));
      // An existing file is never overwritten.
      const again = drive(home.env, ['recovery', 'export', '--out', file], [['Type "export"', 'export']]);
      expect(again.screen).toMatch(/error WRITE_FAILED: cannot create .*EEXIST/);

      // The keychain loses the key: unlock fails.
      await home.run(['lock']);
      const clear = spawnSync('secret-tool', ['clear', 'service', 'blindfill', 'username', vaultId], { env: { ...process.env, ...session.env } });
      expect(clear.status).toBe(0);
      expect((await home.run(['unlock'])).stderr).toMatch(/^error KEYCHAIN_UNAVAILABLE: /);

      // A key that does not open this vault is refused.
      const wrong = path.join(dir, 'wrong.txt');
      fs.writeFileSync(wrong, text.replace(/^key: .*$/m, `key: ${'ab'.repeat(32)}`), { mode: 0o600 });
      const bad = await home.run(['recovery', 'import', wrong]);
      expect(bad.stderr).toMatch(/^error BAD_PASSPHRASE: the recovery key does not open the vault/);

      const imp = await home.run(['recovery', 'import', '-'], text);
      expect(imp.stderr).toBe('');
      expect(imp.stdout).toBe(`the key of vault ${vaultId} is back in the OS keychain; blindfill unlock opens it\n`);
      expect((await home.run(['unlock'])).code).toBe(0);
      expect(JSON.parse((await home.run(['list', '--json'])).stdout).credentials.map((c: { label: string }) => c.label)).toEqual(['k1']);
    } finally {
      await home.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a passphrase vault has no key to export: its passphrase is the recovery', async () => {
    const home = makeHome();
    try {
      expect((await home.run(['init', '--passphrase-stdin'], 'correct horse battery staple')).code).toBe(0);
      const r = await home.run(['recovery', 'export', '--out', '/tmp/never-written']);
      expect(r.stderr).toMatch(/^error INVALID_REQUEST: this vault is protected by a passphrase, which is its recovery/);
    } finally {
      await home.stop();
    }
  });
});
