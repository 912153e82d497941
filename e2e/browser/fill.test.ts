/**
 * Issue #3: `blindfill fill` through real Chromium, the real extension, native host and
 * daemon, against fixture sites that check the login server-side. The scenarios that run
 * alike in Firefox (e2e/firefox/fill.test.ts) are in e2e/harness/fill-scenarios.ts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addCredentials, expectNothingFilled, resetServer } from '../harness/browser-stack.js';
import { defineSharedLogins, defineSharedRefusals, expectFillLogsClean, expectRefused, type FillEngine, fillAccount, fillCredentials, fillInCrossOriginFrame, loggedIn } from '../harness/fill-scenarios.js';
import { type Stack, startStack } from './setup.js';

let s: Stack;
const account = fillAccount();
const { username, password, seed } = account;

beforeAll(async () => {
  s = await startStack();
  await addCredentials(s.home, [
    ...fillCredentials(s.server, account),
    { label: 'otherport', username, password, origins: [`https://bank.test:${s.server.port + 1}`] },
  ]);
  s.server.setAccount('*', { username, password });
});
afterAll(async () => {
  await s?.close();
});
beforeEach(() => resetServer(s, { username, password }));

const chromium: FillEngine = {
  stack: () => s,
  async welcomeShown() {
    await s.page.waitForLoadState('load');
    // The welcome page shows in whichever frame held the form.
    for (let i = 0; i < 100; i++) {
      for (const f of s.page.frames()) {
        if (await f.locator('text=Welcome').count().catch(() => 0)) return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('no frame shows the welcome page');
  },
  async submit(to) {
    if (to) await Promise.all([s.page.waitForURL(to), s.page.click('button[type=submit]')]);
    else await s.page.click('button[type=submit]');
  },
  loaded: () => s.page.waitForLoadState('load'),
  frameField: () => s.page.frameLocator('iframe').locator('input[type=password]').waitFor(),
};
const ok = (host: string) => loggedIn(chromium, host);

describe('fills that log in (server-side check)', () => {
  it('plain form, with --submit', async () => {
    await s.page.goto(s.server.url('bank.test', '/plain'));
    const r = await s.fill('bank', { submit: true });
    expect(r.json).toEqual({ ok: true, label: 'bank', origin: s.server.origin('bank.test'), filled: ['username', 'password'], submitted: true, outcome: 'signed_in' });
    const login = await ok('bank.test');
    expect(login).toMatchObject({ page: 'plain', user: username });
  });

  defineSharedLogins(chromium, account);

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

  it('honeypot: only the visible password field is filled', async () => {
    await s.page.goto(s.server.url('bank.test', '/honeypot'));
    const r = await s.fill('bank', { submit: true });
    expect(r.json).toMatchObject({ filled: ['username', 'password'] });
    expect(await ok('bank.test')).toMatchObject({ page: 'honeypot' });
  });
});

describe('refusals: the code, and nothing filled', () => {
  defineSharedRefusals(chromium);

  it('other port', () => expectRefused(chromium, s.server.url('bank.test', '/plain'), 'otherport', 'ORIGIN_MISMATCH'));
  it('cross-origin iframe (credential for the frame, top page elsewhere)', async () => {
    const r = await fillInCrossOriginFrame(chromium, 'login');
    expect(r.stderr).toMatch(/^error ORIGIN_MISMATCH: /);
    await expectNothingFilled(s.page);
  });
  it('about:blank', () => expectRefused(chromium, 'about:blank', 'bank', 'ORIGIN_MISMATCH'));
});

describe('secrets stay out of every log and output', () => {
  it('host log, daemon log, audit, CLI output', () => {
    expect(s.outputs.length).toBeGreaterThan(20);
    expectFillLogsClean(s, [password, seed]);
  });
});
