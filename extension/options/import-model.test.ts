import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_BROWSER_TO_HOST } from '../../shared/constants.js';
import type { CredentialInput } from '../../shared/credential.js';
import { IMPORT_FORMATS, planImport } from '../../shared/import/index.js';
import {
  batchRefusal,
  cliCommand,
  decodeFile,
  finalBatch,
  FORMAT_CHOICES,
  fitsOneFrame,
  frameBytes,
  MAX_PAGE_FILE,
  noOriginsNote,
  parseFile,
  prepare,
  resultText,
  scrubEntries,
  scrubPlan,
  sizeError,
  summaryText,
} from './import-model.js';

const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const PW = 'Pw<"secret>&\u2028😀';
const utf8 = (s: string) => new TextEncoder().encode(s);

const chrome = [
  'name,url,username,password,note',
  `GitHub,https://github.com/login,alice@example.test,"${PW.replace(/"/g, '""')}",`,
  `Old site,http://old.example.com/,bob,${'x'.repeat(12)},`,
  `,https://bank.example.com/,carol,pw-bank-1,`,
  `App,android://hash@com.example.app/,dave,pw-app-1,`,
].join('\r\n');

/** What Chromium's JSON writer sends: JSON, with < and U+2028/9 escaped, as UTF-8. */
function chromiumBytes(value: unknown): number {
  const json = JSON.stringify(value).replace(/</g, '\\u003C').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return utf8(json).length;
}

describe('formats', () => {
  it('offers the CLI’s formats, in its order, with its descriptions', () => {
    expect(FORMAT_CHOICES.map((f) => f.id)).toEqual(Object.keys(IMPORT_FORMATS));
    expect(FORMAT_CHOICES.map((f) => f.what)).toEqual(Object.values(IMPORT_FORMATS).map((f) => f.what));
    expect(FORMAT_CHOICES.find((f) => f.id === '1password')?.name).toBe('1Password');
  });
});

describe('reading the file', () => {
  it('caps the size and names the CLI command for bigger files', () => {
    expect(sizeError(1000, 'chrome', 'Chrome Passwords.csv')).toBeNull();
    expect(sizeError(0, 'chrome', 'e.csv')).toMatch(/empty/);
    const big = sizeError(MAX_PAGE_FILE + 1, 'bitwarden', 'export.json');
    expect(big).toMatch(/larger than 32 MiB/);
    expect(big).toContain('blindfill import --format bitwarden export.json');
  });

  it('quotes the file name for a shell', () => {
    expect(cliCommand('chrome', 'passwords.csv')).toBe('blindfill import --format chrome passwords.csv');
    expect(cliCommand('chrome', 'Chrome Passwords.csv')).toBe("blindfill import --format chrome 'Chrome Passwords.csv'");
    expect(cliCommand('edge', "it's $HOME.csv")).toBe("blindfill import --format edge 'it'\\''s $HOME.csv'");
  });

  it('decodes like the CLI: UTF-8, UTF-16 with a BOM; refuses what is not text, without quoting it', () => {
    expect(decodeFile(utf8(chrome), 'a.csv')).toEqual({ ok: true, text: chrome });
    const le = Uint8Array.from([0xff, 0xfe, ...Buffer.from(chrome, 'utf16le')]);
    expect(decodeFile(le, 'a.csv')).toEqual({ ok: true, text: chrome });
    // UTF-16 without a BOM decodes as UTF-8 full of NULs: not text.
    const noBom = decodeFile(Buffer.from(chrome, 'utf16le'), 'a.csv');
    expect(noBom).toMatchObject({ ok: false, message: expect.stringMatching(/a\.csv is not a text file/) });
    const zip = decodeFile(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0xfe, 0x80, 0x81]), 'export.zip');
    expect(zip).toMatchObject({ ok: false, message: expect.stringMatching(/not a text file/) });
  });

  it('a malformed file: the parser’s reason, "nothing was imported", no content', () => {
    const bad = `${chrome}\r\nbroken,https://x.test,u,"${PW}-unclosed\r\n`;
    const r = parseFile('chrome', bad, 'p.csv');
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/^p\.csv: malformed CSV .*Nothing was imported\.$/) });
    expect(JSON.stringify(r)).not.toContain('secret');
    expect(parseFile('bitwarden', '{"encrypted":true,"items":[]}', 'b.json')).toMatchObject({ ok: false, message: expect.stringMatching(/encrypted/) });
    expect(parseFile('chrome', 'title,site\nx,y\n', 'c.csv')).toMatchObject({ ok: false, message: expect.stringMatching(/does not look like a Chrome CSV/) });
    expect(parseFile('nope', chrome, 'c.csv')).toMatchObject({ ok: false });
  });
});

describe('preview', () => {
  it('labels and origins only; skipped entries with reasons; the same plan as the CLI', () => {
    const parsed = parseFile('chrome', chrome, 'p.csv');
    if (!parsed.ok) throw new Error(parsed.message);
    const { plan, preview } = prepare(parsed.entries, ['github'], 'chrome', 'p.csv');
    // The page plans exactly as `blindfill import` does.
    expect(plan).toEqual(planImport(IMPORT_FORMATS.chrome!.parse(chrome), ['github']));
    expect(preview.credentials).toEqual([
      { label: 'github-2', origins: ['https://*.github.com'] },
      { label: 'example-bank', origins: ['https://bank.example.com'] },
    ]);
    expect(preview.skipped).toEqual([
      { name: 'Old site', reason: 'http: site (http://old.example.com): blindfill fills only over HTTPS' },
      { name: 'App', reason: 'app URI (android://…), not a web site' },
    ]);
    expect(preview.refusal).toBeNull();
    expect(summaryText(preview)).toBe('2 credentials will be imported, 2 entries skipped.');
    const shown = JSON.stringify(preview);
    for (const v of [PW, 'alice@example.test', 'carol', 'pw-bank-1', 'secret']) expect(shown).not.toContain(v);
    // The preview does not share objects with the plan.
    scrubPlan(plan);
    expect(preview.credentials).toHaveLength(2);
  });

  it('counts credentials without sites (one-time codes only)', () => {
    const parsed = parseFile('otpauth', `otpauth://totp/ACME:me?secret=${SEED}&issuer=ACME\n`, 'codes.txt');
    if (!parsed.ok) throw new Error(parsed.message);
    const { preview } = prepare(parsed.entries, [], 'otpauth', 'codes.txt');
    expect(preview.credentials).toEqual([{ label: 'acme', origins: [] }]);
    expect(preview.noOrigins).toBe(1);
    expect(noOriginsNote(1)).toMatch(/1 credential has no sites yet/);
    expect(noOriginsNote(0)).toBeNull();
    expect(JSON.stringify(preview)).not.toContain(SEED);
  });

  it('nothing importable', () => {
    const parsed = parseFile('chrome', 'name,url,username,password\nA,http://a.example.com,u,p\n', 'p.csv');
    if (!parsed.ok) throw new Error(parsed.message);
    const { preview } = prepare(parsed.entries, [], 'chrome', 'p.csv');
    expect(summaryText(preview)).toBe('Nothing to import: 1 entry skipped.');
    expect(finalBatch(parsed.entries, [], 'chrome', 'p.csv')).toMatchObject({ ok: false, message: /Nothing in this file/ });
  });

  it('result and counts read naturally', () => {
    expect(resultText(1, 0)).toBe('Imported 1 credential, skipped 0.');
    expect(resultText(12, 3)).toBe('Imported 12 credentials, skipped 3.');
  });
});

describe('the batch fits one native-messaging frame', () => {
  it('frameBytes is at least what Chromium sends, for any strings', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ u: fc.string({ unit: 'grapheme' }), p: fc.string({ unit: 'binary' }) }), { maxLength: 20 }), (rows) => {
        const credentials: CredentialInput[] = rows.map((r, i) => ({ label: `l${i}`, username: r.u, password: r.p, origins: ['https://a.test'] }));
        expect(frameBytes(credentials)).toBeGreaterThanOrEqual(chromiumBytes({ credentials, t: 'req', id: 'x000000000', op: 'add' }));
      }),
    );
    // Exact for plain ASCII: one byte a character.
    const plain: CredentialInput[] = [{ label: 'a', password: 'abc' }];
    expect(frameBytes(plain)).toBe(JSON.stringify({ credentials: plain, t: 'req', id: 'x000000000', op: 'add' }).length);
    // `<` is six bytes on the wire, a surrogate pair four, U+2028 six.
    expect(frameBytes([{ label: 'a', password: '<' }]) - frameBytes([{ label: 'a', password: 'a' }])).toBe(5);
    expect(frameBytes([{ label: 'a', password: '😀' }]) - frameBytes([{ label: 'a', password: 'ab' }])).toBe(2);
    expect(frameBytes([{ label: 'a', password: '\u2028' }]) - frameBytes([{ label: 'a', password: 'a' }])).toBe(5);
  });

  it('refuses a batch over MAX_BROWSER_TO_HOST, naming the CLI command; accepts one just under', () => {
    const make = (n: number, len: number): CredentialInput[] =>
      Array.from({ length: n }, (_, i) => ({ label: `site-${i}`, username: `user${i}@example.test`, password: 'p'.repeat(len), origins: [`https://s${i}.example.com`] }));
    // The largest batch of these that fits: within one credential of the 4 MiB frame.
    let n = 1;
    let hi = 2000; // does not fit
    expect(fitsOneFrame(make(hi, 4000))).toBe(false);
    while (hi - n > 1) {
      const mid = (n + hi) >> 1;
      if (fitsOneFrame(make(mid, 4000))) n = mid;
      else hi = mid;
    }
    const per = frameBytes(make(n + 1, 4000)) - frameBytes(make(n, 4000));
    expect(frameBytes(make(n, 4000))).toBeLessThanOrEqual(MAX_BROWSER_TO_HOST - 1024);
    expect(frameBytes(make(n, 4000))).toBeGreaterThan(MAX_BROWSER_TO_HOST - 1024 - per);
    expect(batchRefusal(make(n, 4000), 'chrome', 'p.csv')).toBeNull();
    const over = make(n + 1, 4000);
    expect(fitsOneFrame(over)).toBe(false);
    const why = batchRefusal(over, 'chrome', 'Chrome Passwords.csv');
    expect(why).toContain("blindfill import --format chrome 'Chrome Passwords.csv'");
    expect(why).toMatch(/4 MiB.*Nothing was imported/);
    expect(why).not.toContain('ppp');
  });

  it('finalBatch plans again against the labels the vault has now, and refuses what does not fit', () => {
    const parsed = parseFile('chrome', chrome, 'p.csv');
    if (!parsed.ok) throw new Error(parsed.message);
    const before = prepare(parsed.entries, [], 'chrome', 'p.csv').preview;
    expect(before.credentials.map((c) => c.label)).toEqual(['github', 'example-bank']);
    // Someone added "github" since the preview.
    const now = finalBatch(parsed.entries, ['github'], 'chrome', 'p.csv');
    expect(now.ok && now.plan.credentials.map((c) => c.label)).toEqual(['github-2', 'example-bank']);
    expect(now.ok && now.plan.credentials[0]).toEqual({ label: 'github-2', username: 'alice@example.test', password: PW, origins: ['https://*.github.com'] });

    const rows = ['name,url,username,password'];
    for (let i = 0; i < 1200; i++) rows.push(`s${i},https://s${i}.example.com,u${i},${'q'.repeat(4000)}`);
    const big = parseFile('chrome', rows.join('\n'), 'big.csv');
    if (!big.ok) throw new Error(big.message);
    const refused = finalBatch(big.entries, [], 'chrome', 'big.csv');
    expect(refused).toMatchObject({ ok: false, message: expect.stringContaining('blindfill import --format chrome big.csv') });
    const bigPreview = prepare(big.entries, [], 'chrome', 'big.csv').preview;
    expect(bigPreview.refusal).toMatch(/too much for one message/);
    expect(summaryText(bigPreview)).toBe('1200 credentials found: too many to import from this page.');
  });

  it('scrub drops every value the file gave', () => {
    const parsed = parseFile('chrome', chrome, 'p.csv');
    if (!parsed.ok) throw new Error(parsed.message);
    const { plan } = prepare(parsed.entries, [], 'chrome', 'p.csv');
    scrubPlan(plan);
    expect(plan.credentials).toEqual([]);
    const entries = parsed.entries;
    const kept = [...entries];
    scrubEntries(entries);
    expect(entries).toEqual([]);
    expect(JSON.stringify(kept)).not.toMatch(/password|username|alice|pw-bank/);
  });
});
