import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { HeldCredential } from './secret-credential.js';
import { generatePassword, mergeUpdate } from './update.js';

const base = (): HeldCredential => ({
  label: 'gh',
  username: Buffer.from('alice'),
  password: Buffer.from('old-pw'),
  origins: ['https://github.com'],
  windows: ['Acme VPN'],
  policy: 'confirm',
});

describe('mergeUpdate', () => {
  it.each([
    [{ origins: ['https://github.com', 'https://evil.test'] }, true],
    [{ origins: ['https://*.github.com'] }, true],
    [{ origins: [] }, false],
    [{ origins: ['https://GITHUB.com/'] }, false], // same origin, normalized
    [{ windows: ['Acme VPN', 'Terminal'] }, true],
    [{ windows: [] }, false],
    [{ policy: 'auto' as const }, true],
    [{ policy: 'confirm' as const }, false],
    [{ password: 'new-pw' }, false],
    [{ username: null }, false],
    [{ totp: 'JBSWY3DPEHPK3PXP' }, false],
  ])('%j widens: %s', (changes, widens) => {
    const r = mergeUpdate(base(), changes);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.widens).toBe(widens);
  });

  it.each([
    [{ password: 'new-pw' }, ['password']],
    [{ username: null }, ['username']],
    [{ totp: 'JBSWY3DPEHPK3PXP' }, []], // none stored before: set, not replaced
    [{ origins: ['https://github.com', 'https://evil.test'] }, []],
  ])('%j replaces %j', (changes, replaces) => {
    const r = mergeUpdate(base(), changes);
    expect(r.ok && r.value.replaces).toEqual(replaces);
  });

  it('keeps unchanged secret Buffers shared and replaces changed ones', () => {
    const old = base();
    const r = mergeUpdate(old, { password: 'new-pw' });
    if (!r.ok) throw new Error(r.message);
    expect(r.value.updated.username).toBe(old.username);
    expect(r.value.updated.password?.toString()).toBe('new-pw');
    expect(r.value.fields).toEqual(['password']);
  });

  it.each([
    [{ origins: ['http://evil.test'] }, 'INSECURE_ORIGIN'],
    [{ origins: ['https://*.github.io'] }, 'INVALID_REQUEST'],
    [{ windows: ['//([//'] }, 'INVALID_REQUEST'],
    [{ totp: 'not a seed!' }, 'INVALID_REQUEST'],
    [{}, 'INVALID_REQUEST'],
  ])('refuses %j with %s', (changes, code) => {
    const r = mergeUpdate(base(), changes);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe(code);
  });
});

describe('generatePassword', () => {
  it('has the length and every class, from printable ASCII', () => {
    for (let i = 0; i < 200; i++) {
      const p = generatePassword(16, randomBytes).toString('latin1');
      expect(p).toHaveLength(16);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[2-9]/);
      expect(p).toMatch(/[!#$%&*+\-=?@^_~]/);
    }
  });
  it('differs between calls', () => {
    const a = new Set(Array.from({ length: 100 }, () => generatePassword(24, randomBytes).toString()));
    expect(a.size).toBe(100);
  });
});
