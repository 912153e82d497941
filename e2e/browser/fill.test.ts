/**
 * Issue #3: `blindfill fill` through real Chromium, the real extension, native host and
 * daemon, against fixture sites that check the login server-side.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeCanary, namedEncodings } from '../harness/canary.js';
import { allInputValues, type Stack, startStack } from './setup.js';

let s: Stack;
const password = makeCanary({ charset: 'full' });
const username = 'alice@example.test';
const seed = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

beforeAll(async () => {
  s = await startStack();
  const o = (h: string) => s.server.origin(h);
  const creds = [
    { label: 'bank', username, password, origins: [o('bank.test')] },
    { label: 'bank-2fa', username, password, totp: seed, origins: [o('bank.test')] },
    { label: 'login', username, password, origins: [o('login.example.test')] },
    { label: 'otherport', username, password, origins: [`https://bank.test:${s.server.port + 1}`] },
  ];
  const r = await s.home.run(['add', '--json-stdin'], JSON.stringify(creds));
  expect(r.code).toBe(0);
  s.server.setAccount('*', { username, password });
});
afterAll(async () => {
  await s?.close();
});
beforeEach(() => {
  s.server.reset();
  s.server.setAccount('*', { username, password });
});

/** The server accepted the login, and the browser shows the welcome page (navigation done). */
async function ok(host: string) {
  const login = await s.server.waitForLogin(host, { predicate: (l) => l.ok && l.complete });
  await s.page.waitForLoadState('load');
  // The welcome page shows in whichever frame held the form.
  for (let i = 0; i < 100; i++) {
    for (const f of s.page.frames()) {
      if (await f.locator('text=Welcome').count().catch(() => 0)) return login;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no frame shows the welcome page');
}

describe('fills that log in (server-side check)', () => {
  it('plain form, with --submit', async () => {
    await s.page.goto(s.server.url('bank.test', '/plain'));
    const r = await s.fill('bank', { submit: true });
    expect(r.json).toEqual({ ok: true, label: 'bank', origin: s.server.origin('bank.test'), filled: ['username', 'password'], submitted: true });
    const login = await ok('bank.test');
    expect(login).toMatchObject({ page: 'plain', user: username });
  });

  it('plain form without submit fills and leaves the submit to the agent', async () => {
    await s.page.goto(s.server.url('bank.test', '/plain'));
    const r = await s.fill('bank');
    expect(r.json).toMatchObject({ filled: ['username', 'password'], submitted: false });
    expect(s.server.logins('bank.test')).toEqual([]);
    await s.page.click('button[type=submit]');
    await ok('bank.test');
  });

  it('identifier-first: username page, Next, password page', async () => {
    await s.page.goto(s.server.url('bank.test', '/identifier-first'));
    const first = await s.fill('bank');
    expect(first.json).toMatchObject({ filled: ['username'], submitted: false });
    await Promise.all([s.page.waitForURL(/\/identifier-first\/password/), s.page.click('button[type=submit]')]);
    const second = await s.fill('bank', { submit: true });
    expect(second.json).toMatchObject({ filled: ['password'], submitted: true });
    expect(await ok('bank.test')).toMatchObject({ page: 'identifier-first' });
  });

  it('React 19 controlled inputs register the values', async () => {
    await s.page.goto(s.server.url('bank.test', '/react'));
    await s.page.waitForSelector('input[type=password]');
    const r = await s.fill('bank', { submit: true });
    expect(r.json).toMatchObject({ filled: ['username', 'password'], submitted: true });
    expect(await ok('bank.test')).toMatchObject({ page: 'react' });
  });

  it('open shadow DOM, nested', async () => {
    await s.page.goto(s.server.url('bank.test', '/shadow?nested=1'));
    const r = await s.fill('bank', { submit: true });
    expect(r.json).toMatchObject({ filled: ['username', 'password'], submitted: true });
    expect(await ok('bank.test')).toMatchObject({ page: 'shadow', variant: 'open-nested' });
  });

  it('same-origin iframe', async () => {
    await s.page.goto(s.server.url('bank.test', '/iframe'));
    await s.page.frameLocator('#login-frame').locator('input[type=password]').waitFor();
    const r = await s.fill('bank', { submit: true });
    expect(r.json).toMatchObject({ filled: ['username', 'password'], submitted: true });
    expect(await ok('bank.test')).toMatchObject({ page: 'iframe' });
  });

  it('password then one-time code (single field), code computed at fill time', async () => {
    s.server.setAccount('*', { username, password, totp: { secret: seed } });
    await s.page.goto(s.server.url('bank.test', '/plain'));
    expect((await s.fill('bank-2fa', { submit: true })).json).toMatchObject({ filled: ['username', 'password'] });
    await s.page.waitForURL(/\/otp/);
    const r = await s.fill('bank-2fa', { totp: true, submit: true });
    expect(r.json).toMatchObject({ filled: ['totp'], submitted: true });
    expect(await ok('bank.test')).toMatchObject({ step: 'otp', page: 'otp' });
  });

  it('one box per digit', async () => {
    s.server.setAccount('*', { username, password, totp: { secret: seed }, otpPage: 'digits' });
    await s.page.goto(s.server.url('bank.test', `/otp-digits?user=${encodeURIComponent(username)}`));
    const r = await s.fill('bank-2fa', { totp: true, submit: true });
    expect(r.json).toMatchObject({ filled: ['totp'], submitted: true });
    expect(await ok('bank.test')).toMatchObject({ step: 'otp', page: 'otp-digits' });
  });

  it('honeypot: only the visible password field is filled', async () => {
    await s.page.goto(s.server.url('bank.test', '/honeypot'));
    const r = await s.fill('bank', { submit: true });
    expect(r.json).toMatchObject({ filled: ['username', 'password'] });
    expect(await ok('bank.test')).toMatchObject({ page: 'honeypot' });
  });
});

describe('refusals: the code, and nothing filled', () => {
  async function refused(url: string, label: string, code: string) {
    await s.page.goto(url);
    await s.page.waitForLoadState('load');
    const r = await s.fill(label);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^error ${code}: `));
    expect((await allInputValues(s.page)).filter((v) => v !== '')).toEqual([]);
    expect(s.server.logins()).toEqual([]);
  }

  it('look-alike host bank.test.evil.test', () => refused(s.server.url('bank.test.evil.test', '/plain'), 'bank', 'ORIGIN_MISMATCH'));
  it('other registrable domain', () => refused(s.server.url('evil.test', '/plain'), 'bank', 'ORIGIN_MISMATCH'));
  it('http: page for an https: credential', () => refused(s.server.httpUrl('bank.test', '/plain'), 'bank', 'INSECURE_ORIGIN'));
  it('other port', () => refused(s.server.url('bank.test', '/plain'), 'otherport', 'ORIGIN_MISMATCH'));
  it('cross-origin iframe (credential for the frame, top page elsewhere)', async () => {
    await s.page.goto(s.server.url('bank.test', '/cross-iframe?target=login.example.test'));
    await s.page.frameLocator('iframe').locator('input[type=password]').waitFor();
    const r = await s.fill('login');
    expect(r.stderr).toMatch(/^error ORIGIN_MISMATCH: /);
    expect((await allInputValues(s.page)).filter((v) => v !== '')).toEqual([]);
  });
  it('cross-origin iframe (credential for the top page, form in a foreign frame)', async () => {
    await s.page.goto(s.server.url('bank.test', '/cross-iframe?target=login.example.test'));
    await s.page.frameLocator('iframe').locator('input[type=password]').waitFor();
    const r = await s.fill('bank');
    expect(r.stderr).toMatch(/^error NO_FILLABLE_FIELD: /);
    expect((await allInputValues(s.page)).filter((v) => v !== '')).toEqual([]);
  });
  it('a page with nothing fillable', () => refused(s.server.url('bank.test', '/nothing'), 'bank', 'NO_FILLABLE_FIELD'));
  it('about:blank', () => refused('about:blank', 'bank', 'ORIGIN_MISMATCH'));
});

describe('secrets stay out of every log and output', () => {
  it('host log, daemon log, audit, CLI output', () => {
    const logs = `${s.home.readLogs()}\n${s.outputs.join('\n')}`;
    expect(s.outputs.length).toBeGreaterThan(20);
    expect(logs).toContain('"event":"fill"');
    for (const secret of [password, seed]) for (const e of namedEncodings(secret)) expect(logs.includes(e.value), e.form).toBe(false);
  });
});
