import { describe, expect, it } from 'vitest';
import type { CredentialSummary } from '../../shared/credential.js';
import { indexList, view } from './list-model.js';

const c = (label: string, origins: string[] = [], windows: string[] = [], username?: string): CredentialSummary =>
  ({ label, origins, windows, policy: 'auto', has_username: true, has_password: true, has_totp: false, ...(username ? { username } : {}) }) as CredentialSummary;

const list = [
  c('zeta', ['https://alpha.example']),
  c('alpha-mail', ['https://*.mail.example']),
  c('vpn', [], ['Acme VPN']),
  c('bank', ['https://bank.example'], [], 'alice@home.example'),
];
const labels = (q: string, s: 'label' | 'origin' = 'label') => view(indexList(list), q, s).map((x) => x.label);

describe('settings list search and sort', () => {
  it('sorts by label, or by site with no-site credentials last', () => {
    expect(labels('')).toEqual(['alpha-mail', 'bank', 'vpn', 'zeta']);
    expect(labels('', 'origin')).toEqual(['zeta', 'bank', 'alpha-mail', 'vpn']);
  });

  it('finds by label, site, window and username, any case, every word', () => {
    expect(labels('ALPHA')).toEqual(['alpha-mail', 'zeta']);
    expect(labels('mail.example')).toEqual(['alpha-mail']);
    expect(labels('acme')).toEqual(['vpn']);
    expect(labels('alice')).toEqual(['bank']);
    expect(labels('alpha mail')).toEqual(['alpha-mail']);
    expect(labels('nothing-like-this')).toEqual([]);
  });

  it('10,000 credentials: a search and a sort take a few milliseconds', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => c(`site-${i}`, [`https://s${i}.example`], [], `user${i}`));
    const idx = indexList(many);
    const t0 = performance.now();
    expect(view(idx, 'user9999', 'label').map((x) => x.label)).toEqual(['site-9999']);
    expect(view(idx, '', 'origin')).toHaveLength(10_000);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});
