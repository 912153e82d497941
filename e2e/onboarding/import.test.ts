/**
 * `blindfill import` through the real CLI and daemon, one fixture file per manager in its
 * real export layout: what `list --json` shows afterwards, what is skipped and why, that
 * --dry-run and a file damaged midway write nothing, and that no password or seed from
 * the file shows up in any output, log or audit line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertNoSecret, makeCanary } from '../harness/canary.js';
import { type Home, initVault, makeHome, type RunResult } from '../core/cli.js';
import { base32, bitwardenJson, chromeCsv, firefoxCsv, keepassxcCsv, migrationUri, onePasswordCsv, randomSeed } from './fixtures.js';

let home: Home;
let dir: string;
let outputs: string[];

beforeEach(async () => {
  home = makeHome();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-import-'));
  outputs = [];
  await initVault(home);
  // An existing label the import must not clash with.
  const r = await home.run(['add', '--json-stdin'], JSON.stringify({ label: 'github', password: 'existing-pw-1', origins: ['https://github.com'] }));
  expect(r.code).toBe(0);
});
afterEach(async () => {
  await home.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<RunResult> {
  const r = await home.run(args);
  outputs.push(r.stdout, r.stderr);
  return r;
}

async function importFile(format: string, content: string, ...extra: string[]): Promise<RunResult> {
  const file = path.join(dir, `export-${outputs.length}.${format === 'bitwarden' ? 'json' : format === 'otpauth' ? 'txt' : 'csv'}`);
  fs.writeFileSync(file, content, { mode: 0o600 });
  return run(['import', '--format', format, file, ...extra]);
}

const vaultBytes = () => fs.readFileSync(path.join(home.dir, 'vault.bfv'));
async function list(): Promise<{ credentials: Record<string, unknown>[] }> {
  const r = await run(['list', '--json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

const EXISTING = { label: 'github', origins: ['https://github.com'], windows: [], policy: 'auto', has_username: false, has_password: true, has_totp: false, has_passkey: false, source: 'local' };
const cred = (label: string, origins: string[], has: { u?: boolean; p?: boolean; t?: boolean } = {}) => ({
  label,
  origins,
  windows: [],
  policy: 'auto',
  has_username: has.u ?? true,
  has_password: has.p ?? true,
  has_totp: has.t ?? false,
  has_passkey: false,
  source: 'local',
});

/** The common contract of every format. */
async function checkFormat(o: {
  format: string;
  good: string;
  damaged: string;
  imported: Record<string, unknown>[];
  skipped: { name: string; reason: string | RegExp }[];
  secrets: string[];
  notes?: (string | RegExp)[];
}): Promise<void> {
  const before = vaultBytes();
  const labels = o.imported.map((c) => c.label);

  // --dry-run: the same answer, nothing written.
  const dry = await importFile(o.format, o.good, '--dry-run', '--json');
  expect(dry.stderr).toBe('');
  expect(dry.code).toBe(0);
  const dryOut = JSON.parse(dry.stdout) as { imported: string[]; would_create: { label: string; origins: string[] }[] };
  expect(dryOut.imported).toEqual(labels);
  // It lists the labels and origins it would create.
  expect(dryOut.would_create).toEqual(o.imported.map((c) => ({ label: c.label, origins: c.origins })));
  expect(vaultBytes().equals(before)).toBe(true);
  expect((await list()).credentials).toEqual([EXISTING]);

  // Damaged midway: one error line, nothing written.
  const bad = await importFile(o.format, o.damaged);
  expect(bad.code).not.toBe(0);
  expect(bad.stdout).toBe('');
  expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  expect(bad.stderr).toMatch(/^error INVALID_REQUEST: .*nothing was imported/);
  expect(vaultBytes().equals(before)).toBe(true);
  expect((await list()).credentials).toEqual([EXISTING]);

  // The real import.
  const r = await importFile(o.format, o.good, '--json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout) as { imported: string[]; skipped: { name: string; reason: string }[]; notes: string[] };
  expect(Object.keys(out).sort()).toEqual(['already', 'created', 'imported', 'notes', 'skipped']);
  expect(out.imported).toEqual(labels);
  expect(out.skipped).toHaveLength(o.skipped.length);
  o.skipped.forEach((s, i) => {
    expect(out.skipped[i]!.name).toBe(s.name);
    if (typeof s.reason === 'string') expect(out.skipped[i]!.reason).toBe(s.reason);
    else expect(out.skipped[i]!.reason).toMatch(s.reason);
  });
  const sorted = [EXISTING, ...o.imported].sort((a, b) => (String(a.label) < String(b.label) ? -1 : 1));
  expect((await list()).credentials).toEqual(sorted);

  if (o.notes) expect(out.notes).toEqual(o.notes);

  // The same file again: nothing added twice, each entry reported as already in the vault.
  const again = await importFile(o.format, o.good);
  expect(again.code).toBe(0);
  expect(again.stdout).toMatch(new RegExp(`imported 0 credentials, skipped ${o.skipped.length}, ${labels.length} already in the vault`));
  for (const label of labels) expect(again.stdout).toMatch(new RegExp(`^already in vault: ".*" as ${String(label).replace(/\./g, '\\.')}$`, 'm'));
  expect((await list()).credentials).toEqual(sorted);

  // Audit chain still intact; no secret anywhere blindfill wrote or printed.
  expect((await run(['audit', 'verify'])).code).toBe(0);
  assertNoSecret(outputs.join('\n'), o.secrets, `${o.format} import output`);
  assertNoSecret(home.readLogs(), o.secrets, `${o.format} import logs and audit`);
}

function damageAfterLine(text: string, n: number, inserted: string): string {
  const lines = text.split(/(?<=\n)/);
  return [...lines.slice(0, n), inserted, ...lines.slice(n)].join('');
}

describe('import', () => {
  it('Chrome / Edge CSV', async () => {
    const pw = [makeCanary(), makeCanary(), makeCanary(), makeCanary(), makeCanary(), makeCanary()];
    const good = chromeCsv([
      { name: 'GitHub', url: 'https://github.com/login', username: 'alice', password: pw[0] },
      { name: 'Work Mail', url: 'https://mail.example.com:8443/u/0?token=abc', username: 'bob', password: pw[1] },
      { name: 'Old Forum', url: 'http://forum.example.org/login', username: 'u', password: pw[2] },
      { name: 'Local dev', url: 'http://localhost:3000/', username: 'dev', password: pw[3] },
      { name: 'My App', url: 'android://AbCd@com.example.app/', username: 'u', password: pw[4] },
      { name: 'GitHub', url: 'https://github.com/', username: 'carol', password: pw[5] },
    ]);
    await checkFormat({
      format: 'chrome',
      good,
      damaged: damageAfterLine(good, 3, 'broken,https://broken.example.com,only-three\r\n'),
      imported: [
        cred('github-2', ['https://*.github.com']),
        cred('example-work-mail', ['https://mail.example.com:8443']),
        cred('localhost-local', ['http://localhost:3000']), // "dev" is the username: not a label word unless asked
        cred('github-3', ['https://*.github.com']),
      ],
      skipped: [
        { name: 'Old Forum', reason: 'http: site (http://forum.example.org): blindfill fills only over HTTPS' },
        { name: 'My App', reason: /^app URI \(android:/ },
      ],
      secrets: pw,
    });
    // Edge writes the same layout.
    const edge = await importFile('edge', good, '--dry-run', '--json');
    expect(JSON.parse(edge.stdout).skipped).toHaveLength(2);
  });

  it('Firefox CSV', async () => {
    const pw = [makeCanary(), makeCanary(), makeCanary(), makeCanary(), makeCanary()];
    const good = firefoxCsv([
      { name: '', url: 'https://accounts.example.com', username: 'alice', password: pw[0] },
      { name: '', url: 'https://accounts.example.com', username: 'bob', password: pw[1] },
      { name: '', url: 'http://router.example.net', username: 'admin', password: pw[2] },
      { name: '', url: 'https://intranet.example.com', username: 'me', password: pw[3], httpRealm: 'Corp' },
      { name: '', url: 'http://127.0.0.1:8080', username: 'me', password: pw[4] },
    ]);
    await checkFormat({
      format: 'firefox',
      good,
      damaged: damageAfterLine(good, 2, '"https://broken.example.com","u","unterminated\r\n'),
      imported: [cred('example-accounts', ['https://accounts.example.com']), cred('example-accounts-2', ['https://accounts.example.com']), cred('127.0.0.1', ['http://127.0.0.1:8080'])],
      skipped: [
        { name: 'router.example.net', reason: /^http: site \(http:\/\/router\.example\.net\)/ },
        { name: 'intranet.example.com', reason: 'HTTP authentication login (httpRealm), not a web form' },
      ],
      secrets: pw,
    });
  });

  it('1Password CSV (BOM, TOTP, archived, embedded newlines)', async () => {
    const pw = [makeCanary(), makeCanary(), makeCanary(), makeCanary()];
    const seed = randomSeed();
    const good = onePasswordCsv([
      { name: 'GitHub', url: 'https://github.com', username: 'alice', password: pw[0], totp: `otpauth://totp/GitHub:alice?secret=${seed}&issuer=GitHub`, notes: 'line one\nline "two", with commas' },
      { name: 'Bank', url: 'bank.example.com', username: 'u', password: pw[1] },
      { name: 'Old', url: 'https://old.example.com', username: 'u', password: pw[2], archived: true },
      { name: 'Broken 2FA', url: 'https://x.example.com', username: 'u', password: pw[3], totp: 'otpauth://totp/X?secret=1' },
    ]);
    await checkFormat({
      format: '1password',
      good,
      damaged: damageAfterLine(good, 2, '"Extra","https://e.example.com","u","p","","false","false","","","one column too many"\n'),
      imported: [cred('github-2', ['https://*.github.com'], { t: true }), cred('example-bank', ['https://bank.example.com']), cred('example-broken-2fa', ['https://x.example.com'])],
      skipped: [{ name: 'Old', reason: 'archived in 1Password' }],
      // A bad TOTP skips the TOTP, not the login, and says so.
      notes: [expect.stringMatching(/^example-broken-2fa: imported without its one-time code \(/) as unknown as string],
      secrets: [...pw, seed],
    });
  });

  it('KeePassXC CSV', async () => {
    const pw = [makeCanary(), makeCanary(), makeCanary(), makeCanary()];
    const seed = randomSeed();
    const good = keepassxcCsv([
      { group: 'Root/Internet', name: 'Mail', url: 'https://mail.example.com/login', username: 'me', password: pw[0], totp: `otpauth://totp/Mail:me?secret=${seed}&period=30&digits=6&issuer=Mail` },
      { group: 'Root/Recycle Bin', name: 'Deleted', url: 'https://deleted.example.com', username: 'me', password: pw[1] },
      { group: 'Root', name: 'Server SSH', username: 'root', password: pw[2] },
      { group: 'Root', name: 'Café Login', url: 'https://cafe.example.com', username: 'me', password: pw[3] },
    ]);
    await checkFormat({
      format: 'keepassxc',
      good,
      damaged: damageAfterLine(good, 2, '"Root","Bro"ken","u","p","https://b.example.com","","","0","",""\n'),
      imported: [cred('example-mail', ['https://mail.example.com'], { t: true }), cred('example-cafe-login', ['https://cafe.example.com'])],
      skipped: [
        { name: 'Deleted', reason: 'in the KeePassXC recycle bin' },
        { name: 'Server SSH', reason: 'no URL' },
      ],
      secrets: [...pw, seed],
    });
  });

  it('Bitwarden JSON', async () => {
    const pw = [makeCanary(), makeCanary(), makeCanary()];
    const seed = randomSeed();
    const good = bitwardenJson(
      [
        { name: 'GitHub', uris: ['https://github.com/login', 'https://gist.github.com', 'androidapp://com.github.android'], username: 'alice', password: pw[0], totp: seed },
        { name: 'Legacy', uris: ['http://legacy.example.com/'], username: 'u', password: pw[1] },
        { name: 'No URI', username: 'u', password: pw[2] },
      ],
      [
        { id: 'card', type: 3, name: 'Visa', card: { cardholderName: 'A', number: '4111111111111111', code: '123' } },
        { id: 'note', type: 2, name: 'Recovery codes', notes: 'x', secureNote: { type: 0 } },
      ],
    );
    await checkFormat({
      format: 'bitwarden',
      good,
      damaged: good.slice(0, Math.floor(good.length / 2)),
      imported: [cred('github-2', ['https://*.github.com', 'https://gist.github.com'], { t: true })],
      skipped: [
        { name: 'Legacy', reason: /^http: site/ },
        { name: 'No URI', reason: 'no URL' },
        { name: 'Visa', reason: 'not a login (card)' },
        { name: 'Recovery codes', reason: 'not a login (secure note)' },
      ],
      secrets: [...pw, seed],
    });
  });

  it('otpauth:// lines and a Google Authenticator otpauth-migration:// export', async () => {
    const seed = randomSeed();
    const s1 = Buffer.from('gitlab-seed-bytes-0001');
    const s2 = Buffer.from('example-seed-bytes-002');
    const good = [
      '# exported codes',
      `otpauth://totp/ACME:alice%40example.com?secret=${seed}&issuer=ACME`,
      migrationUri([
        { secret: s1, name: 'GitLab:alice', issuer: 'GitLab', sha256: true, eight: true },
        { secret: s2, name: 'Example:bob', issuer: 'Example' },
        { secret: Buffer.from('counter-seed-bytes-003'), name: 'Counter:x', issuer: 'Counter', hotp: true },
      ]),
      'otpauth://hotp/Foo:x?secret=JBSWY3DPEHPK3PXPJBSWY3DP&counter=1&issuer=Foo',
      'otpauth://totp/Short?secret=ABC',
      '',
    ].join('\n');
    await checkFormat({
      format: 'otpauth',
      good,
      damaged: damageAfterLine(good, 2, 'this line is not an otpauth URI\n'),
      imported: [
        cred('acme', [], { u: false, p: false, t: true }),
        cred('gitlab', [], { u: false, p: false, t: true }),
        cred('example', [], { u: false, p: false, t: true }),
      ],
      skipped: [
        { name: 'Counter', reason: /HOTP/ },
        { name: 'Foo', reason: /^bad TOTP: .*hotp/i },
        { name: 'totp', reason: /^bad TOTP: .*(shorter than 8 bytes|at least 8 bytes)/ }, // no issuer: never named after the account
      ],
      secrets: [seed, base32(s1), base32(s2)],
    });
  });

  it('text output: one line per skipped entry, a final count, the origin-less note', async () => {
    const pw = makeCanary();
    const r = await importFile('chrome', chromeCsv([{ name: 'Old', url: 'http://old.example.com', username: 'u', password: pw }, { name: 'Ok', url: 'https://ok.example.com', password: pw }]));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('skipped "Old": http: site (http://old.example.com): blindfill fills only over HTTPS\n');
    expect(r.stdout).toContain('imported 1 credential, skipped 1\n');
    const o = await importFile('otpauth', `otpauth://totp/Z:z?secret=${randomSeed()}&issuer=Z\n`, '--dry-run');
    expect(o.stdout).toMatch(/note: 1 credential has no origins yet/);
    expect(o.stdout).toMatch(/dry run: would import 1 credential, skip 0; nothing was written/);
    assertNoSecret(outputs.join('\n'), [pw], 'text output');
  });

  it('refuses a locked vault, an unknown format, a missing file; a large file imports in one batch', async () => {
    const missing = await run(['import', '--format', 'chrome', path.join(dir, 'nope.csv')]);
    expect(missing.stderr).toMatch(/^error INVALID_REQUEST: cannot read .*ENOENT/);
    const fmt = await run(['import', '--format', 'lastpass', path.join(dir, 'nope.csv')]);
    expect(fmt.code).toBe(2);
    expect(fmt.stderr).toMatch(/^error INVALID_REQUEST: --format must be one of/);

    const rows = Array.from({ length: 3000 }, (_, i) => ({ name: `Site ${i % 1000}`, url: `https://s${i}.example.com/login`, username: `u${i}`, password: `pw-${i}-x` }));
    const big = await importFile('chrome', chromeCsv(rows), '--json');
    expect(big.code).toBe(0);
    const labels = JSON.parse(big.stdout).imported as string[];
    expect(labels).toHaveLength(3000);
    expect(new Set(labels).size).toBe(3000);
    expect(labels).toContain('example-site-0');
    expect(labels).toContain('example-site-0-s1000');

    expect((await run(['lock'])).code).toBe(0);
    const locked = await importFile('chrome', chromeCsv([{ name: 'X', url: 'https://x.example.com', password: 'p' }]));
    expect(locked.stderr).toMatch(/^error VAULT_LOCKED: /);
  });
});
