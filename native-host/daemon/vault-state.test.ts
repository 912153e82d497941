import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolvePaths } from '../paths.js';
import { parseVault } from '../vault/format.js';
import { memoryKeyStore } from '../vault/keychain.js';
import { VaultState } from './vault-state.js';

let dir: string;
let state: VaultState;
const store = memoryKeyStore();
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-vs-'));
  const paths = resolvePaths({ BLINDFILL_HOME: path.join(dir, 'home') });
  state = new VaultState({ paths, keyStore: () => store, onKey: () => undefined });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('VaultState', () => {
  it('lock zeroes every secret Buffer it held', async () => {
    expect((await state.init('keychain', undefined)).ok).toBe(true);
    expect(state.add([{ label: 'a', username: 'alice', password: 'CANARY-pw', totp: 'JBSWY3DPEHPK3PXP' }]).ok).toBe(true);
    const held = state.get('a');
    if (!held.ok) throw new Error('missing');
    const bufs = [held.value.username!, held.value.password!, held.value.totp!.secret];
    expect(bufs.every((b) => b.some((x) => x !== 0))).toBe(true);
    state.lock();
    expect(bufs.every((b) => b.every((x) => x === 0))).toBe(true);
    expect(state.get('a').ok).toBe(false);
  });

  it('a failed write leaves memory equal to disk', async () => {
    expect((await state.init('keychain', undefined)).ok).toBe(true);
    expect(state.add([{ label: 'a', password: 'p' }]).ok).toBe(true);
    // Sabotage the save (works even as root): the vault's path becomes a non-empty directory.
    const vault = path.join(dir, 'home', 'vault.bfv');
    const aside = `${vault}.aside`;
    fs.renameSync(vault, aside);
    fs.mkdirSync(path.join(vault, 'x'), { recursive: true });
    const r = state.add([{ label: 'b', password: 'q' }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('WRITE_FAILED');
    const l = state.list();
    expect(l.ok && l.value.map((c) => c.label)).toEqual(['a']);
  });

  it('a replaced or removed credential has its Buffers zeroed', async () => {
    expect((await state.init('keychain', undefined)).ok).toBe(true);
    state.add([{ label: 'a', password: 'first' }]);
    const first = state.get('a');
    if (!first.ok) throw new Error('missing');
    const pw = first.value.password!;
    expect(state.remove('a').ok).toBe(true);
    expect(pw.every((x) => x === 0)).toBe(true);
  });

  it('reopens from disk with the same content', async () => {
    expect((await state.init('keychain', undefined)).ok).toBe(true);
    state.add([{ label: 'a', username: 'u', password: 'p', origins: ['https://x.example'] }]);
    state.lock();
    const r = await state.unlock(undefined);
    expect(r.ok && r.value.credentials).toBe(1);
    const l = state.list();
    expect(l.ok && l.value[0]).toMatchObject({ label: 'a', origins: ['https://x.example'], has_username: true, has_password: true });
  });

  it('each save records the audit log\'s last entry in the authenticated header, and unlock hands it back', async () => {
    const paths = resolvePaths({ BLINDFILL_HOME: path.join(dir, 'home2') });
    let last: { seq: number; mac: string } | null = null;
    const bound: Array<{ seq: number; mac: string } | null> = [];
    const keys: Array<{ seq: number; mac: string } | null> = [];
    const s = new VaultState({
      paths,
      keyStore: () => store,
      onKey: (k, _id, anchor) => {
        k.fill(0);
        keys.push(anchor);
      },
      auditAnchor: { current: () => last, saved: (a) => bound.push(a) },
    });
    expect((await s.init('keychain', undefined)).ok).toBe(true);
    const header = () => {
      const p = parseVault(fs.readFileSync(paths.vault));
      if (!p.ok) throw new Error(p.message);
      return p.value.header;
    };
    expect(header().audit).toBeUndefined();
    last = { seq: 4, mac: 'a'.repeat(64) };
    expect(s.add([{ label: 'a', password: 'pw' }]).ok).toBe(true);
    expect(header().audit).toEqual({ seq: 4, mac: 'a'.repeat(64) });
    // The log cannot say (unreadable): the binding stays, never moves back.
    last = null;
    expect(s.remove('a').ok).toBe(true);
    expect(header().audit).toEqual({ seq: 4, mac: 'a'.repeat(64) });
    last = { seq: 2, mac: 'b'.repeat(64) };
    expect(s.add([{ label: 'b', password: 'pw' }]).ok).toBe(true);
    expect(header().audit).toEqual({ seq: 4, mac: 'a'.repeat(64) });
    expect(bound.at(-1)).toEqual({ seq: 4, mac: 'a'.repeat(64) });
    s.lock();
    expect((await s.unlock(undefined)).ok).toBe(true);
    expect(keys.at(-1)).toEqual({ seq: 4, mac: 'a'.repeat(64) });
    s.lock();
  });
});

describe('VaultState passphrase checks and key changes', () => {
  const P = Buffer.from('pass one');
  const Q = Buffer.from('pass two');
  let clock = 1_000_000;
  const make = () => new VaultState({ paths: resolvePaths({ BLINDFILL_HOME: path.join(dir, 'home') }), keyStore: () => store, onKey: () => undefined, now: () => clock });

  it('unlock while unlocked checks the passphrase; wrong guesses are throttled after three, a right one resets', async () => {
    const s = make();
    expect((await s.init('passphrase', P)).ok).toBe(true);
    expect((await s.unlock(P)).ok).toBe(true);
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await s.unlock(Buffer.from(`wrong ${i}`));
      codes.push(r.ok ? 'ok' : r.code);
    }
    expect(codes).toEqual(['BAD_PASSPHRASE', 'BAD_PASSPHRASE', 'BAD_PASSPHRASE', 'RATE_LIMITED']);
    // Even the right one waits.
    const limited = await s.unlock(P);
    expect(!limited.ok && limited.code).toBe('RATE_LIMITED');
    clock += 1000;
    expect((await s.verifyPassphrase(P)).ok).toBe(true);
    expect((await s.unlock(Buffer.from('wrong again'))).ok).toBe(false);
    expect((await s.unlock(P)).ok).toBe(true);
  }, 60_000);

  it('changeKey: a new passphrase opens the same content, the old does not; to the keychain and back', async () => {
    const s = make();
    expect((await s.init('passphrase', P)).ok).toBe(true);
    s.add([{ label: 'a', password: 'CANARY' }]);
    expect((await s.changeKey(Buffer.from('nope'), 'passphrase', Q)).ok).toBe(false);
    expect((await s.changeKey(P, 'passphrase', Q)).ok).toBe(true);
    expect((await s.verifyPassphrase(Q)).ok).toBe(true);
    s.lock();
    expect((await s.unlock(P)).ok).toBe(false);
    expect((await s.unlock(Q)).ok).toBe(true);
    expect((await s.changeKey(Q, 'keychain', undefined)).ok).toBe(true);
    expect(s.keyMode).toBe('keychain');
    s.lock();
    expect((await s.unlock(undefined)).ok).toBe(true);
    expect((await s.changeKey(undefined, 'passphrase', P)).ok).toBe(true);
    s.lock();
    expect((await s.unlock(P)).ok).toBe(true);
    const l = s.list();
    expect(l.ok && l.value.map((c) => c.label)).toEqual(['a']);
  }, 60_000);

  it('rename keeps the secrets and refuses a taken label', async () => {
    const s = make();
    expect((await s.init('keychain', undefined)).ok).toBe(true);
    s.add([{ label: 'a', password: 'p' }, { label: 'b' }]);
    const taken = s.rename('a', 'b');
    expect(!taken.ok && taken.code).toBe('DUPLICATE_LABEL');
    expect(s.rename('a', 'c').ok).toBe(true);
    s.lock();
    await s.unlock(undefined);
    const c = s.get('c');
    expect(c.ok && c.value.password?.toString()).toBe('p');
    expect(s.get('a').ok).toBe(false);
  });
});
