import { describe, expect, it } from 'vitest';
import type { CredentialSummary } from '../../shared/credential.js';
import { checkOrigin } from '../../shared/origin.js';
import { filterOrigin, mayFillOn, pageOf } from './list-view.js';

const cred = (label: string, origins: string[] = []): CredentialSummary => ({
  label,
  origins,
  windows: [],
  policy: 'auto',
  has_username: true,
  has_password: true,
  has_totp: false,
});

describe('list filtered by origin', () => {
  const list = [
    cred('exact', ['https://github.com']),
    cred('wild', ['https://*.github.com']),
    cred('port', ['https://github.com:8443']),
    cred('other', ['https://gitlab.com']),
    cred('local', ['http://localhost:3000']),
    cred('desktop'),
  ];
  const labels = (o: string) => mayFillOn(list, o).map((c) => c.label);

  it('keeps exactly what a fill would accept', () => {
    expect(labels('https://github.com')).toEqual(['exact', 'wild']);
    expect(labels('https://gist.github.com')).toEqual(['wild']);
    expect(labels('https://github.com:8443')).toEqual(['port']);
    expect(labels('http://github.com')).toEqual([]);
    expect(labels('https://github.com.evil.test')).toEqual([]);
    expect(labels('http://localhost:3000')).toEqual(['local']);
    for (const o of ['https://github.com', 'https://a.b.github.com', 'https://gitlab.com', 'https://xgithub.com']) {
      expect(labels(o)).toEqual(list.filter((c) => checkOrigin(c.origins, o).ok).map((c) => c.label));
    }
  });

  it('takes a URL and keeps only its origin; refuses what is not a web URL', () => {
    expect(filterOrigin('https://GitHub.com/login?next=/x#y')).toEqual({ ok: true, value: 'https://github.com' });
    expect(filterOrigin('https://bücher.example/')).toEqual({ ok: true, value: 'https://xn--bcher-kva.example' });
    for (const bad of ['github.com', 'chrome://newtab', 'file:///etc/passwd', 'active']) {
      expect(filterOrigin(bad)).toMatchObject({ ok: false, code: 'INVALID_REQUEST' });
    }
  });
});

describe('list pages', () => {
  const many = Array.from({ length: 500 }, (_, i) => cred(`site-${String(i).padStart(4, '0')}`, [`https://s${i}.example`]));

  it('without a cap, everything after the cursor', () => {
    expect(pageOf(many, undefined, undefined).credentials).toHaveLength(500);
    expect(pageOf(many, 'site-0099', undefined).credentials[0]!.label).toBe('site-0100');
    expect(pageOf(many, 'site-00995', undefined).credentials[0]!.label).toBe('site-0100');
  });

  it('pages under the byte cap cover the list once, in order', () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let n = 0; n < 100; n++) {
      const p = pageOf(many, after, 4096);
      expect(Buffer.byteLength(JSON.stringify(p.credentials))).toBeLessThanOrEqual(4096);
      seen.push(...p.credentials.map((c) => c.label));
      if (p.next === undefined) break;
      after = p.next;
    }
    expect(seen).toEqual(many.map((c) => c.label));
  });

  it('always advances, even when one credential is bigger than the cap', () => {
    const big = [cred('a', Array.from({ length: 100 }, (_, i) => `https://host-${i}.example`)), cred('b')];
    expect(pageOf(big, undefined, 1024)).toEqual({ credentials: [big[0]], next: 'a' });
    expect(pageOf(big, 'a', 1024)).toEqual({ credentials: [big[1]] });
  });
});
