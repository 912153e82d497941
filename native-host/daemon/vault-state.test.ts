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
