/**
 * `blindfill passwd` (CONTRACT §7) through the real CLI and daemon: the old passphrase
 * stops opening the vault and the new one opens it with every credential; a wrong old one
 * changes nothing; the audit chain stays verifiable; a daemon killed with SIGKILL at any
 * point of a change leaves a vault that one of the two passphrases opens. And the key's
 * move to the OS keychain and back (a real gnome-keyring).
 */
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ScryptParams } from '../../native-host/vault/kdf.js';
import { openVault, parseVault } from '../../native-host/vault/format.js';
import { passphraseKey } from '../../native-host/vault/key-wrap.js';
import { type KeyringSession, startKeyringSession } from '../harness/keyring.js';
import { alive, type Home, initVault, makeHome, PASS } from './cli.js';

const NEW = 'a new and longer passphrase 2';
const CANARY_PW = 'CANARY-passwd-pw-7!';

let home: Home;
const vaultPath = () => `${home.dir}/vault.bfv`;
const labels = async () => (JSON.parse((await home.run(['list', '--json'])).stdout) as { credentials: Array<{ label: string }> }).credentials.map((c) => c.label);

async function unlockWith(pass: string) {
  await home.run(['lock']);
  return home.run(['unlock', '--passphrase-stdin'], pass);
}

/** Which of the passphrases opens the vault file on disk (checked here, not by the daemon). */
async function opensWith(candidates: string[]): Promise<string | null> {
  const p = parseVault(fs.readFileSync(vaultPath()));
  if (!p.ok) throw new Error(`vault does not parse: ${p.code}`);
  const kdf = p.value.header.kdf as ScryptParams;
  for (const c of candidates) {
    const k = await passphraseKey(Buffer.from(c), kdf, p.value.header.vault_id);
    if (!k.ok) continue;
    const plain = openVault(p.value, k.value);
    k.value.fill(0);
    if (plain.ok) {
      const n = (JSON.parse(plain.value.toString('utf8')) as { credentials: unknown[] }).credentials.length;
      plain.value.fill(0);
      if (n !== 2) throw new Error(`the vault opened with ${n} credentials, not 2`);
      return c;
    }
  }
  return null;
}

describe('passwd', () => {
  beforeEach(async () => {
    home = makeHome();
    await initVault(home);
    const add = await home.run(['add', '--json-stdin'], JSON.stringify([{ label: 'a', password: CANARY_PW }, { label: 'b', username: 'u' }]));
    expect(add.code).toBe(0);
  });
  afterEach(async () => {
    await home.stop();
  });

  it('old then new on stdin: the old passphrase no longer opens the vault, the new one does, with every credential', async () => {
    const r = await home.run(['passwd'], `${PASS}\n${NEW}\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('passphrase changed\n');
    expect(JSON.parse((await home.run(['status', '--json'])).stdout)).toMatchObject({ vault: 'unlocked', key_mode: 'passphrase' });

    const old = await unlockWith(PASS);
    expect(old.stderr).toMatch(/^error BAD_PASSPHRASE: /);
    const ok = await unlockWith(NEW);
    expect(ok.code).toBe(0);
    expect(await labels()).toEqual(['a', 'b']);
    // The same audit chain goes on (the vault key is kept; only its protection changed).
    const v = await home.run(['audit', 'verify']);
    expect(v.code).toBe(0);
    expect(home.readLogs()).toMatch(/"event":"passwd"/);
    for (const secret of [PASS, NEW, CANARY_PW]) {
      expect(r.stdout + r.stderr + home.readLogs()).not.toContain(secret);
    }
    // And it changes again, back from the new one.
    expect((await home.run(['passwd'], `${NEW}\n${PASS}\n`)).code).toBe(0);
    expect((await unlockWith(NEW)).code).not.toBe(0);
    expect((await unlockWith(PASS)).code).toBe(0);
  });

  it('works on a locked vault and leaves it locked', async () => {
    await home.run(['lock']);
    const r = await home.run(['passwd'], `${PASS}\n${NEW}\n`);
    expect(r.code).toBe(0);
    expect(JSON.parse((await home.run(['status', '--json'])).stdout)).toMatchObject({ vault: 'locked' });
    expect((await home.run(['unlock', '--passphrase-stdin'], NEW)).code).toBe(0);
  });

  it('a wrong old passphrase: BAD_PASSPHRASE, the file is not rewritten; one line only: INVALID_REQUEST', async () => {
    const before = fs.readFileSync(vaultPath());
    const r = await home.run(['passwd'], `not the passphrase\n${NEW}\n`);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error BAD_PASSPHRASE: /);
    expect(r.stderr).not.toContain(NEW);
    const one = await home.run(['passwd'], `${PASS}\n`);
    expect(one.stderr).toMatch(/^error INVALID_REQUEST: /);
    expect(fs.readFileSync(vaultPath()).equals(before)).toBe(true);
    expect((await unlockWith(PASS)).code).toBe(0);
  });

  it('kill -9 at random points during passwd: the vault always opens with the old or the new passphrase', async () => {
    let current = PASS;
    const seen = new Set<string>();
    for (let i = 0; i < 14; i++) {
      const next = current === PASS ? NEW : PASS;
      const up = await home.run(['status', '--json']);
      expect(up.code).toBe(0);
      const pid = home.daemonPid();
      expect(pid).not.toBeNull();
      const running = home.run(['passwd'], `${current}\n${next}\n`);
      // Two scrypt derivations (about a second each here) and the write: spread the kills over all of it.
      await new Promise((r) => setTimeout(r, (i * 211) % 2600));
      process.kill(pid!, 'SIGKILL');
      await running;
      for (let j = 0; j < 200 && alive(pid!); j++) await new Promise((r) => setTimeout(r, 10));
      const opens = await opensWith([current, next]);
      expect(opens, `round ${i}: neither passphrase opens the vault`).not.toBeNull();
      seen.add(opens === current ? 'old' : 'new');
      current = opens!;
      const temps = fs.readdirSync(home.dir).filter((f) => f.includes('.tmp-'));
      expect(temps.length).toBeLessThanOrEqual(i + 1);
    }
    // The daemon, started again, agrees with the file.
    expect((await home.run(['unlock', '--passphrase-stdin'], current)).code).toBe(0);
    expect(await labels()).toEqual(['a', 'b']);
    // Kills landed both before and after the new file (else the test proved little).
    expect([...seen].sort()).toEqual(['new', 'old']);
  }, 300_000);
});

describe('passwd to the OS keychain and back', () => {
  let session: KeyringSession;
  beforeAll(async () => {
    session = await startKeyringSession();
  });
  afterAll(async () => {
    await session?.stop();
  });

  it('--to-keychain (current passphrase on stdin), then --to-passphrase (new one on stdin)', async () => {
    home = makeHome({ DBUS_SESSION_BUS_ADDRESS: session.env.DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR: session.env.XDG_RUNTIME_DIR });
    try {
      await initVault(home);
      expect((await home.run(['add', '--json-stdin'], JSON.stringify({ label: 'k', password: CANARY_PW }))).code).toBe(0);
      const wrong = await home.run(['passwd', '--to-keychain'], 'nope\n');
      expect(wrong.stderr).toMatch(/^error BAD_PASSPHRASE: /);

      const to = await home.run(['passwd', '--to-keychain'], `${PASS}\n`);
      expect(to.stderr).toBe('');
      expect(to.code).toBe(0);
      await home.run(['lock']);
      expect(JSON.parse((await home.run(['status', '--json'])).stdout)).toMatchObject({ vault: 'locked', key_mode: 'keychain' });
      expect((await home.run(['unlock'])).code).toBe(0);
      expect(await labels()).toEqual(['k']);
      // The old passphrase opens nothing now: the file no longer has one.
      expect((await home.run(['passwd'], `${PASS}\n${NEW}\n`)).stderr).toMatch(/^error INVALID_REQUEST: .*--to-passphrase/);

      const back = await home.run(['passwd', '--to-passphrase'], `${NEW}\n`);
      expect(back.stderr).toBe('');
      expect(back.code).toBe(0);
      expect(JSON.parse((await home.run(['status', '--json'])).stdout)).toMatchObject({ vault: 'unlocked', key_mode: 'passphrase' });
      expect((await unlockWith(PASS)).stderr).toMatch(/^error BAD_PASSPHRASE: /);
      expect((await unlockWith(NEW)).code).toBe(0);
      expect(await labels()).toEqual(['k']);
      expect((await home.run(['audit', 'verify'])).code).toBe(0);
      expect(home.readLogs()).not.toContain(CANARY_PW);
    } finally {
      await home.stop();
    }
  });
});
