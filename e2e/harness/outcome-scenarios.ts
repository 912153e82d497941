/**
 * The login outcome (CONTRACT §7) through the real stack, the same in Chromium and
 * Firefox: `blindfill fill LABEL --submit --json` on the `/outcome/…` fixture pages
 * (fixtures/outcome-pages.ts), one page per way a site answers. Each test compares the
 * outcome with what the fixture server says really happened. The file's stack must run
 * the daemon with BLINDFILL_OUTCOME_WAIT_MS = OUTCOME_WAIT_MS.
 */
import { beforeEach, expect, it } from 'vitest';
import type { BrowserStack } from './browser-stack.js';
import { makeCanary, namedEncodings } from './canary.js';

export const OUTCOME_WAIT_MS = 3_000;
const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export interface OutcomeAccount {
  username: string;
  password: string;
}

export function outcomeAccount(): OutcomeAccount {
  return { username: 'alice@example.test', password: makeCanary({ charset: 'full' }) };
}

/** `bank` (right password) and `bank-wrong` for bank.test; `mfa` (with TOTP) for login.example.test. */
export function outcomeCredentials(s: BrowserStack, a: OutcomeAccount): object[] {
  return [
    { label: 'bank', username: a.username, password: a.password, origins: [s.server.origin('bank.test')] },
    { label: 'bank-wrong', username: a.username, password: `${a.password}-not`, origins: [s.server.origin('bank.test')] },
    { label: 'mfa', username: a.username, password: a.password, totp: SEED, origins: [s.server.origin('login.example.test')] },
  ];
}

export function defineOutcomeScenarios(stack: () => BrowserStack, account: () => OutcomeAccount): void {
  beforeEach(() => {
    const { server } = stack();
    const a = account();
    server.reset();
    server.setAccount('bank.test', a);
    server.setAccount('login.example.test', { ...a, totp: { secret: SEED }, otpPage: 'digits' });
  });

  async function open(host: string, path: string): Promise<BrowserStack> {
    const s = stack();
    await s.page.goto(s.server.url(host, path));
    await s.page.waitForSelector('#password');
    return s;
  }

  async function submit(label: string, o: { totp?: boolean } = {}): Promise<{ outcome: unknown; ms: number; json: Record<string, unknown> }> {
    const s = stack();
    const t0 = Date.now();
    const r = await s.fill(label, { submit: true, ...o });
    expect(r.code, r.stderr).toBe(0);
    const json = r.json!;
    expect(json.submitted).toBe(true);
    return { outcome: json.outcome, ms: Date.now() - t0, json };
  }

  it('without submit there is no outcome', async () => {
    const s = await open('bank.test', '/outcome/classic');
    const r = await s.fill('bank');
    expect(r.code).toBe(0);
    expect(r.json).not.toHaveProperty('outcome');
    expect(s.server.logins()).toEqual([]);
  });

  it('classic form POST and a redirect to a page without the form → signed_in, at once', async () => {
    const s = await open('bank.test', '/outcome/classic');
    const r = await submit('bank');
    expect(r.outcome).toBe('signed_in');
    expect(r.ms).toBeLessThan(OUTCOME_WAIT_MS);
    expect(s.server.logins('bank.test')).toMatchObject([{ page: 'outcome/classic', ok: true, complete: true }]);
  });

  it('a script login that swaps the form for a welcome without a navigation → signed_in', async () => {
    const s = await open('bank.test', '/outcome/spa?delay=300');
    const r = await submit('bank');
    expect(r.outcome).toBe('signed_in');
    expect(r.ms).toBeLessThan(OUTCOME_WAIT_MS);
    expect(s.server.logins('bank.test')).toMatchObject([{ page: 'outcome/spa', ok: true, complete: true }]);
    expect(s.page.url()).toMatch(/\/outcome\/spa\/home$/);
  });

  it('a script login answered 401 with role=alert → rejected', async () => {
    const s = await open('bank.test', '/outcome/spa?delay=100');
    const r = await submit('bank-wrong');
    expect(r.outcome).toBe('rejected');
    expect(s.server.logins('bank.test')).toMatchObject([{ page: 'outcome/spa', ok: false, reason: 'bad-password' }]);
  });

  it('a form POST answered with the form again and role=alert → rejected', async () => {
    const s = await open('bank.test', '/outcome/classic');
    const r = await submit('bank-wrong');
    expect(r.outcome).toBe('rejected');
    expect(s.server.logins('bank.test')).toMatchObject([{ page: 'outcome/classic', ok: false, reason: 'bad-password' }]);
  });

  it('a right password that leads to a one-box-per-digit code page → needs_mfa; the code then → signed_in', async () => {
    const s = await open('login.example.test', '/outcome/classic');
    const first = await submit('mfa');
    expect(first.outcome).toBe('needs_mfa');
    expect(s.server.logins('login.example.test')).toMatchObject([{ page: 'outcome/classic', step: 'password', ok: true, complete: false }]);
    await s.page.waitForSelector('#digit-6');
    const second = await submit('mfa', { totp: true });
    expect(second.json.filled).toEqual(['totp']);
    expect(second.outcome).toBe('signed_in');
    expect(s.server.logins('login.example.test')).toMatchObject([{ step: 'password' }, { page: 'otp-digits', step: 'otp', ok: true, complete: true }]);
  });

  it('a page that answers with a challenge frame → captcha', async () => {
    const s = await open('bank.test', '/outcome/captcha');
    const r = await submit('bank');
    expect(r.outcome).toBe('captcha');
    // The site got the right credentials and asked for the challenge instead of checking.
    expect(s.server.posted('bank.test')).toMatchObject([{ page: 'outcome/captcha', fields: { username: 'username', password: 'password' } }]);
    expect(s.server.logins()).toEqual([]);
  });

  it('a login answered 429 Too Many Requests → locked', async () => {
    const s = await open('bank.test', '/outcome/locked');
    const r = await submit('bank');
    expect(r.outcome).toBe('locked');
    expect(r.ms).toBeLessThan(OUTCOME_WAIT_MS);
    expect(s.server.posted('bank.test')).toMatchObject([{ page: 'outcome/locked', fields: { username: 'username', password: 'password' } }]);
  });

  it('a site that answers after the deadline → unknown (the login did happen, later)', async () => {
    const slowMs = OUTCOME_WAIT_MS + 2_000;
    const s = await open('bank.test', `/outcome/slow?ms=${slowMs}`);
    const r = await submit('bank');
    const answeredAt = Date.now();
    expect(r.outcome).toBe('unknown');
    // Bounded: the wait, not the site's slowness, decided when the answer came.
    expect(r.ms).toBeGreaterThanOrEqual(OUTCOME_WAIT_MS - 100);
    expect(r.ms).toBeLessThan(slowMs);
    expect(s.server.logins()).toEqual([]);
    const login = await s.server.waitForLogin('bank.test', { timeoutMs: slowMs + 5_000 });
    expect(login).toMatchObject({ page: 'outcome/slow', ok: true, complete: true });
    expect(login.at).toBeGreaterThan(answeredAt);
    await s.page.waitForSelector('#welcome');
  });

  it('the outcome is in the audit log; no output or log holds the password', () => {
    const s = stack();
    const logs = `${s.home.readLogs()}\n${s.outputs.join('\n')}`;
    expect(logs).toContain('outcome signed_in');
    for (const e of namedEncodings(account().password)) expect(logs.includes(e.value), e.form).toBe(false);
  });
}
