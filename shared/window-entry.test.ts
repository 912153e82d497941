import { describe, expect, it } from 'vitest';
import { normalizeCredential } from './credential.js';
import { parseWindowEntry, stripUnsafeChars, windowEntryError } from './window-entry.js';

describe('window entries', () => {
  it('parses plain titles, //regex// and {qualifiers}', () => {
    expect(parseWindowEntry('Acme VPN')).toMatchObject({ ok: true, value: { qualifiers: {}, title: { kind: 'exact', text: 'Acme VPN' } } });
    expect(parseWindowEntry('//^Acme//')).toMatchObject({ ok: true, value: { title: { kind: 'regex', source: '^Acme' } } });
    expect(parseWindowEntry('{class=chromium, exe=/usr/lib/chromium/chromium}Acme VPN - Chromium')).toMatchObject({
      ok: true,
      value: { qualifiers: { class: 'chromium', exe: '/usr/lib/chromium/chromium' }, title: { kind: 'exact', text: 'Acme VPN - Chromium' } },
    });
    expect(parseWindowEntry('{}{braces}')).toMatchObject({ ok: true, value: { qualifiers: {}, title: { text: '{braces}' } } });
    expect(parseWindowEntry('{EXE=zenity}//x//')).toMatchObject({ ok: true, value: { qualifiers: { exe: 'zenity' } } });
  });

  it.each([
    ['{class=chromium', /closing \}/],
    ['{browser=chromium}Acme', /unknown window qualifier "browser"/],
    ['{class=}Acme', /needs a value/],
    ['{class=a,class=b}Acme', /twice/],
    ['{class=chromium}', /needs a title/],
    ['//(a)\\1//', /not a supported regular expression/],
    ['//(?=x)//', /not a supported regular expression/],
    ['//((//', /not a supported regular expression/],
    ['Acme\u202eNPV', /control, bidirectional/],
    ['Acme\nVPN', /control, bidirectional/],
  ])('%j is refused', (entry, why) => {
    expect(windowEntryError(entry)).toMatch(why);
  });

  it('add refuses a bad entry with INVALID_REQUEST naming the label and the entry', () => {
    const r = normalizeCredential({ label: 'vpn', password: 'pw', windows: ['Acme VPN', '{klass=x}Acme'] });
    expect(r).toMatchObject({ ok: false, code: 'INVALID_REQUEST' });
    expect(!r.ok && r.message).toMatch(/^vpn: window entry "\{klass=x\}Acme": unknown window qualifier/);
    expect(normalizeCredential({ label: 'vpn', windows: ['Acme VPN', '//^(a+)+$//', '{exe=zenity}Acme VPN'] })).toMatchObject({ ok: true });
  });

  it('strips control, bidi and zero-width characters for display', () => {
    expect(stripUnsafeChars('Acme\u202e NPV\u202c\u200b\u0007\u0085 VPN\u2066x\u2069')).toBe('Acme NPV VPNx');
    expect(stripUnsafeChars('Ordinary — Tïtle ✓')).toBe('Ordinary — Tïtle ✓');
  });
});
