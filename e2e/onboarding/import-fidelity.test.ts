/**
 * Import fidelity through the real CLI and daemon, with the rows real exports carry:
 * seven logins on one site, a Steam Guard and a broken otpauth TOTP, an IDN site, `www.`
 * and bare hosts, KeePassXC `{REF:…}` placeholders; `--dry-run` listing labels and
 * origins without writing; a second import adding nothing; and no password or seed in any
 * output, log or audit line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertNoSecret, makeCanary } from '../harness/canary.js';
import { type Home, initVault, makeHome, type RunResult } from '../core/cli.js';
import { bitwardenCsv, bitwardenJson, keepassXml, keepassxcCsv, onePux, randomSeed } from './fixtures.js';

let home: Home;
let dir: string;
let outputs: string[];

beforeEach(async () => {
  home = makeHome();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-fidelity-'));
  outputs = [];
  await initVault(home);
});
afterEach(async () => {
  await home.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function importFile(format: string, name: string, content: string | Uint8Array, ...extra: string[]): Promise<RunResult> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content, { mode: 0o600 });
  const r = await home.run(['import', '--format', format, file, ...extra]);
  outputs.push(r.stdout, r.stderr);
  return r;
}

async function listed(): Promise<{ label: string; origins: string[]; has_totp: boolean; username?: string }[]> {
  const r = await home.run(['list', '--json', '--usernames']);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout).credentials;
}

const vaultBytes = () => fs.readFileSync(path.join(home.dir, 'vault.bfv'));

describe('import fidelity', () => {
  it('Bitwarden JSON: distinct labels, *.site origins, IDN, TOTP skipped not the login; dry run; twice; no secret', async () => {
    const pw = Array.from({ length: 12 }, () => makeCanary());
    const seed = randomSeed();
    const steamSecret = 'STEAMGUARDSECRET7Q2X';
    const good = bitwardenJson([
      { name: 'Google', url: 'https://accounts.google.com/signin', username: 'alice@gmail.com', password: pw[0], totp: seed },
      { name: 'Google (Work)', url: 'https://accounts.google.com/', username: 'alice@corp.test', password: pw[1] },
      { name: 'Google', url: 'https://accounts.google.com/', username: 'kid@gmail.com', password: pw[2], folder: 'Family' },
      { name: 'Google', url: 'https://accounts.google.com/', username: 'grandma@gmail.com', password: pw[3] },
      { name: 'Gmail', url: 'https://mail.google.com/', username: 'bob@gmail.com', password: pw[4] },
      { name: 'YouTube', url: 'https://www.youtube.com/', username: 'alice@gmail.com', password: pw[5] },
      { name: 'Google Ads', url: 'https://ads.google.com/', username: 'alice@gmail.com', password: pw[6] },
      { name: 'Steam', url: 'https://store.steampowered.com/login', username: 'gamer', password: pw[7], totp: `steam://${steamSecret}` },
      { name: 'Broken 2FA', url: 'https://example.org', username: 'u', password: pw[8], totp: 'otpauth://totp/X?secret=1!' },
      { name: 'Bücher', url: 'https://bücher.de/konto', username: 'leser', password: pw[9] },
      { name: 'Blog', url: 'www.alice.github.io', username: 'alice', password: pw[10] },
      { name: 'Pages', url: 'https://github.io/', username: 'x', password: pw[11] },
    ]);
    const before = vaultBytes();

    // --dry-run: the labels and origins it would create, nothing written.
    const dry = await importFile('bitwarden', 'export.json', good, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stderr).toBe('');
    const would = dry.stdout.split('\n').filter((l) => l.startsWith('would add '));
    expect(would).toEqual([
      'would add google\thttps://accounts.google.com',
      'would add google-work\thttps://accounts.google.com',
      'would add google-family\thttps://accounts.google.com',
      'would add google-accounts\thttps://accounts.google.com',
      'would add google-gmail\thttps://mail.google.com',
      'would add youtube\thttps://*.youtube.com',
      'would add google-ads\thttps://ads.google.com',
      'would add steampowered-steam\thttps://store.steampowered.com',
      'would add example-broken-2fa\thttps://*.example.org',
      'would add bucher\thttps://*.xn--bcher-kva.de',
      'would add alice-blog\thttps://*.alice.github.io',
      'would add github.io-pages\thttps://github.io', // a public suffix: no *. and the host as the name
    ]);
    expect(dry.stdout).toMatch(/^note: steampowered-steam: imported without its one-time code \(Steam Guard codes \(steam:\/\/\) are not supported\)$/m);
    expect(dry.stdout).toMatch(/^note: example-broken-2fa: imported without its one-time code \(/m);
    expect(dry.stdout).toMatch(/dry run: would import 12 credentials, skip 0; nothing was written/);
    expect(vaultBytes().equals(before)).toBe(true);

    // The import.
    const r = await importFile('bitwarden', 'export.json', good);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^imported 12 credentials, skipped 0$/m);
    const creds = await listed();
    const by = Object.fromEntries(creds.map((c) => [c.label, c]));
    expect(Object.keys(by)).toHaveLength(12);
    expect(by.google).toMatchObject({ has_totp: true, username: 'alice@gmail.com' });
    expect(by['steampowered-steam']).toMatchObject({ has_totp: false, username: 'gamer' });
    expect(by['example-broken-2fa']).toMatchObject({ has_totp: false });
    // No label carries a username's local part (nobody asked for it); alice-blog is the host alice.github.io.
    expect(creds.map((c) => c.label).filter((l) => l !== 'alice-blog').join(' ')).not.toMatch(/alice|kid|grandma|bob|gamer|leser/);

    // The same file again: nothing twice; every entry reported as already in the vault.
    const vault = vaultBytes();
    const again = await importFile('bitwarden', 'export.json', good);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/imported 0 credentials, skipped 0, 12 already in the vault/);
    expect(again.stdout).toContain('already in vault: "Google (Work)" as google-work\n');
    expect(again.stdout).toContain('already in vault: "Bücher" as bucher\n');
    expect(await listed()).toHaveLength(12);
    // Identity does not depend on the label scheme chosen.
    const named = await importFile('bitwarden', 'export.json', good, '--label-with-username', '--json');
    expect(JSON.parse(named.stdout)).toMatchObject({ imported: [], already: expect.arrayContaining([{ name: 'Steam', label: 'steampowered-steam' }]) });
    expect(vaultBytes().equals(vault)).toBe(true);

    expect((await home.run(['audit', 'verify'])).code).toBe(0);
    assertNoSecret(outputs.join('\n'), [...pw, seed, steamSecret], 'import output');
    assertNoSecret(home.readLogs(), [...pw, seed, steamSecret], 'logs and audit');
  });

  it('--label-with-username tells same-titled logins apart by the username, only when asked', async () => {
    const pw = [makeCanary(), makeCanary()];
    const file = bitwardenJson([
      { name: 'Shop', url: 'https://shop.example.com', username: 'alice.smith@mail.test', password: pw[0] },
      { name: 'Shop', url: 'https://shop.example.com', username: 'bob@mail.test', password: pw[1] },
    ]);
    const plain = await importFile('bitwarden', 'a.json', file, '--dry-run', '--json');
    expect(JSON.parse(plain.stdout).would_create.map((c: { label: string }) => c.label)).toEqual(['example-shop', 'example-shop-2']);
    const named = await importFile('bitwarden', 'a.json', file, '--dry-run', '--json', '--label-with-username');
    expect(JSON.parse(named.stdout).would_create.map((c: { label: string }) => c.label)).toEqual(['example-shop', 'example-shop-bob']);
    const exact = await importFile('bitwarden', 'a.json', bitwardenJson([{ name: 'W', url: 'https://www.example.com/', password: pw[0] }]), '--dry-run', '--json', '--exact-origins');
    expect(JSON.parse(exact.stdout).would_create).toEqual([{ label: 'example-w', origins: ['https://www.example.com'] }]);
    assertNoSecret(outputs.join('\n'), pw, 'output');
  });

  it('KeePassXC CSV: {REF:…} resolved within the export, by UUID skipped with the reason, never imported literally', async () => {
    const pw = [makeCanary(), makeCanary()];
    const good = keepassxcCsv([
      { group: 'Root/Mail', name: 'Mail', url: 'https://mail.example.com', username: 'me@mail.test', password: pw[0] },
      { group: 'Root/Mail', name: 'Webmail', url: 'https://webmail.example.net', username: '{REF:U@T:Mail}', password: '{REF:P@T:Mail}' },
      { group: 'Root', name: 'By id', url: 'https://id.example.com', username: 'x', password: '{REF:P@I:0123456789ABCDEF0123456789ABCDEF}' },
      { group: 'Root', name: 'Loop', url: 'https://loop.example.com', username: 'x', password: '{REF:P@T:Loop}' },
      { group: 'Root', name: 'Plain', url: 'https://plain.example.com', username: 'y', password: pw[1] },
    ]);
    const r = await importFile('keepassxc', 'kp.csv', good, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.imported).toEqual(['example-mail', 'example-webmail', 'example-plain']);
    expect(out.skipped).toEqual([
      { name: 'By id', reason: 'its password is a KeePassXC reference ({REF:P@I:…}) by UUID, and this export has no UUIDs' },
      { name: 'Loop', reason: 'its password is a KeePassXC reference that loops back on itself' },
    ]);
    const by = Object.fromEntries((await listed()).map((c) => [c.label, c]));
    expect(by['example-webmail']).toMatchObject({ username: 'me@mail.test', origins: ['https://webmail.example.net'] });
    // The reference became the real password: the same login written out literally is already in the vault.
    const literal = keepassxcCsv([{ group: 'Root', name: 'Copy', url: 'https://webmail.example.net', username: 'me@mail.test', password: pw[0] }]);
    const again = await importFile('keepassxc', 'kp2.csv', literal);
    expect(again.stdout).toContain('already in vault: "Copy" as example-webmail\n');
    expect(outputs.join('\n')).not.toMatch(/\{REF:[^}]*[0-9A-F]{32}/);
    assertNoSecret(outputs.join('\n'), pw, 'output');
    assertNoSecret(home.readLogs(), pw, 'logs');
  });

  it('KeePassXC XML: {REF:P@I:uuid} resolved by UUID; history, the bin and dangling references not imported', async () => {
    const pw = [makeCanary(), makeCanary(), makeCanary()];
    const seed = randomSeed();
    const MAIN = '6F1C2A3B4D5E6F708192A3B4C5D6E7F8';
    const xml = keepassXml({
      Mail: [
        { uuid: MAIN, name: 'Mail', url: 'https://mail.example.com', username: 'me@mail.test', password: pw[0], totp: `otpauth://totp/Mail:me?secret=${seed}&issuer=Mail`, history: [{ name: 'Mail', password: pw[1] }] },
        { uuid: 'A'.repeat(32), name: 'Webmail', url: 'https://webmail.example.net', username: `{REF:U@I:${MAIN}}`, password: `{REF:P@I:${MAIN}}` },
        { uuid: 'B'.repeat(32), name: 'Dangling', url: 'https://d.example.com', username: 'x', password: `{REF:P@I:${'C'.repeat(32)}}` },
      ],
      'Recycle Bin': [{ uuid: 'D'.repeat(32), name: 'Old', url: 'https://old.example.com', username: 'x', password: pw[2] }],
    });
    const r = await importFile('keepassxc-xml', 'kp.xml', xml, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.imported).toEqual(['example-mail', 'example-webmail']);
    expect(out.skipped).toEqual([
      { name: 'Dangling', reason: 'its password is a KeePassXC reference ({REF:P@I:…}) that matches no entry in this export' },
      { name: 'Old', reason: 'in the KeePassXC recycle bin' },
    ]);
    const by = Object.fromEntries((await listed()).map((c) => [c.label, c]));
    expect(by['example-mail']).toMatchObject({ has_totp: true, username: 'me@mail.test' });
    expect(by['example-webmail']).toMatchObject({ username: 'me@mail.test' });
    // The reference became the current password (not the history's): the literal login is already there.
    const literal = keepassxcCsv([{ group: 'Root', name: 'Copy', url: 'https://webmail.example.net', username: 'me@mail.test', password: pw[0] }]);
    expect((await importFile('keepassxc', 'kp2.csv', literal)).stdout).toContain('already in vault: "Copy" as example-webmail\n');
    assertNoSecret(outputs.join('\n'), [...pw, seed], 'output');
    assertNoSecret(home.readLogs(), [...pw, seed], 'logs');
  });

  it('1Password 1PUX: logins from every vault, vault names tell labels apart, Steam TOTP left out, archived and cards skipped', async () => {
    const pw = [makeCanary(), makeCanary(), makeCanary(), makeCanary()];
    const seed = randomSeed();
    const zip = onePux({
      Personal: [
        { name: 'GitHub', urls: ['https://github.com/login', 'https://gist.github.com'], username: 'alice', password: pw[0], totp: `otpauth://totp/GitHub:alice?secret=${seed}&issuer=GitHub` },
        { name: 'Steam', url: 'https://store.steampowered.com', username: 'gamer', password: pw[1], totp: 'steam://ABCDEFGHIJKLMNOP' },
        { name: 'Old', url: 'https://old.example.com', username: 'x', password: pw[2], archived: true },
        { name: 'Visa', category: '002' },
      ],
      Work: [{ name: 'GitHub', url: 'https://github.com', username: 'alice-corp', password: pw[3] }],
    });
    const r = await importFile('1pux', 'export.1pux', zip, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.created).toEqual([
      { label: 'github', origins: ['https://*.github.com', 'https://gist.github.com'] },
      { label: 'steampowered-steam', origins: ['https://store.steampowered.com'] },
      { label: 'github-work', origins: ['https://*.github.com'] },
    ]);
    expect(out.skipped).toEqual([
      { name: 'Old', reason: 'archived in 1Password' },
      { name: 'Visa', reason: 'not a login (credit card)' },
    ]);
    expect(out.notes).toEqual(['steampowered-steam: imported without its one-time code (Steam Guard codes (steam://) are not supported)']);
    expect((await listed()).find((c) => c.label === 'github')).toMatchObject({ has_totp: true, username: 'alice' });
    // Twice: nothing added.
    expect(JSON.parse((await importFile('1pux', 'export.1pux', zip, '--json')).stdout)).toMatchObject({ imported: [], already: [{ name: 'GitHub', label: 'github' }, { name: 'Steam', label: 'steampowered-steam' }, { name: 'GitHub', label: 'github-work' }] });
    // Not a zip, or no export.data: one error line, nothing written.
    const bad = await importFile('1pux', 'bad.1pux', 'not a zip');
    expect(bad.stderr).toMatch(/^error INVALID_REQUEST: bad\.1pux: not a zip archive; nothing was imported\n$/);
    assertNoSecret(outputs.join('\n'), [...pw, seed], 'output');
    assertNoSecret(home.readLogs(), [...pw, seed], 'logs');
  });

  it('Bitwarden CSV: folders tell labels apart; notes are skipped', async () => {
    const pw = [makeCanary(), makeCanary()];
    const csv = bitwardenCsv([
      { name: 'GitHub', uris: ['https://github.com/login', 'https://gist.github.com'], username: 'a', password: pw[0], folder: 'Personal' },
      { name: 'GitHub', url: 'https://github.com/', username: 'b', password: pw[1], folder: 'Work' },
      { name: 'Wifi', type: 'note' },
    ]);
    const r = await importFile('bitwarden-csv', 'bw.csv', csv, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      imported: ['github', 'github-work'],
      skipped: [{ name: 'Wifi', reason: 'not a login (secure note)' }],
      created: [
        { label: 'github', origins: ['https://*.github.com', 'https://gist.github.com'] },
        { label: 'github-work', origins: ['https://*.github.com'] },
      ],
    });
    assertNoSecret(outputs.join('\n'), pw, 'output');
  });
});
