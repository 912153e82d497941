import { describe, expect, it } from 'vitest';
import { parseBitwardenCsv } from './bitwarden-csv.js';
import { resolveReferences } from './keepass-ref.js';
import { parseKeePassXcCsv } from './keepassxc.js';
import { labelImport, planImport, prepareImport, siteWideOrigin, totpProblem } from './plan.js';
import type { RawEntry } from './types.js';

const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DP';
const q = (cells: string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');
const kpHead = q(['Group', 'Title', 'Username', 'Password', 'URL', 'Notes', 'TOTP', 'Icon', 'Last Modified', 'Created']);
const kpRow = (group: string, title: string, user: string, pw: string, url: string, totp = '') =>
  q([group, title, user, pw, url, '', totp, '0', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z']);

describe('labels', () => {
  it('site + a distinguishing word, not google-2', () => {
    const g = (name: string, url: string, group?: string, username = 'someone@gmail.com'): RawEntry => ({
      name,
      urls: [url],
      username,
      password: `pw-${Math.random()}`,
      ...(group ? { group } : {}),
    });
    const plan = planImport(
      [
        g('Google', 'https://accounts.google.com/signin'),
        g('Google (Work)', 'https://accounts.google.com/'),
        g('Google Personal', 'https://accounts.google.com/'),
        g('accounts.google.com', 'https://accounts.google.com/x'),
        g('Google', 'https://accounts.google.com/x', 'Family'),
        g('Gmail', 'https://mail.google.com/'),
        g('Google', 'https://mail.google.com/', undefined, 'bob@gmail.com'),
      ],
      [],
    );
    expect(plan.credentials.map((c) => c.label)).toEqual(['google', 'google-work', 'google-personal', 'google-accounts', 'google-family', 'google-gmail', 'google-mail']);
  });

  it('uses the username only when asked, and never a word of the password', () => {
    const entries: RawEntry[] = [
      { name: 'Shop', urls: ['https://shop.test'], username: 'alice.smith@x.test', password: 'p1-longenough' },
      { name: 'Shop', urls: ['https://shop.test'], username: 'bob@x.test', password: 'p2-longenough' },
      // A title that is the username, and a title word that is the password.
      { name: 'alice.smith@bank.test', urls: ['https://bank.test'], username: 'alice.smith@bank.test', password: 'p3' },
      { name: 'Bank hunter2secret', urls: ['https://bank.test'], username: 'carol', password: 'hunter2secret' },
    ];
    const plain = planImport(entries, []).credentials.map((c) => c.label);
    expect(plain).toEqual(['shop', 'shop-2', 'bank', 'bank-2']);
    expect(plain.join(' ')).not.toMatch(/alice|bob|smith|carol|hunter/);
    const named = planImport(entries, [], undefined, { labelWithUsername: true }).credentials.map((c) => c.label);
    expect(named).toEqual(['shop', 'shop-bob', 'bank-alice-smith', 'bank']);
    expect(named.join(' ')).not.toMatch(/hunter/);
  });

  it('gives IDN sites readable labels', () => {
    const plan = planImport(
      [
        { name: '', urls: ['https://xn--bcher-kva.de/login'], password: 'a' },
        { name: 'Почта', urls: ['https://xn--d1acufc.xn--p1ai/'], password: 'b' },
        { name: '', urls: ['https://xn--wgv71a119e.jp/'], password: 'c' },
        { name: 'Shop', urls: ['https://www.xn--mnchen-3ya.de/'], password: 'd' },
      ],
      [],
    );
    expect(plan.credentials.map((c) => c.label)).toEqual(['bucher', 'domen-pochta', 'xn-wgv71a119e-jp', 'munchen-shop']);
    expect(plan.credentials[3]!.origins).toEqual(['https://*.xn--mnchen-3ya.de']);
  });

  it('labelImport skips labels the vault has', () => {
    const prepared = prepareImport([{ name: 'GitHub', urls: ['https://github.com'], password: 'x', group: 'Work' }]);
    expect(labelImport(prepared.entries, ['github']).credentials[0]!.label).toBe('github-work');
    expect(labelImport(prepared.entries, ['github', 'github-work']).credentials[0]!.label).toBe('github-work-2');
  });
});

describe('origins', () => {
  it('offers *.site for a bare or www. host where the PSL allows it', () => {
    expect(siteWideOrigin('https://example.com')).toBe('https://*.example.com');
    expect(siteWideOrigin('https://www.example.co.uk')).toBe('https://*.example.co.uk');
    expect(siteWideOrigin('https://www.alice.github.io')).toBe('https://*.alice.github.io');
    expect(siteWideOrigin('https://example.com:8443')).toBe('https://*.example.com:8443');
    // Other subdomains, public suffixes, IPs, loopback http: unchanged.
    expect(siteWideOrigin('https://accounts.google.com')).toBe('https://accounts.google.com');
    expect(siteWideOrigin('https://github.io')).toBe('https://github.io');
    expect(siteWideOrigin('https://127.0.0.1:8443')).toBe('https://127.0.0.1:8443');
    expect(siteWideOrigin('http://localhost:3000')).toBe('http://localhost:3000');
  });
  it('keeps exact origins with exactOrigins', () => {
    const e: RawEntry[] = [{ name: 'a', urls: ['https://www.example.com/login'], password: 'x' }];
    expect(planImport(e, []).credentials[0]!.origins).toEqual(['https://*.example.com']);
    expect(planImport(e, [], undefined, { exactOrigins: true }).credentials[0]!.origins).toEqual(['https://www.example.com']);
  });
});

describe('TOTP and duplicates', () => {
  it('a TOTP blindfill cannot use skips the TOTP, not the login, and says so', () => {
    expect(totpProblem('steam://ABCDEFGH')).toMatch(/Steam/);
    expect(totpProblem('otpauth://totp/X?secret=!!!')).not.toBeNull();
    expect(totpProblem(`otpauth://hotp/X?secret=${SEED}&counter=1`)).toMatch(/HOTP/);
    expect(totpProblem(SEED)).toBeNull();
    const plan = planImport(
      [
        { name: 'Steam', urls: ['https://store.steampowered.com'], username: 'u', password: 'pw', totp: 'steam://ABCDEFGHIJKLMNOP' },
        { name: 'Only code', urls: ['https://x.test'], totp: 'steam://ABCDEFGHIJKLMNOP' },
      ],
      [],
    );
    expect(plan.credentials).toEqual([{ label: 'steampowered-steam', username: 'u', password: 'pw', origins: ['https://store.steampowered.com'] }]);
    expect(plan.notes).toEqual(['steampowered-steam: imported without its one-time code (Steam Guard codes (steam://) are not supported)']);
    expect(plan.skipped).toEqual([{ name: 'Only code', reason: 'bad TOTP: Steam Guard codes (steam://) are not supported' }]);
  });
  it('the same login twice in one file is imported once', () => {
    const plan = planImport(
      [
        { name: 'A', urls: ['https://a.test/x'], username: 'u', password: 'p' },
        { name: 'A copy', urls: ['https://a.test/y'], username: 'u', password: 'p' },
        { name: 'A other', urls: ['https://a.test/'], username: 'u', password: 'q' },
      ],
      [],
    );
    expect(plan.credentials.map((c) => c.label)).toEqual(['a', 'a-other']);
    expect(plan.skipped).toEqual([{ name: 'A copy', reason: 'the same login as "A" earlier in this file' }]);
  });
});

describe('KeePassXC references', () => {
  it('resolves {REF:…} by title, username and UUID within the export; never imports a placeholder', () => {
    const r = resolveReferences([
      { title: 'Main', username: 'me', password: 'main-pw', url: 'https://a.test', notes: '' },
      { title: 'Alias', username: '{REF:U@T:Main}', password: '{REF:P@T:main}', url: 'https://b.test', notes: '' },
      { title: 'ById', username: 'x', password: '{REF:P@I:0123456789ABCDEF0123456789ABCDEF}', url: '', notes: '', uuid: 'AA' },
      { title: 'Target', username: 'y', password: 'target-pw', url: '', notes: '', uuid: '0123456789ABCDEF0123456789ABCDEF' },
      { title: 'Chain', username: '', password: '{REF:P@T:Alias}', url: '', notes: '' },
      { title: 'Loop', username: '', password: '{REF:P@T:Loop}', url: '', notes: '' },
      { title: 'Dup', username: '', password: '', url: '', notes: '' },
      { title: 'Dup', username: '', password: '', url: '', notes: '' },
      { title: 'Amb', username: '', password: '{REF:P@T:Dup}', url: '', notes: '' },
      { title: 'ByPw', username: '{REF:U@P:target-pw}', password: 'x', url: '', notes: '' },
      { title: 'Bad', username: '', password: '{REF:Q@T:Main}', url: '', notes: '' },
    ]);
    const v = (i: number) => {
      const x = r[i]!;
      return x.ok ? x.value : x.reason;
    };
    expect(v(1)).toMatchObject({ username: 'me', password: 'main-pw' });
    expect(v(2)).toMatchObject({ password: 'target-pw' });
    expect(v(4)).toMatchObject({ password: 'main-pw' });
    expect(v(5)).toMatch(/loops back/);
    expect(v(8)).toMatch(/\(\{REF:P@T:…\}\) that matches several entries/);
    expect(v(9)).toMatchObject({ username: 'y' });
    expect(v(10)).toMatch(/cannot read/);
    // Reasons never carry the reference's search text (it can be a password).
    expect(JSON.stringify(r.filter((x) => !x.ok))).not.toContain('target-pw');
  });
  it('the CSV export: references by title resolve, by UUID are skipped with the reason', () => {
    const csv = [
      kpHead,
      kpRow('Root', 'Mail', 'me@mail.test', 'mail-pw-1', 'https://mail.test'),
      kpRow('Root/Work', 'Mail alias', '{REF:U@T:Mail}', '{REF:P@T:Mail}', 'https://webmail.test'),
      kpRow('Root', 'By id', 'x', '{REF:P@I:0123456789ABCDEF0123456789ABCDEF}', 'https://id.test'),
    ].join('\n');
    const entries = parseKeePassXcCsv(csv);
    expect(entries[1]).toEqual({ name: 'Mail alias', urls: ['https://webmail.test'], username: 'me@mail.test', password: 'mail-pw-1', group: 'Work' });
    expect(entries[2]).toMatchObject({ name: 'By id', notImportable: expect.stringMatching(/by UUID, and this export has no UUIDs/) });
    const plan = planImport(entries, []);
    expect(JSON.stringify(plan.credentials)).not.toMatch(/\{REF:/);
    expect(plan.skipped.map((s) => s.name)).toEqual(['By id']);
  });
});

describe('Bitwarden CSV', () => {
  it('reads logins, several URIs, folders; notes are not logins', () => {
    const csv = [
      'folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp',
      'Work,1,login,GitHub,,,0,"https://github.com,https://gist.github.com",alice,pw-1,' + SEED,
      ',,note,Wifi,the note,,0,,,,',
    ].join('\n');
    expect(parseBitwardenCsv(csv)).toEqual([
      { name: 'GitHub', urls: ['https://github.com', 'https://gist.github.com'], group: 'Work', username: 'alice', password: 'pw-1', totp: SEED },
      { name: 'Wifi', urls: [], notImportable: 'not a login (secure note)' },
    ]);
  });
});

describe('KeePassXC XML', () => {
  it('reads entries with UUIDs, resolves {REF:P@I:…}, skips history, the bin and encrypted dumps', async () => {
    const { keepassXml } = await import('../../e2e/onboarding/fixtures.js');
    const { parseKeePassXcXml } = await import('./keepassxc-xml.js');
    const MAIN = '0123456789ABCDEF0123456789ABCDEF';
    const xml = keepassXml(
      {
        Work: [
          { uuid: MAIN, name: 'Mail <&> "work"', url: 'https://mail.example.com', username: 'me', password: 'p&<1>', totp: `otpauth://totp/M?secret=${SEED}`, history: [{ name: 'Mail old', password: 'old-pw' }] },
          { uuid: 'A'.repeat(32), name: 'Alias', url: 'https://webmail.example.com', username: `{REF:U@I:${MAIN.toLowerCase()}}`, password: `{REF:P@I:${MAIN}}` },
          { uuid: 'B'.repeat(32), name: 'Gone', url: 'https://x.test', password: `{REF:P@I:${'C'.repeat(32)}}` },
        ],
        'Recycle Bin': [{ uuid: 'D'.repeat(32), name: 'Deleted', url: 'https://d.test', password: 'd' }],
      },
      [{ uuid: 'E'.repeat(32), name: 'Top', url: 'https://top.test', password: 't' }],
    );
    const entries = parseKeePassXcXml(xml);
    expect(entries).toEqual([
      { name: 'Top', urls: ['https://top.test'], password: 't' },
      { name: 'Mail <&> "work"', urls: ['https://mail.example.com'], username: 'me', password: 'p&<1>', totp: `otpauth://totp/M?secret=${SEED}`, group: 'Work' },
      { name: 'Alias', urls: ['https://webmail.example.com'], username: 'me', password: 'p&<1>', group: 'Work' },
      { name: 'Gone', urls: [], notImportable: 'its password is a KeePassXC reference ({REF:P@I:…}) that matches no entry in this export' },
      { name: 'Deleted', urls: [], notImportable: 'in the KeePassXC recycle bin' },
    ]);
    const enc = xml.replace('<Value ProtectInMemory="True">p&amp;&lt;1&gt;</Value>', '<Value Protected="True">c2VjcmV0</Value>');
    expect(parseKeePassXcXml(enc)[1]).toMatchObject({ notImportable: expect.stringMatching(/encrypted/) });
  });
  it('refuses DOCTYPEs, mismatched tags and other roots, without quoting content', async () => {
    const { parseKeePassXcXml } = await import('./keepassxc-xml.js');
    const { ImportFormatError } = await import('./types.js');
    for (const bad of [
      '<!DOCTYPE x [<!ENTITY e "secret">]><KeePassFile/>',
      '<KeePassFile><Root><Group></Root></KeePassFile>',
      '<Other/>',
      '<KeePassFile><Root>&bogus;secretvalue</Root></KeePassFile>',
    ]) {
      expect(() => parseKeePassXcXml(bad)).toThrow(ImportFormatError);
      try {
        parseKeePassXcXml(bad);
      } catch (e) {
        expect((e as Error).message).not.toContain('secret');
      }
    }
  });
});
