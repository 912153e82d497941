/**
 * Secrets typed at a terminal: `add` and `init`/`unlock` prompt without echo on a real
 * pseudo-terminal (driven by a small Python pty script), and the secret never shows.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, type Home, initVault, makeHome, ROOT } from './cli.js';

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
      ['Repeat password', pw],
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

  it('a weak passphrase at init is refused with the reason and asked again; the passphrase never shows', () => {
    home = makeHome();
    const weak = 'hunter2';
    const strong = 'plum lantern cobalt wisp 4';
    const r = drive(['init', '--idle-timeout', '15m'], [
      ['Passphrase:', weak],
      ['Repeat passphrase:', weak],
      ['Passphrase:', strong],
      ['Repeat passphrase:', strong],
    ]);
    expect(r.code).toBe(0);
    expect(r.screen).toMatch(/That passphrase is too weak: it would be found in about 10\^\d+ guesses\. This is similar to a commonly used password/);
    expect(r.screen).toMatch(/created vault [0-9a-f]+ \(passphrase, scrypt\); unlocked; locks after 15 min idle/);
    expect(r.screen).not.toContain(weak);
    expect(r.screen).not.toContain(strong);
  });

  it('passwd on a terminal: a weak new passphrase is asked again', async () => {
    home = makeHome();
    await initVault(home);
    const next = 'quartz meadow violin ember 9';
    const r = drive(['passwd'], [
      ['Current passphrase:', 'correct horse battery staple'],
      ['New passphrase:', 'password1'],
      ['Repeat new passphrase:', 'password1'],
      ['New passphrase:', next],
      ['Repeat new passphrase:', next],
    ]);
    expect(r.code).toBe(0);
    expect(r.screen).toMatch(/That passphrase is too weak: .*commonly used password/);
    expect(r.screen).toContain('passphrase changed');
    expect(r.screen).not.toContain('password1');
  });

  it('interactive add checks each field as it is entered and asks again with the reason', async () => {
    home = makeHome();
    await initVault(home);
    expect((await home.run(['add', '--json-stdin'], JSON.stringify({ label: 'taken', password: 'x-Taken-pw-1' }))).code).toBe(0);
    const pw = 'TTY-add-password-canary';
    const r = drive(['add'], [
      ['Label', 'Bad Label!'],
      ['Label', 'taken'],
      ['Label', 'fresh'],
      ['Username', 'carol'],
      ['Password (hidden', pw],
      ['Repeat password', `${pw}-typo`],
      ['Password (hidden', pw],
      ['Repeat password', pw],
      ['TOTP', 'not a seed !!'],
      ['TOTP', ''],
      ['Origins', 'http://example.com'],
      ['Origins', 'https://*.github.io'],
      ['Origins', 'https://example.com'],
      ['Desktop window', '//(?=x)//'],
      ['Desktop window', 'Acme VPN'],
      ['Policy', 'sometimes'],
      ['Policy', 'confirm'],
    ]);
    expect(r.code).toBe(0);
    const s = r.screen;
    expect(s).toContain('label: 1-64 characters of a-z 0-9 . _ -; try again.');
    expect(s).toContain('a credential labelled "taken" exists (blindfill edit taken --json-stdin changes it); try again.');
    expect(s).toContain('the two passwords differ; try again.');
    expect(s).toMatch(/TOTP: [^\n]+; try again\./);
    expect(s).toMatch(/origin "http:\/\/example\.com": [^\n]+; try again\./);
    expect(s).toMatch(/origin "https:\/\/\*\.github\.io": [^\n]+; try again\./);
    expect(s).toMatch(/window "\/\/\(\?=x\)\/\/": [^\n]+; try again\./);
    expect(s).toContain('policy must be auto or confirm; try again.');
    expect(s).toContain('added fresh');
    expect(s).not.toContain(pw);
    const list = JSON.parse(spawnSync(process.execPath, [BIN, 'list', '--json'], { env: home.env, encoding: 'utf8' }).stdout);
    expect(list.credentials.find((c: { label: string }) => c.label === 'fresh')).toMatchObject({
      origins: ['https://example.com'],
      windows: ['Acme VPN'],
      policy: 'confirm',
      has_password: true,
      has_totp: false,
    });
  });
});
