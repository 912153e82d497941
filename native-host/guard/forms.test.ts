import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findSecrets, makeCanary, namedEncodings } from '../../e2e/harness/canary.js';
import { MIN_PATTERN_BYTES, secretForms, seedForms } from './forms.js';
import { SecretScrubber } from './scrubber.js';

const formsOf = (s: string) => new Map(secretForms(Buffer.from(s, 'utf8')).map((f) => [f.form, Buffer.from(f.bytes).toString('utf8')]));

const scrubberFor = (secrets: string[]) => {
  const creds = secrets.map((s, i) => ({ label: `l${i}`, password: Buffer.from(s, 'utf8') }));
  const sc = new SecretScrubber({ source: () => creds });
  return (text: string): string => {
    const r = sc.scrub([Buffer.from(text, 'utf8')]);
    if (!r.ok) throw new Error(r.code);
    return Buffer.from(r.value.out[0]!).toString('utf8');
  };
};

const UNICODE = ['pässwörd-Ünïcode', 'パスワード秘密のキー', 'emoji 🔑🗝️ key\u00a0nbsp', 'tab\tnew\nline\u0001ctl\u007f', 'mixed <&> "q" \'a\' /s\\b'];

describe('secretForms', () => {
  it('matches the JavaScript reference encodings byte for byte', () => {
    for (const s of [makeCanary(), makeCanary({ charset: 'safe' }), ...UNICODE]) {
      const f = formsOf(s);
      const b = Buffer.from(s, 'utf8');
      const get = (name: string) => f.get(name) ?? [...f.values()].find((v) => v === refs[name]);
      const refs: Record<string, string> = {
        raw: s,
        base64: b.toString('base64').replace(/=+$/, ''),
        base64url: b.toString('base64url'),
        hex: b.toString('hex'),
        HEX: b.toString('hex').toUpperCase(),
        encodeURIComponent: encodeURIComponent(s),
        encodeURI: encodeURI(s),
        'form-urlencoded': new URLSearchParams({ v: s }).toString().slice(2),
        'JSON-escaped': JSON.stringify(s).slice(1, -1),
        'JSON-escaped twice': JSON.stringify(JSON.stringify(s)).slice(3, -3),
      };
      for (const [name, value] of Object.entries(refs)) expect(get(name), `${name} of ${JSON.stringify(s)}`).toBe(value);
    }
  });

  it('yields no form shorter than the minimum, and nothing for a secret under it', () => {
    expect(secretForms(Buffer.from('abc'))).toEqual([]);
    for (const f of secretForms(Buffer.from('abcd'))) expect(f.bytes.length).toBeGreaterThanOrEqual(MIN_PATTERN_BYTES);
  });

  it('has no duplicates', () => {
    const all = secretForms(Buffer.from('plainalnum123')).map((f) => Buffer.from(f.bytes).toString('latin1'));
    expect(new Set(all).size).toBe(all.length);
  });

  it('a TOTP seed also matches in lower case', () => {
    const forms = seedForms(Buffer.from('JBSWY3DPEHPK3PXP')).map((f) => Buffer.from(f.bytes).toString());
    expect(forms).toContain('JBSWY3DPEHPK3PXP');
    expect(forms).toContain('jbswy3dpehpk3pxp');
  });
});

describe('scrubbing covers every form the leak tests look for', () => {
  it('every named encoding, alone and inside other text, leaves no encoding of the secret', () => {
    const secrets = [makeCanary(), makeCanary(), makeCanary({ charset: 'safe' }), ...UNICODE];
    const scrub = scrubberFor(secrets);
    for (const [i, s] of secrets.entries()) {
      for (const e of namedEncodings(s)) {
        for (const text of [e.value, `before ${e.value} after`, `x${e.value}${e.value}y`, `{"k":"${e.value}"}`]) {
          const out = scrub(text);
          expect(findSecrets(out, secrets), `${e.form} of secret ${i}`).toEqual([]);
          expect(out).toContain(`[blindfill:l${i}]`);
        }
      }
    }
  });

  it('base64 / base64url of a payload that embeds the secret at any offset', () => {
    const secrets = [makeCanary(), ...UNICODE.slice(0, 2)];
    const scrub = scrubberFor(secrets);
    for (const s of secrets) {
      for (let pre = 0; pre < 6; pre++) {
        for (let post = 0; post < 4; post++) {
          const payload = Buffer.concat([randomBytes(pre), Buffer.from(s, 'utf8'), randomBytes(post)]);
          for (const enc of ['base64', 'base64url'] as const) {
            const out = scrub(`data=${payload.toString(enc)};`);
            expect(findSecrets(out, secrets), `${enc} pre=${pre} post=${post}`).toEqual([]);
          }
        }
      }
    }
  });

  it('HTML serializations: text node, attribute value, numeric entities', () => {
    const s = 'a&b<c>d"e\'f\u00a0g';
    const scrub = scrubberFor([s]);
    const forms = [
      'a&amp;b&lt;c&gt;d"e\'f&nbsp;g', // innerHTML of a text node
      'a&amp;b<c>d&quot;e\'f&nbsp;g', // attribute value
      'a&#38;b&#60;c&#62;d&#34;e&#39;f&#160;g',
      'a&#x26;b&#x3c;c&#x3e;d&#x22;e&#x27;f&#xa0;g',
    ];
    for (const f of forms) expect(scrub(`<p>${f}</p>`)).toBe('<p>[blindfill:l0]</p>');
  });

  it('leaves text without secrets untouched', () => {
    const scrub = scrubberFor([makeCanary()]);
    const text = 'nothing to see here: Bf prefix alone, %22, &#34; 42664';
    expect(scrub(text)).toBe(text);
  });
});

describe('compositions that tools produce', () => {
  it('JSON of HTML (Playwright MCP browser_evaluate of outerHTML), HTML of JSON (server-rendered state), JSON of JSON of JSON', () => {
    const s = makeCanary();
    const scrub = scrubberFor([s]);
    const html = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const attr = s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
    const json = JSON.stringify(s);
    const cases = [
      JSON.stringify(`<p>${html}</p>`),
      JSON.stringify(`<input value="${attr}">`),
      JSON.stringify(`<script>x=${json.replace(/[<>&']/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}</script>`),
      `<div data-state="${JSON.stringify({ pw: s }).replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">`,
      JSON.stringify(JSON.stringify(JSON.stringify({ pw: s }))),
    ];
    for (const c of cases) {
      const out = scrub(c);
      expect(out, c.slice(0, 30)).toContain('[blindfill:l0]');
      expect(out).not.toContain(s.slice(0, 14));
    }
  });
});
