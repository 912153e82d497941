import { describe, expect, it } from 'vitest';
import { credentialFromKv } from './remote-entry.js';

describe('credentialFromKv', () => {
  it('takes bao kv put strings: origins and windows as JSON text or comma lists, policy', () => {
    const r = credentialFromKv('bank', { username: 'u', password: 'p', origins: '["https://bank.example"]', windows: 'Acme VPN', policy: 'confirm' });
    expect(r).toEqual({ ok: true, value: { label: 'bank', username: 'u', password: 'p', origins: ['https://bank.example'], windows: ['Acme VPN'], policy: 'confirm' } });
    const c = credentialFromKv('two', { origins: 'https://a.example, https://b.example' });
    expect(c.ok && c.value.origins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('takes native JSON and a TOTP object as JSON text', () => {
    const r = credentialFromKv('t', { origins: ['https://a.example'], totp: JSON.stringify({ secret: 'JBSWY3DPEHPK3PXP', digits: 6, period: 30, algorithm: 'SHA1' }) });
    expect(r.ok && r.value.totp?.digits).toBe(6);
  });

  it('refuses unknown fields, a different label and the origin rules of add, naming fields, never values', () => {
    const unknown = credentialFromKv('x', { username: 'u', note: 'sekrit-value' });
    expect(unknown).toMatchObject({ ok: false, code: 'INVALID_REQUEST' });
    expect(JSON.stringify(unknown)).not.toContain('sekrit-value');
    expect(credentialFromKv('x', { label: 'y' })).toMatchObject({ ok: false, code: 'INVALID_REQUEST' });
    expect(credentialFromKv('x', { origins: '["http://bank.example"]' })).toMatchObject({ ok: false, code: 'INSECURE_ORIGIN' });
    expect(credentialFromKv('x', { origins: '["https://*.github.io"]' })).toMatchObject({ ok: false });
    expect(credentialFromKv('x', 'not an object')).toMatchObject({ ok: false });
  });
});
