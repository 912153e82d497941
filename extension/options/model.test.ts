import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CredentialSummary } from '../../shared/credential.js';
import { mergeUpdate } from '../../native-host/daemon/update.js';
import type { HeldCredential } from '../../native-host/daemon/secret-credential.js';
import { checkAdd, checkEdit, emptyForm, type FormValues, isEmptyUpdate, labelError, originError, sequenceError, totpError } from './model.js';

const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const form = (v: Partial<FormValues>): FormValues => ({ ...emptyForm(), ...v });
const summary = (c: Partial<CredentialSummary>): CredentialSummary => ({
  label: 'site',
  origins: [],
  windows: [],
  policy: 'auto',
  has_username: false,
  has_password: false,
  has_totp: false,
  ...c,
});

describe('field rules (the CLI’s own)', () => {
  it('labels', () => {
    expect(labelError('github-personal', [])).toBeNull();
    expect(labelError('', [])).toMatch(/required/);
    expect(labelError('GitHub', [])).toMatch(/lowercase/);
    expect(labelError('a'.repeat(65), [])).toMatch(/1–64/);
    expect(labelError('taken', ['taken'])).toMatch(/already exists/);
  });

  it('origins: http only on loopback, public-suffix wildcards, no paths', () => {
    expect(originError('https://github.com')).toBeNull();
    expect(originError('http://localhost:8080')).toBeNull();
    expect(originError('https://*.example.com')).toBeNull();
    expect(originError('http://example.com')).toMatch(/loopback/);
    expect(originError('https://*.github.io')).toMatch(/public suffix/);
    expect(originError('https://*.co.uk')).toMatch(/public suffix/);
    expect(originError('https://example.com/login')).toMatch(/no path/);
    expect(originError('ftp://example.com')).toMatch(/only https:/);
    expect(originError('https://user@example.com')).toMatch(/user info/);
  });

  it('sequences: the desktop typer’s parser', () => {
    expect(sequenceError('{USERNAME}{TAB}{PASSWORD}{ENTER}')).toBeNull();
    expect(sequenceError('{USERNAME}{NOPE}')).toMatch(/NOPE/);
    expect(checkAdd(form({ label: 'x', sequence: '{BOGUS}' }), [])).toMatchObject({ ok: false, errors: { sequence: expect.stringMatching(/BOGUS/) } });
  });

  it('TOTP: otpauth URI or base32; the reason never repeats the input', () => {
    expect(totpError(SEED)).toBeNull();
    expect(totpError(`otpauth://totp/x?secret=${SEED}&digits=8`)).toBeNull();
    const bad = `otpauth://hotp/x?secret=${SEED}&counter=0`;
    expect(totpError(bad)).toMatch(/hotp/);
    expect(totpError(bad)).not.toContain(SEED);
    expect(totpError('short')).not.toContain('short');
  });
});

describe('checkAdd', () => {
  it('builds the add request with normalized origins and the generate flag', () => {
    const r = checkAdd(
      form({ label: 'bank', username: 'alice', password: 'pw', totp: ` ${SEED} `, origins: ['HTTPS://Bank.Example', '', 'https://bank.example'], windows: ['Bank'], policy: 'confirm' }),
      [],
    );
    expect(r).toEqual({
      ok: true,
      plan: {
        kind: 'add',
        generate: false,
        credential: { label: 'bank', username: 'alice', password: 'pw', totp: SEED, origins: ['https://bank.example'], windows: ['Bank'], policy: 'confirm' },
      },
    });
    const g = checkAdd(form({ label: 'gen', password: 'ignored', passwordGenerate: true }), []);
    expect(g.ok && g.plan.kind === 'add' && 'password' in g.plan.credential).toBe(false);
    expect(g.ok && g.plan.generate).toBe(true);
  });

  it('reports each bad field by key, never with a secret in it', () => {
    const secret = 'Hunter2-secret!';
    const r = checkAdd(form({ label: 'Bad', password: secret, totp: secret, origins: ['https://ok.example', 'http://x.example'], windows: ['//(//'] }), []);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(['label', 'origins.1', 'totp', 'windows.0']);
    expect(JSON.stringify(r.errors)).not.toContain(secret);
  });
});

describe('checkEdit', () => {
  const old = summary({ label: 'bank', origins: ['https://bank.example'], windows: ['Bank'], policy: 'confirm', has_username: true, has_password: true, has_totp: true });
  const same = form({ label: 'bank', origins: ['https://bank.example'], windows: ['Bank'], policy: 'confirm' });

  it('nothing typed, nothing changed: an empty update', () => {
    const r = checkEdit(same, old);
    expect(r.ok && r.plan.kind === 'update' && isEmptyUpdate(r.plan)).toBe(true);
  });

  it('only what changed is sent; empty secret fields keep; clears are null', () => {
    const r = checkEdit({ ...same, password: 'new', usernameClear: true, totpClear: true, sequence: '{PASSWORD}' }, old);
    expect(r).toMatchObject({ ok: true, plan: { kind: 'update', label: 'bank', changes: { password: 'new', username: null, totp: null, sequence: '{PASSWORD}' }, widening: [] } });
  });

  it('replacing or clearing a stored value is listed (it needs re-authentication); setting one where none was is not', () => {
    const r = checkEdit({ ...same, password: 'new', usernameClear: true, totpClear: true }, old);
    expect(r.ok && r.plan.kind === 'update' && r.plan.replacing).toEqual(['username', 'password', 'TOTP seed']);
    const g = checkEdit({ ...same, passwordGenerate: true }, old);
    expect(g.ok && g.plan.kind === 'update' && g.plan.replacing).toEqual(['password']);
    const empty = summary({ label: 'bank', origins: ['https://bank.example'], windows: ['Bank'], policy: 'confirm' });
    const f = checkEdit({ ...same, username: 'u', password: 'p', totp: 'JBSWY3DPEHPK3PXP' }, empty);
    expect(f.ok && f.plan.kind === 'update' && f.plan.replacing).toEqual([]);
  });

  it('widening: a new origin, a new window, confirm → auto; narrowing is not', () => {
    const w = checkEdit({ ...same, origins: ['https://bank.example', 'https://evil.example'], windows: ['Bank', 'Other'], policy: 'auto' }, old);
    expect(w.ok && w.plan.kind === 'update' && w.plan.widening).toEqual([
      { kind: 'origin', text: 'https://evil.example' },
      { kind: 'window', text: 'Other' },
      { kind: 'policy', text: 'confirm → auto' },
    ]);
    const n = checkEdit({ ...same, origins: [], windows: [] }, old);
    expect(n.ok && n.plan.kind === 'update' && n.plan.widening).toEqual([]);
    expect(n.ok && n.plan.kind === 'update' && n.plan.changes).toEqual({ origins: [], windows: [] });
  });

  it('agrees with the daemon (mergeUpdate) on what widens, for any edit', () => {
    const originArb = fc.constantFrom('https://a.example', 'https://b.example', 'https://*.c.example', 'http://localhost:8080', 'HTTPS://A.EXAMPLE');
    const windowArb = fc.constantFrom('Acme', 'Bank', '//^Bank.*//');
    const policyArb = fc.constantFrom('auto' as const, 'confirm' as const);
    fc.assert(
      fc.property(
        fc.uniqueArray(originArb, { maxLength: 3 }),
        fc.uniqueArray(windowArb, { maxLength: 2 }),
        policyArb,
        fc.array(originArb, { maxLength: 4 }),
        fc.array(windowArb, { maxLength: 3 }),
        policyArb,
        (oldO, oldW, oldP, newO, newW, newP) => {
          const normOld = [...new Set(oldO.map((o) => o.toLowerCase()))];
          const held: HeldCredential = { label: 'x', origins: normOld, windows: oldW, policy: oldP, password: Buffer.from('pw') };
          const r = checkEdit(form({ label: 'x', origins: newO, windows: newW, policy: newP }), summary({ label: 'x', origins: normOld, windows: oldW, policy: oldP }));
          if (!r.ok || r.plan.kind !== 'update') throw new Error('valid input refused');
          const pageWidens = r.plan.widening.length > 0;
          if (Object.keys(r.plan.changes).length === 0) {
            expect(pageWidens).toBe(false);
            return;
          }
          const m = mergeUpdate(held, r.plan.changes);
          if (!m.ok) throw new Error(m.message);
          expect(pageWidens).toBe(m.value.widens);
        },
      ),
      { numRuns: 400 },
    );
  });
});
