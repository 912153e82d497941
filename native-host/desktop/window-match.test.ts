import { describe, expect, it } from 'vitest';
import { isRegexPattern, matchWindow, titleMatches } from './window-match.js';

describe('window title matching', () => {
  it.each([
    ['Acme VPN', 'Acme VPN', true],
    ['Acme VPN — Connect', 'acme vpn', true],
    ['ACME vpn', 'Acme VPN', true],
    ['Acme', 'Acme VPN', false],
    ['Notes', 'Acme VPN', false],
    ['', 'Acme', false],
    ['Acme VPN', '//^Acme VPN$//', true],
    ['Acme VPN 2', '//^Acme VPN$//', false],
    ['acme vpn', '//^Acme//', false], // regex entries are case-sensitive
    ['Login - Acme', '//Log(in|on) - (Acme|Initech)//', true],
    ['a//b', '////', false], // too short to be a regex: a plain substring "////"
    ['x////y', '////', true],
    ['', '//.*//', false], // an empty title never matches
  ])('%j vs %j → %s', (title, entry, want) => {
    expect(titleMatches(title, entry)).toBe(want);
  });

  it('recognises //regex// entries the way add validates them', () => {
    expect(isRegexPattern('//a//')).toBe(true);
    expect(isRegexPattern('////')).toBe(false);
    expect(isRegexPattern('//a/')).toBe(false);
  });

  it('an invalid regex matches nothing instead of throwing', () => {
    expect(titleMatches('((', '//((//')).toBe(false);
  });

  it('returns the first matching entry', () => {
    expect(matchWindow('Acme VPN', ['Notes', 'vpn', 'Acme'])).toBe('vpn');
    expect(matchWindow('Acme VPN', [])).toBeUndefined();
  });
});
