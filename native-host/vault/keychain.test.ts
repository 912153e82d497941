import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryKeyStore } from './keychain.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const hasSecretService = ['dbus-run-session', 'gnome-keyring-daemon'].every((b) => spawnSync('sh', ['-c', `command -v ${b}`]).status === 0);

/**
 * Runs the real adapter (bundled from TypeScript) against @napi-rs/keyring, and
 * cross-checks the stored encoding through @napi-rs/keyring directly. Prints only
 * booleans, codes and messages: never the key.
 */
const CHILD_SRC = `
import { randomBytes } from 'node:crypto';
import { Entry } from '@napi-rs/keyring';
import { osKeyStore } from './keychain.ts';
const [mode, service] = process.argv.slice(2);
const out = (x) => process.stdout.write(JSON.stringify(x) + '\\n');
const direct = (account) => new Entry(service, account, { linux: { store: 'secret-service' } });
const ks = osKeyStore(service);
if (mode === 'roundtrip') {
  const key = randomBytes(32);
  const set = ks.set('vault-a', key);
  const stored = direct('vault-a').getPassword();
  const got = ks.get('vault-a');
  const removed = ks.remove('vault-a');
  const after = ks.get('vault-a');
  const removedAgain = ks.remove('vault-a');
  const missing = ks.get('never-set');
  direct('vault-b').setPassword('not a key');
  const bad = ks.get('vault-b');
  direct('vault-b').deleteCredential();
  const fromDirect = randomBytes(32);
  direct('vault-c').setPassword(fromDirect.toString('base64'));
  const c = ks.get('vault-c');
  ks.remove('vault-c');
  out({
    set, removed, removedAgain, bad,
    storedIsBase64: stored === key.toString('base64'),
    got: got.ok && got.value.equals(key),
    after: after.ok && after.value === null,
    missing: missing.ok && missing.value === null,
    readsDirect: c.ok && c.value.equals(fromDirect),
  });
}
if (mode === 'unavailable') {
  const key = randomBytes(32);
  const results = {};
  for (const [name, op] of [['get', () => ks.get('x')], ['set', () => ks.set('x', key)], ['remove', () => ks.remove('x')]]) {
    try { results[name] = op(); } catch (e) { results[name] = { threw: String(e) }; }
  }
  const text = JSON.stringify(results);
  out({ results, leaked: text.includes(key.toString('base64')) || text.includes(key.toString('hex')) });
}
`;

let tmp: string;
let childJs: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-keychain-'));
  childJs = path.join(tmp, 'keychain-child.cjs');
  buildSync({
    stdin: { contents: CHILD_SRC, resolveDir: HERE, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: childJs,
    external: ['@napi-rs/keyring'],
    logLevel: 'silent',
  });
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function child(cmd: string, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8', timeout: 60_000, env: { ...env, NODE_PATH: path.join(REPO, 'node_modules') } });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (!line) throw new Error(`child produced no result (status ${r.status}): ${r.stderr.slice(0, 500)}`);
  return JSON.parse(line) as Record<string, unknown>;
}

describe('osKeyStore', () => {
  it.runIf(hasSecretService)('stores, reads back and removes a key in a real Secret Service (gnome-keyring)', () => {
    const service = `blindfill-test-${process.pid}`;
    const node = `"${process.execPath}" "${childJs}" roundtrip ${service}`;
    const out = child(`dbus-run-session -- sh -c 'echo -n PASS | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec ${node}'`, process.env);
    expect(out).toMatchObject({
      set: { ok: true },
      removed: { ok: true },
      removedAgain: { ok: true },
      storedIsBase64: true,
      got: true,
      after: true,
      missing: true,
      readsDirect: true,
      bad: { ok: false, code: 'VAULT_CORRUPT' },
    });
  });

  it('returns KEYCHAIN_UNAVAILABLE (never throws, never echoes the key) when no Secret Service is reachable', () => {
    const out = child(`exec "${process.execPath}" "${childJs}" unavailable blindfill-test`, {
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(tmp, 'no-such-bus')}`,
    });
    expect(out.leaked).toBe(false);
    for (const op of ['get', 'set', 'remove']) {
      const r = (out.results as Record<string, { ok: boolean; code: string; message: string }>)[op];
      expect(r, op).toMatchObject({ ok: false, code: 'KEYCHAIN_UNAVAILABLE' });
      expect(r?.message).toMatch(/^no OS keychain \(Secret Service\) is reachable: .+; use 'blindfill init --passphrase-stdin' instead$/);
    }
  });
});

describe('memoryKeyStore', () => {
  it('stores copies: get/set/remove, and callers cannot alias the stored key', () => {
    const ks = memoryKeyStore();
    const key = Buffer.alloc(32, 7);
    expect(ks.get('a')).toEqual({ ok: true, value: null });
    expect(ks.set('a', key).ok).toBe(true);
    key.fill(0);
    const got = ks.get('a');
    expect(got.ok && got.value?.equals(Buffer.alloc(32, 7))).toBe(true);
    if (got.ok) got.value?.fill(1);
    const again = ks.get('a');
    expect(again.ok && again.value?.equals(Buffer.alloc(32, 7))).toBe(true);
    expect(ks.remove('a').ok).toBe(true);
    expect(ks.remove('a').ok).toBe(true);
    expect(ks.get('a')).toEqual({ ok: true, value: null });
    expect(() => ks.set('b', Buffer.alloc(16))).toThrow();
  });
});
