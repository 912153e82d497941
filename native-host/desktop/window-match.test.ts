import { describe, expect, it } from 'vitest';
import { describeProgram, exeName, isBrowser, matchWindow, titleMatches, type WindowProgram } from './window-match.js';

const zenity: WindowProgram = { classes: ['zenity', 'Zenity'], pid: 42, exe: '/usr/bin/zenity' };
const chromium: WindowProgram = { classes: ['chromium', 'Chromium'], pid: 43, exe: '/usr/lib/chromium/chromium' };
const firefox: WindowProgram = { classes: ['Navigator', 'firefox'], pid: 44, exe: '/usr/lib/firefox-esr/firefox-esr' };
/** A Chromium started with --class=zenity: its executable still gives it away. */
const disguised: WindowProgram = { classes: ['zenity', 'Zenity'], pid: 45, exe: '/opt/google/chrome/chrome' };
const unknown: WindowProgram = { classes: [] };

describe('window title matching', () => {
  it.each([
    ['Acme VPN', 'Acme VPN', true],
    ['ACME vpn', 'Acme VPN', true], // whole title, case-insensitive
    ['Acme VPN — Connect', 'Acme VPN', false], // not a prefix
    ['Evil Acme VPN', 'Acme VPN', false], // not a substring
    ['Acme VPN - Chromium', 'Acme VPN', false],
    ['Acme', 'Acme VPN', false],
    ['', 'Acme', false],
    ['Acme VPN', '//^Acme VPN$//', true],
    ['Acme VPN 2', '//^Acme VPN$//', false],
    ['Acme VPN — Connect', '//^Acme VPN//', true],
    ['acme vpn', '//^Acme//', false], // regex entries are case-sensitive
    ['Login - Acme', '//Log(in|on) - (Acme|Initech)//', true],
    ['Login - Acme', '{class=acme}Login - Acme', true], // the title part of a qualified entry
    ['{x} y', '{}{x} y', true], // {} before a title that starts with {
    ['a//b', '////', false], // too short to be a regex: the whole title "////"
    ['////', '////', true],
    ['', '//.*//', false], // an empty title never matches
    ['((', '//((//', false], // not a supported pattern: matches nothing
    [`${'x'.repeat(1021)}VPN and more`, '//VPN$//', false], // over MAX_TITLE: refused, never cut
  ])('%j vs %j → %s', (title, entry, want) => {
    expect(titleMatches(title, entry)).toBe(want);
  });
});

describe('the program behind the window', () => {
  it('knows browsers by class or executable', () => {
    expect(isBrowser(zenity)).toBe(false);
    expect(isBrowser(chromium)).toBe(true);
    expect(isBrowser(firefox)).toBe(true);
    expect(isBrowser(disguised)).toBe(true);
    expect(isBrowser({ classes: [], exe: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe' })).toBe(true);
    expect(isBrowser({ classes: ['com.apple.Safari', 'Safari'], pid: 9 })).toBe(true);
    expect(isBrowser({ classes: ['chromium (/tmp/profile)'] })).toBe(true); // Chromium's instance for a non-default profile
    expect(exeName('/usr/lib/chromium/chromium (deleted)')).toBe('chromium');
  });

  it('a plain entry types into a non-browser window with that exact title', () => {
    expect(matchWindow('Acme VPN', zenity, ['Acme VPN'])).toMatchObject({ ok: true, value: { entry: 'Acme VPN' } });
  });

  it('a browser window titled like the entry is refused unless the entry names the browser', () => {
    for (const p of [chromium, firefox, disguised]) {
      const r = matchWindow('Acme VPN', p, ['Acme VPN']);
      expect(r).toMatchObject({ ok: false, code: 'WINDOW_MISMATCH' });
      expect(!r.ok && r.message).toMatch(/browser window/);
    }
    // Naming something that is not a browser does not let a disguised browser through.
    expect(matchWindow('Acme VPN', disguised, ['{class=zenity}Acme VPN'])).toMatchObject({ ok: false, code: 'WINDOW_MISMATCH' });
    expect(matchWindow('Acme VPN - Chromium', chromium, ['{class=chromium}Acme VPN - Chromium'])).toMatchObject({ ok: true });
    expect(matchWindow('Acme VPN - Chromium', chromium, ['{exe=/usr/lib/chromium/chromium}Acme VPN - Chromium'])).toMatchObject({ ok: true });
    expect(matchWindow('Acme VPN — Mozilla Firefox', firefox, ['{class=firefox}//^Acme VPN//'])).toMatchObject({ ok: true });
    // A browser named, but not this one.
    expect(matchWindow('Acme VPN', firefox, ['{class=chromium}Acme VPN'])).toMatchObject({ ok: false });
  });

  it('qualifiers must all hold', () => {
    expect(matchWindow('Acme VPN', zenity, ['{exe=zenity}Acme VPN'])).toMatchObject({ ok: true });
    expect(matchWindow('Acme VPN', zenity, ['{exe=/usr/bin/zenity, class=Zenity}Acme VPN'])).toMatchObject({ ok: true });
    expect(matchWindow('Acme VPN', zenity, ['{exe=/usr/local/bin/zenity}Acme VPN'])).toMatchObject({ ok: false });
    expect(matchWindow('Acme VPN', zenity, ['{exe=zenity,class=acme}Acme VPN'])).toMatchObject({ ok: false });
    expect(matchWindow('Acme VPN', { classes: ['zenity'] }, ['{exe=zenity}Acme VPN'])).toMatchObject({ ok: false }); // exe unknown
  });

  it('a window whose program is unknown takes only entries that name it (which it cannot satisfy)', () => {
    const r = matchWindow('Acme VPN', unknown, ['Acme VPN']);
    expect(r).toMatchObject({ ok: false, code: 'WINDOW_MISMATCH' });
    expect(!r.ok && r.message).toMatch(/cannot tell which program/);
  });

  it('returns the first entry that allows the window', () => {
    expect(matchWindow('Acme VPN', zenity, ['Notes', 'acme vpn', 'Acme VPN'])).toMatchObject({ ok: true, value: { entry: 'acme vpn' } });
    expect(matchWindow('Acme VPN', zenity, [])).toMatchObject({ ok: false });
  });

  it('describes the program for people', () => {
    expect(describeProgram(zenity)).toBe('zenity/Zenity (/usr/bin/zenity, pid 42)');
    expect(describeProgram(unknown)).toBe('unknown program');
  });
});
