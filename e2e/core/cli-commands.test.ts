/**
 * The contract's command table (CONTRACT §3) through the real CLI and a real daemon, and
 * every bad input issue #2 lists: a clear `error CODE:` line, exit non-zero, nothing lost.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Home, initVault, makeHome, PASS } from './cli.js';

const CANARY_PW = 'CANARY-pw-Zq9"<&>\'\\%+/=';
const CANARY_SEED = 'JBSWY3DPEHPK3PXPCANARYQQ';

let home: Home;
beforeEach(() => {
  home = makeHome();
});
afterEach(async () => {
  await home.stop();
});

function expectError(r: { code: number; stderr: string; stdout: string }, code: string) {
  expect(r.code).not.toBe(0);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^error ${code}: `));
  expect(r.stdout).toBe('');
}

const cred = (label: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ label, username: 'alice@example.com', password: CANARY_PW, totp: CANARY_SEED, origins: ['https://github.com'], ...extra });

describe('command table', () => {
  it('status on a fresh home says absent', async () => {
    const r = await home.run(['status', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ vault: 'absent', credentials: 0, browsers: [] });
  });

  it('init, add, list, remove, lock, unlock, status and audit verify', async () => {
    await initVault(home);
    let st = JSON.parse((await home.run(['status', '--json'])).stdout);
    expect(st).toMatchObject({ vault: 'unlocked', credentials: 0, browsers: [] });

    expect((await home.run(['add', '--json-stdin'], cred('github-personal'))).code).toBe(0);
    const batch = JSON.stringify([
      { label: 'vpn', username: 'bob', password: 'x', windows: ['Acme VPN'], sequence: '{USERNAME}{TAB}{PASSWORD}{ENTER}' },
      { label: 'bank.main', password: 'y', origins: ['https://*.bank.example.com', 'http://localhost:8080'], policy: 'confirm' },
    ]);
    expect((await home.run(['add', '--json-stdin'], batch)).code).toBe(0);

    const list = JSON.parse((await home.run(['list', '--json'])).stdout);
    expect(list).toEqual({
      credentials: [
        { label: 'bank.main', origins: ['https://*.bank.example.com', 'http://localhost:8080'], windows: [], policy: 'confirm', has_username: false, has_password: true, has_totp: false, has_passkey: false, source: 'local' },
        { label: 'github-personal', origins: ['https://github.com'], windows: [], policy: 'auto', has_username: true, has_password: true, has_totp: true, has_passkey: false, source: 'local' },
        { label: 'vpn', origins: [], windows: ['Acme VPN'], policy: 'auto', has_username: true, has_password: true, has_totp: false, has_passkey: false, source: 'local' },
      ],
    });

    expect((await home.run(['remove', 'vpn'])).code).toBe(0);
    expectError(await home.run(['remove', 'vpn']), 'UNKNOWN_LABEL');

    expect((await home.run(['lock'])).code).toBe(0);
    st = JSON.parse((await home.run(['status', '--json'])).stdout);
    expect(st).toMatchObject({ vault: 'locked', credentials: 2 });
    expectError(await home.run(['list', '--json']), 'VAULT_LOCKED');
    expectError(await home.run(['add', '--json-stdin'], cred('other')), 'VAULT_LOCKED');
    expectError(await home.run(['fill', 'github-personal']), 'VAULT_LOCKED');

    const u = await home.run(['unlock', '--passphrase-stdin', '--idle-timeout', '45m'], `${PASS}\n`);
    expect(u.code).toBe(0);
    st = JSON.parse((await home.run(['status', '--json'])).stdout);
    expect(st).toMatchObject({ vault: 'unlocked', credentials: 2, idle_timeout_s: 2700 });

    const v = await home.run(['audit', 'verify']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/intact/);

    // The canary never shows up anywhere blindfill writes in the clear.
    const everything = home.readLogs();
    expect(everything).toContain('github-personal');
    expect(everything).not.toContain(CANARY_PW);
    expect(everything).not.toContain(CANARY_SEED);
    expect(fs.readFileSync(path.join(home.dir, 'vault.bfv'), 'latin1')).not.toContain(CANARY_PW);
  });

  it('--help works on every command', async () => {
    for (const c of ['init', 'unlock', 'lock', 'status', 'add', 'list', 'remove', 'edit', 'rename', 'passwd', 'fill', 'type', 'host', 'mcp', 'audit']) {
      const r = await home.run([c, '--help']);
      expect(r.code, c).toBe(0);
      expect(r.stdout, c).toMatch(/usage: blindfill/);
    }
    const top = await home.run(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/host install/);
  });

  it('files are private: home 0700, vault, audit and log 0600', async () => {
    await initVault(home);
    await home.run(['add', '--json-stdin'], cred('a'));
    expect(fs.statSync(home.dir).mode & 0o777).toBe(0o700);
    for (const f of ['vault.bfv', 'audit.log', 'daemon.log']) expect(fs.statSync(path.join(home.dir, f)).mode & 0o777, f).toBe(0o600);
    expect(fs.statSync(path.join(home.dir, 'run')).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(home.dir, 'run', 'daemon.sock')).mode & 0o077).toBe(0);
  });
});

describe('bad input gets a clear error and loses nothing', () => {
  beforeEach(async () => {
    await initVault(home);
    await home.run(['add', '--json-stdin'], cred('keep'));
  });

  const stillThere = async () => {
    const l = JSON.parse((await home.run(['list', '--json'])).stdout);
    expect(l.credentials.map((c: { label: string }) => c.label)).toEqual(['keep']);
  };

  it.each([
    ['malformed JSON', '{"label": "x",', 'INVALID_REQUEST'],
    ['unknown field', JSON.stringify({ label: 'x', password: 'p', colour: 'red' }), 'INVALID_REQUEST'],
    ['invalid label', JSON.stringify({ label: 'Bad Label!' }), 'INVALID_REQUEST'],
    ['too long label', JSON.stringify({ label: 'a'.repeat(65) }), 'INVALID_REQUEST'],
    ['duplicate label', JSON.stringify({ label: 'keep', password: 'p' }), 'DUPLICATE_LABEL'],
    ['duplicate inside a batch', JSON.stringify([{ label: 'n1' }, { label: 'n1' }]), 'DUPLICATE_LABEL'],
    ['http on a non-loopback host', JSON.stringify({ label: 'x', origins: ['http://bank.example.com'] }), 'INSECURE_ORIGIN'],
    ['*. on a public suffix (github.io)', JSON.stringify({ label: 'x', origins: ['https://*.github.io'] }), 'INVALID_REQUEST'],
    ['*. on a public suffix (co.uk)', JSON.stringify({ label: 'x', origins: ['https://*.co.uk'] }), 'INVALID_REQUEST'],
    ['origin with a path', JSON.stringify({ label: 'x', origins: ['https://github.com/login'] }), 'INVALID_REQUEST'],
    ['origin with user info', JSON.stringify({ label: 'x', origins: ['https://github.com@evil.test'] }), 'INVALID_REQUEST'],
    ['bad TOTP', JSON.stringify({ label: 'x', totp: 'not base32!' }), 'INVALID_REQUEST'],
    ['unknown placeholder in a sequence', JSON.stringify({ label: 'x', windows: ['VPN'], sequence: '{USERNAME}{FOO}' }), 'INVALID_REQUEST'],
    ['one bad entry in a batch refuses all', JSON.stringify([{ label: 'ok1' }, { label: 'x', origins: ['http://evil.test'] }]), 'INSECURE_ORIGIN'],
  ])('%s', async (_name, input, code) => {
    const r = await home.run(['add', '--json-stdin'], input);
    expectError(r, code);
    expect(r.stderr).not.toContain(CANARY_PW);
    await stillThere();
  });

  it('a secret in an invalid entry is not echoed in the error', async () => {
    const r = await home.run(['add', '--json-stdin'], JSON.stringify({ label: 'x', password: CANARY_PW, extra: CANARY_PW }));
    expectError(r, 'INVALID_REQUEST');
    expect(r.stderr).not.toContain(CANARY_PW);
  });

  it('wrong passphrase changes nothing on disk', async () => {
    await home.run(['lock']);
    const before = fs.readFileSync(path.join(home.dir, 'vault.bfv'));
    const r = await home.run(['unlock', '--passphrase-stdin'], 'not the passphrase');
    expectError(r, 'BAD_PASSPHRASE');
    expect(fs.readFileSync(path.join(home.dir, 'vault.bfv')).equals(before)).toBe(true);
    expect((await home.run(['unlock', '--passphrase-stdin'], PASS)).code).toBe(0);
    await stillThere();
  });

  it('init over an existing vault is refused', async () => {
    expectError(await home.run(['init', '--passphrase-stdin'], 'other'), 'VAULT_EXISTS');
    await stillThere();
  });

  it('secrets are never taken from argv', async () => {
    expectError(await home.run(['add', '--password', 'x']), 'INVALID_REQUEST');
    expectError(await home.run(['unlock', '--passphrase', PASS]), 'INVALID_REQUEST');
  });

  it('unknown command and missing arguments', async () => {
    expectError(await home.run(['frobnicate']), 'INVALID_REQUEST');
    expectError(await home.run(['remove']), 'INVALID_REQUEST');
    expectError(await home.run(['fill']), 'INVALID_REQUEST');
    expectError(await home.run(['type', 'keep', '--field', 'pin']), 'INVALID_REQUEST');
    expectError(await home.run(['unlock', '--passphrase-stdin', '--idle-timeout', 'soon'], PASS), 'INVALID_REQUEST');
    expectError(await home.run(['add']), 'INVALID_REQUEST'); // stdin is not a terminal
  });
});

describe('commands on a missing vault', () => {
  it.each([
    [['list', '--json'], 'VAULT_LOCKED'],
    [['unlock', '--passphrase-stdin'], 'VAULT_ABSENT'],
    [['fill', 'x'], 'VAULT_LOCKED'],
  ])('%j', async (args, code) => {
    expectError(await home.run(args as string[], PASS), code as string);
  });
});

describe('edit, rename and unlock while unlocked (CONTRACT §7)', () => {
  const NEW_PW = 'CANARY-edited-pw-4$';

  it('edit LABEL --json-stdin changes only the given fields; null clears; bad input names the field, never the value', async () => {
    await initVault(home);
    expect((await home.run(['add', '--json-stdin'], cred('gh'))).code).toBe(0);
    const r = await home.run(['edit', 'gh', '--json-stdin'], JSON.stringify({ password: NEW_PW, username: null, origins: ['https://github.com', 'https://gist.github.com'], policy: 'confirm' }));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^updated gh: /);
    const l = JSON.parse((await home.run(['list', '--json'])).stdout) as { credentials: unknown[] };
    expect(l.credentials).toEqual([
      { label: 'gh', origins: ['https://github.com', 'https://gist.github.com'], windows: [], policy: 'confirm', has_username: false, has_password: true, has_totp: true, has_passkey: false, source: 'local' },
    ]);
    expectError(await home.run(['edit', 'gh', '--json-stdin'], JSON.stringify({ origins: ['http://evil.example'] })), 'INSECURE_ORIGIN');
    const unknown = await home.run(['edit', 'gh', '--json-stdin'], JSON.stringify({ secret: NEW_PW }));
    expectError(unknown, 'INVALID_REQUEST');
    expect(unknown.stderr).not.toContain(NEW_PW);
    expectError(await home.run(['edit', 'nope', '--json-stdin'], JSON.stringify({ policy: 'auto' })), 'UNKNOWN_LABEL');
    expectError(await home.run(['edit', 'gh'], '{}'), 'INVALID_REQUEST');
    expect(home.readLogs()).not.toContain(NEW_PW);
  });

  it('rename OLD NEW keeps the secrets; a taken or unknown label is refused', async () => {
    await initVault(home);
    expect((await home.run(['add', '--json-stdin'], `[${cred('a')},${cred('b')}]`)).code).toBe(0);
    expectError(await home.run(['rename', 'a', 'b']), 'DUPLICATE_LABEL');
    expectError(await home.run(['rename', 'zz', 'c']), 'UNKNOWN_LABEL');
    expectError(await home.run(['rename', 'a', 'Bad Label']), 'INVALID_REQUEST');
    const r = await home.run(['rename', 'a', 'c']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('renamed a to c\n');
    await home.run(['lock']);
    expect((await home.run(['unlock', '--passphrase-stdin'], PASS)).code).toBe(0);
    const l = JSON.parse((await home.run(['list', '--json'])).stdout) as { credentials: Array<{ label: string; has_password: boolean }> };
    expect(l.credentials.map((c) => [c.label, c.has_password])).toEqual([
      ['b', true],
      ['c', true],
    ]);
  });

  it('unlock while unlocked with a wrong passphrase: BAD_PASSPHRASE, and the idle timeout is not raised', async () => {
    await initVault(home);
    const r = await home.run(['unlock', '--passphrase-stdin', '--idle-timeout', '7d'], 'not the passphrase');
    expectError(r, 'BAD_PASSPHRASE');
    expect(JSON.parse((await home.run(['status', '--json'])).stdout)).toMatchObject({ vault: 'unlocked', idle_timeout_s: 1800 });
    expect((await home.run(['unlock', '--passphrase-stdin', '--idle-timeout', '2h'], PASS)).code).toBe(0);
    expect(JSON.parse((await home.run(['status', '--json'])).stdout)).toMatchObject({ idle_timeout_s: 7200 });
  });
});
