import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBitwardenJson } from './bitwarden.js';
import { parseChromeCsv } from './chrome.js';
import { parseCsv } from './csv.js';
import { parseFirefoxCsv } from './firefox.js';
import { parseKeePassXcCsv } from './keepassxc.js';
import { base32, base64Decode, decodeMigrationPayload, migrationData } from './migration.js';
import { parseOnePasswordCsv } from './onepassword.js';
import { parseOtpauthLines } from './otpauth.js';
import { baseLabel, planImport, uniqueLabel, urlToOrigin } from './plan.js';
import { decodeExport } from './text.js';
import { ImportFormatError } from './types.js';
import { migrationUri } from '../../e2e/onboarding/fixtures.js';

const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DP';

describe('csv', () => {
  it('handles a BOM, quotes, doubled quotes, embedded newlines and CRLF', () => {
    const t = parseCsv('\uFEFFname,url,note\r\n"a, ""b""",https://x.test,"line1\nline2"\r\n');
    expect(t.header).toEqual(['name', 'url', 'note']);
    expect(t.rows).toEqual([['a, "b"', 'https://x.test', 'line1\nline2']]);
  });
  it('refuses a file damaged midway, naming the line but no content', () => {
    const secret = 'Zq"secret';
    const bad = `name,url,username,password\nok,https://a.test,u,p\nbad,https://b.test,u,"${secret}\n`;
    expect(() => parseCsv(bad)).toThrow(ImportFormatError);
    try {
      parseCsv(bad);
    } catch (e) {
      expect((e as Error).message).toMatch(/line \d+/);
      expect((e as Error).message).not.toContain('secret');
    }
    expect(() => parseCsv('a,b\n1,2\n3\n')).toThrow(/different number of columns/);
  });
});

describe('decodeExport', () => {
  it('reads UTF-8 (BOM dropped) and UTF-16 LE/BE with a BOM; refuses bytes that are not text', () => {
    const text = 'name,url\nCrème 😀,https://x.test\n';
    const utf8 = new TextEncoder().encode(text);
    expect(decodeExport(utf8)).toBe(text);
    expect(decodeExport(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8]))).toBe(text);
    const le = Buffer.from(text, 'utf16le');
    expect(decodeExport(Uint8Array.from([0xff, 0xfe, ...le]))).toBe(text);
    const be = Buffer.from(le).swap16();
    expect(decodeExport(Uint8Array.from([0xfe, 0xff, ...be]))).toBe(text);
    expect(decodeExport(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00]))).toBeNull();
    expect(decodeExport(Uint8Array.from([0xff, 0xfe, 0x00, 0xd8]))).toBeNull(); // lone surrogate in UTF-16
  });
});

describe('parsers', () => {
  it('chrome', () => {
    const e = parseChromeCsv('name,url,username,password,note\ngithub.com,https://github.com/login,alice,pw1,\n,android://x@com.app/,bob,pw2,n\n');
    expect(e).toEqual([
      { name: 'github.com', urls: ['https://github.com/login'], username: 'alice', password: 'pw1' },
      { name: 'com.app', urls: ['android://x@com.app/'], username: 'bob', password: 'pw2' },
    ]);
    expect(() => parseChromeCsv('title,site\nx,y\n')).toThrow(/not look like a Chrome CSV/);
  });
  it('firefox', () => {
    const head = '"url","username","password","httpRealm","formActionOrigin","guid","timeCreated","timeLastUsed","timePasswordChanged"\n';
    const e = parseFirefoxCsv(`${head}"https://example.com","a","p","","https://example.com","{g1}","1","1","1"\n"https://intranet.test","b","q","Realm","","{g2}","1","1","1"\n`);
    expect(e[0]).toEqual({ name: 'example.com', urls: ['https://example.com'], username: 'a', password: 'p' });
    expect(e[1]!.notImportable).toMatch(/httpRealm/);
  });
  it('1password', () => {
    const e = parseOnePasswordCsv(
      `Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes\nGitHub,https://github.com,alice,pw,otpauth://totp/GitHub:alice?secret=${SEED},true,false,work,\nOld,https://old.test,a,b,,false,true,,\n`,
    );
    expect(e[0]).toMatchObject({ name: 'GitHub', totp: `otpauth://totp/GitHub:alice?secret=${SEED}`, password: 'pw' });
    expect(e[1]!.notImportable).toBe('archived in 1Password');
  });
  it('keepassxc', () => {
    const head = '"Group","Title","Username","Password","URL","Notes","TOTP","Icon","Last Modified","Created"\n';
    const e = parseKeePassXcCsv(`${head}"Root/Web","Mail","me","pw","https://mail.test","","otpauth://totp/x?secret=${SEED}","0","",""\n"Root/Recycle Bin","Gone","me","pw","https://gone.test","","","0","",""\n`);
    expect(e[0]).toMatchObject({ name: 'Mail', urls: ['https://mail.test'], totp: `otpauth://totp/x?secret=${SEED}` });
    expect(e[1]!.notImportable).toMatch(/recycle bin/);
  });
  it('bitwarden', () => {
    const doc = {
      encrypted: false,
      folders: [],
      items: [
        { id: '1', type: 1, name: 'GitHub', login: { username: 'a', password: 'p', totp: SEED, uris: [{ match: null, uri: 'https://github.com/login' }, { match: null, uri: 'https://gist.github.com' }] } },
        { id: '2', type: 3, name: 'Visa', card: { number: '4111' } },
        { id: '3', type: 1, name: 'NoLogin', login: null },
      ],
    };
    const e = parseBitwardenJson(JSON.stringify(doc));
    expect(e[0]).toEqual({ name: 'GitHub', urls: ['https://github.com/login', 'https://gist.github.com'], username: 'a', password: 'p', totp: SEED });
    expect(e[1]!.notImportable).toBe('not a login (card)');
    expect(e[2]).toEqual({ name: 'NoLogin', urls: [] });
    expect(() => parseBitwardenJson('{"encrypted":true,"items":[]}')).toThrow(/encrypted/);
    expect(() => parseBitwardenJson('{"items": [')).toThrow(ImportFormatError);
  });
  it('otpauth lines and Google Authenticator migration', () => {
    // The widely published example payload: Example:alice@google.com, secret JBSWY3DPEHPK3PXP.
    const known = 'otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC';
    const otps = decodeMigrationPayload(migrationData(known));
    expect(otps).toHaveLength(1);
    expect(base32(otps[0]!.secret)).toBe('JBSWY3DPEHPK3PXP');
    expect(otps[0]).toMatchObject({ name: 'Example:alice@google.com', issuer: 'Example', type: 'totp', digits: 6, algorithm: 'SHA1' });

    const secret = Buffer.from('0123456789abcdefghij');
    const uri = migrationUri([
      { secret, name: 'GitLab:me', issuer: 'GitLab', sha256: true, eight: true },
      { secret, name: 'Counter', hotp: true },
    ]);
    const e = parseOtpauthLines(`# my codes\n\notpauth://totp/ACME:me?secret=${SEED}&issuer=ACME\n${uri}\n`);
    expect(e.map((x) => x.name)).toEqual(['ACME', 'GitLab', 'totp']); // never the account name
    expect(e[1]!.totp).toContain(`secret=${base32(secret)}`);
    expect(e[1]!.totp).toContain('algorithm=SHA256&digits=8');
    expect(e[2]!.notImportable).toMatch(/HOTP/);
    expect(() => parseOtpauthLines(`otpauth://totp/a?secret=${SEED}\nnot a uri\n`)).toThrow(/line 2/);
    expect(() => parseOtpauthLines('otpauth-migration://offline?data=CjEKCkhl')).toThrow(/truncated/);
  });
  it('base64Decode decodes what Buffer decodes (padded or not), without Buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, pad) => {
        let b64 = Buffer.from(bytes).toString('base64');
        if (!pad) b64 = b64.replace(/=+$/, '');
        expect(base64Decode(b64)).toEqual(new Uint8Array(Buffer.from(b64, 'base64')));
      }),
    );
    // A last lone character carries no whole byte: Buffer drops it, and so does this.
    for (const s of ['QUJD', 'QUJDR', 'QQ', 'QQ=', 'QQ==', 'QUI=', '']) expect(base64Decode(s)).toEqual(new Uint8Array(Buffer.from(s, 'base64')));
    expect(() => base64Decode('QU*=')).toThrow(ImportFormatError);
    // URL-safe and '+' turned into a space by a form encoder still read.
    const raw = Uint8Array.from([0xfb, 0xff, 0xbf, 0x01]);
    const std = Buffer.from(raw).toString('base64');
    expect(std).toMatch(/[+/]/);
    const u = (data: string) => `otpauth-migration://offline?data=${data}`;
    expect(migrationData(u(encodeURIComponent(std)))).toEqual(raw);
    expect(migrationData(u(std.replace(/\+/g, '-').replace(/\//g, '_')))).toEqual(raw);
    expect(migrationData(u(std.replace(/\+/g, '%20')))).toEqual(raw);
  });
  it('base32 matches RFC 4648 test vectors', () => {
    const v: [string, string][] = [['', ''], ['f', 'MY'], ['fo', 'MZXQ'], ['foo', 'MZXW6'], ['foob', 'MZXW6YQ'], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI']];
    for (const [i, o] of v) expect(base32(Buffer.from(i))).toBe(o);
  });
});

describe('plan', () => {
  it('turns URLs into origins by the contract rules', () => {
    expect(urlToOrigin('https://GitHub.com:443/login?next=/x#y')).toEqual({ ok: true, origin: 'https://github.com' });
    expect(urlToOrigin('https://user:pw@example.com:8443/a')).toEqual({ ok: true, origin: 'https://example.com:8443' });
    expect(urlToOrigin('https://bücher.example/')).toEqual({ ok: true, origin: 'https://xn--bcher-kva.example' });
    expect(urlToOrigin('github.com/login')).toEqual({ ok: true, origin: 'https://github.com' });
    expect(urlToOrigin('http://localhost:8080/x')).toEqual({ ok: true, origin: 'http://localhost:8080' });
    expect(urlToOrigin('http://127.0.0.1/')).toEqual({ ok: true, origin: 'http://127.0.0.1' });
    expect(urlToOrigin('http://example.com/login')).toMatchObject({ ok: false, reason: expect.stringMatching(/^http: site \(http:\/\/example.com\)/) });
    expect(urlToOrigin('android://hash@com.example.app/')).toMatchObject({ ok: false, reason: expect.stringMatching(/app URI/) });
    expect(urlToOrigin('ftp://files.test')).toMatchObject({ ok: false, reason: 'not a web URL (ftp:)' });
    expect(urlToOrigin('just words')).toMatchObject({ ok: false });
  });
  it('makes labels', () => {
    expect(baseLabel('GitHub (Personal)', undefined)).toBe('github-personal');
    expect(baseLabel('Crème Brûlée Bank', undefined)).toBe('creme-brulee-bank');
    expect(baseLabel('', 'https://mail.example.com:8443')).toBe('mail.example.com');
    expect(baseLabel('日本', undefined)).toBe('imported');
    expect(baseLabel('x'.repeat(100), undefined)).toHaveLength(56);
    const taken = new Set(['github', 'github-2']);
    expect(uniqueLabel('github', taken)).toBe('github-3');
    expect(uniqueLabel('github', taken)).toBe('github-4');
    expect(uniqueLabel('a'.repeat(64), new Set(['a'.repeat(64)]))).toBe(`${'a'.repeat(62)}-2`);
  });
  it('plans: skips with reasons, never a secret in a reason', () => {
    const pw = 'Sup3r"Secret<>';
    const plan = planImport(
      [
        { name: 'GitHub', urls: ['https://github.com/login'], username: 'a', password: pw },
        { name: 'GitHub', urls: ['https://github.com/'], password: pw },
        { name: 'Old', urls: ['http://old.example.com/'], password: pw },
        { name: 'App', urls: ['android://h@com.app/'], password: pw },
        { name: 'Nothing', urls: [], password: pw },
        { name: 'Bad code', urls: ['https://x.test'], password: pw, totp: 'not-base32!' },
        { name: 'Empty', urls: ['https://e.test'] },
        { name: 'Mixed', urls: ['http://mixed.test', 'https://mixed.test'], password: pw },
        { name: 'Codes', urls: [], urlless: true, totp: `otpauth://totp/X?secret=${SEED}` },
        { name: 'Card', urls: [], notImportable: 'not a login (card)' },
      ],
      ['github'],
    );
    expect(plan.credentials.map((c) => c.label)).toEqual(['github-2', 'github-3', 'x-bad-code', 'mixed', 'codes']);
    expect(plan.credentials[0]).toEqual({ label: 'github-2', username: 'a', password: pw, origins: ['https://*.github.com'] });
    // A TOTP blindfill cannot use is left out; the login is imported without it.
    expect(plan.credentials[2]).toEqual({ label: 'x-bad-code', password: pw, origins: ['https://*.x.test'] });
    expect(plan.credentials[4]).toEqual({ label: 'codes', totp: `otpauth://totp/X?secret=${SEED}` });
    expect(plan.skipped).toEqual([
      { name: 'Old', reason: 'http: site (http://old.example.com): blindfill fills only over HTTPS' },
      { name: 'App', reason: 'app URI (android://…), not a web site' },
      { name: 'Nothing', reason: 'no URL' },
      { name: 'Empty', reason: 'no password, one-time code or passkey' },
      { name: 'Card', reason: 'not a login (card)' },
    ]);
    expect(plan.notes).toEqual([
      expect.stringMatching(/^x-bad-code: imported without its one-time code \(/),
      'mixed: ignored 1 URL (http: site (http://mixed.test): blindfill fills only over HTTPS)',
    ]);
    expect(JSON.stringify(plan.skipped) + plan.notes.join('')).not.toContain('Secret');
  });
  it('reports progress', () => {
    const seen: number[] = [];
    planImport([{ name: 'a', urls: ['https://a.test'], password: 'x' }, { name: 'b', urls: [], password: 'y' }], [], (d) => seen.push(d));
    expect(seen).toEqual([1, 2]);
  });
});
