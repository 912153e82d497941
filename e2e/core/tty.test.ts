/**
 * Secrets typed at a terminal: `add` and `init`/`unlock` prompt without echo on a real
 * pseudo-terminal (driven by a small Python pty script), and the secret never shows.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, type Home, makeHome, ROOT } from './cli.js';

let home: Home;
afterEach(async () => {
  await home?.stop();
});

function drive(args: string[], steps: Array<[string, string]>): { code: number; screen: string } {
  const spec = JSON.stringify({ argv: [process.execPath, BIN, ...args], steps });
  const r = spawnSync('python3', [path.join(ROOT, 'e2e/core/pty-driver.py'), spec], { env: home.env, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`pty driver failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { code: number; screen: string };
  return { code: out.code, screen: Buffer.from(out.screen, 'base64').toString('utf8') };
}

describe('terminal prompts', () => {
  it('init and add ask for secrets without echo', () => {
    home = makeHome();
    const pass = 'TTY-passphrase-canary';
    const init = drive(['init'], [['Passphrase:', pass], ['Repeat passphrase:', pass]]);
    expect(init.code).toBe(0);
    expect(init.screen).not.toContain(pass);
    const pw = 'TTY-password-canary';
    const add = drive(['add'], [
      ['Label', 'tty-cred'],
      ['Username', 'bob'],
      ['Password (hidden', pw],
      ['TOTP', 'JBSWY3DPEHPK3PXP'],
      ['Origins', 'https://example.com'],
      ['Desktop window', ''],
      ['Policy', 'confirm'],
    ]);
    expect(add.code).toBe(0);
    expect(add.screen).toContain('added tty-cred');
    expect(add.screen).toContain('bob'); // the username is echoed like any visible answer
    expect(add.screen).not.toContain(pw);
    expect(add.screen).not.toContain('JBSWY3DPEHPK3PXP');
    const list = JSON.parse(spawnSync(process.execPath, [BIN, 'list', '--json'], { env: home.env, encoding: 'utf8' }).stdout);
    expect(list.credentials[0]).toMatchObject({ label: 'tty-cred', origins: ['https://example.com'], policy: 'confirm', has_password: true, has_totp: true });
  });

  it('mismatched passphrases at init: BAD_PASSPHRASE, no vault', () => {
    home = makeHome();
    const r = drive(['init'], [['Passphrase:', 'one'], ['Repeat passphrase:', 'two']]);
    expect(r.code).not.toBe(0);
    expect(r.screen).toMatch(/error BAD_PASSPHRASE/);
  });
});
