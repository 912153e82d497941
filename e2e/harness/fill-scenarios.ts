/**
 * The `blindfill fill` scenarios that Chromium (e2e/browser/) and Firefox (e2e/firefox/)
 * run the same way, written once. Each test file keeps its own stack, its own
 * engine-specific tests, and hands these an adapter: how its engine waits for what the
 * scenario needs (Playwright and puppeteer-core do not wait alike).
 */
import { expect, it } from 'vitest';
import type { FixtureServer, Login } from '../fixtures/server.js';
import { type BrowserStack, expectNothingFilled, type FillResult } from './browser-stack.js';
import { makeCanary, namedEncodings } from './canary.js';

export interface FillEngine {
  /** The file's stack (started in its beforeAll). */
  stack(): BrowserStack;
  /** Wait until a frame of the page shows the fixture's welcome page. */
  welcomeShown(): Promise<void>;
  /** Click the form's submit button and wait for the navigation; with `to`, for the page at a URL matching it. */
  submit(to?: RegExp): Promise<void>;
  /** After page.goto(): wait for the page's load event. */
  loaded(): Promise<void>;
  /** Wait until the login form shows in the page's child frame. */
  frameField(): Promise<void>;
}

/** The account the file's credentials hold (the fixture server knows it on every host). */
export interface FillAccount {
  username: string;
  password: string;
  /** The TOTP seed of the `bank-2fa` credential. */
  seed: string;
}

/** A fresh account for a test file: a new canary password (every character class) each time. */
export function fillAccount(): FillAccount {
  return { username: 'alice@example.test', password: makeCanary({ charset: 'full' }), seed: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' };
}

/** The credentials the scenarios use: `bank` and `bank-2fa` (with TOTP) for bank.test, `login` for login.example.test. */
export function fillCredentials(server: FixtureServer, a: FillAccount): object[] {
  const { username, password } = a;
  return [
    { label: 'bank', username, password, origins: [server.origin('bank.test')] },
    { label: 'bank-2fa', username, password, totp: a.seed, origins: [server.origin('bank.test')] },
    { label: 'login', username, password, origins: [server.origin('login.example.test')] },
  ];
}

/** The server accepted the login on host, and the browser shows the welcome page: the login's record. */
export async function loggedIn(e: FillEngine, host: string): Promise<Login> {
  const login = await e.stack().server.waitForLogin(host, { predicate: (l) => l.ok && l.complete });
  await e.welcomeShown();
  return login;
}

/** A refusal: on the page at `url`, `fill label` exits non-zero with `code`, nothing is filled, the server saw no login. */
export async function expectRefused(e: FillEngine, url: string, label: string, code: string): Promise<void> {
  const s = e.stack();
  await s.page.goto(url);
  await e.loaded();
  const r = await s.fill(label);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(new RegExp(`^error ${code}: `));
  await expectNothingFilled(s.page);
  expect(s.server.logins()).toEqual([]);
}

/** `fill label` on bank.test's page framing login.example.test's login form. */
export async function fillInCrossOriginFrame(e: FillEngine, label: string): Promise<FillResult> {
  const s = e.stack();
  await s.page.goto(s.server.url('bank.test', '/cross-iframe?target=login.example.test'));
  await e.frameField();
  return s.fill(label);
}

/** Host log, daemon log, audit and CLI output record the fills, and hold no secret in any encoding. */
export function expectFillLogsClean(s: BrowserStack, secrets: readonly string[]): void {
  const logs = `${s.home.readLogs()}\n${s.outputs.join('\n')}`;
  expect(logs).toContain('"event":"fill"');
  for (const secret of secrets) for (const e of namedEncodings(secret)) expect(logs.includes(e.value), e.form).toBe(false);
}

/** The fills that log in the same way in both engines, with fillCredentials(). */
export function defineSharedLogins(e: FillEngine, a: FillAccount): void {
  it('plain form without submit fills and leaves the submit to the agent', async () => {
    const s = e.stack();
    await s.page.goto(s.server.url('bank.test', '/plain'));
    const r = await s.fill('bank');
    expect(r.json).toMatchObject({ filled: ['username', 'password'], submitted: false });
    expect(s.server.logins('bank.test')).toEqual([]);
    await e.submit();
    await loggedIn(e, 'bank.test');
  });

  it('identifier-first: username page, Next, password page', async () => {
    const s = e.stack();
    await s.page.goto(s.server.url('bank.test', '/identifier-first'));
    const first = await s.fill('bank');
    expect(first.json).toMatchObject({ filled: ['username'], submitted: false });
    await e.submit(/\/identifier-first\/password/);
    const second = await s.fill('bank', { submit: true });
    expect(second.json).toMatchObject({ filled: ['password'], submitted: true });
    expect(await loggedIn(e, 'bank.test')).toMatchObject({ page: 'identifier-first' });
  });

  it('React 19 controlled inputs register the values', async () => {
    const s = e.stack();
    await s.page.goto(s.server.url('bank.test', '/react'));
    await s.page.waitForSelector('input[type=password]');
    const r = await s.fill('bank', { submit: true });
    expect(r.json).toMatchObject({ filled: ['username', 'password'], submitted: true });
    expect(await loggedIn(e, 'bank.test')).toMatchObject({ page: 'react' });
  });

  it('open shadow DOM, nested', async () => {
    const s = e.stack();
    await s.page.goto(s.server.url('bank.test', '/shadow?nested=1'));
    const r = await s.fill('bank', { submit: true });
    expect(r.json).toMatchObject({ filled: ['username', 'password'], submitted: true });
    expect(await loggedIn(e, 'bank.test')).toMatchObject({ page: 'shadow', variant: 'open-nested' });
  });

  it('one box per digit', async () => {
    const s = e.stack();
    s.server.setAccount('*', { username: a.username, password: a.password, totp: { secret: a.seed }, otpPage: 'digits' });
    await s.page.goto(s.server.url('bank.test', `/otp-digits?user=${encodeURIComponent(a.username)}`));
    const r = await s.fill('bank-2fa', { totp: true, submit: true });
    expect(r.json).toMatchObject({ filled: ['totp'], submitted: true });
    expect(await loggedIn(e, 'bank.test')).toMatchObject({ step: 'otp', page: 'otp-digits' });
  });
}

/** The refusals that come out the same in both engines, with fillCredentials(). */
export function defineSharedRefusals(e: FillEngine): void {
  const url = (host: string, path: string) => e.stack().server.url(host, path);
  it('look-alike host bank.test.evil.test', () => expectRefused(e, url('bank.test.evil.test', '/plain'), 'bank', 'ORIGIN_MISMATCH'));
  it('other registrable domain', () => expectRefused(e, url('evil.test', '/plain'), 'bank', 'ORIGIN_MISMATCH'));
  it('http: page for an https: credential', () => expectRefused(e, e.stack().server.httpUrl('bank.test', '/plain'), 'bank', 'INSECURE_ORIGIN'));
  it('a page with nothing fillable', () => expectRefused(e, url('bank.test', '/nothing'), 'bank', 'NO_FILLABLE_FIELD'));
  it('cross-origin iframe (credential for the top page, form in a foreign frame)', async () => {
    const r = await fillInCrossOriginFrame(e, 'bank');
    expect(r.stderr).toMatch(/^error NO_FILLABLE_FIELD: /);
    await expectNothingFilled(e.stack().page);
  });
}

/**
 * A page that navigates between the decision (probe) and the injection (fill): the stack's
 * daemon pauses 1500 ms between the two (BLINDFILL_TEST_FILL_DELAY_MS), credential `bank`
 * for bank.test.
 */
export function defineNavigationScenarios(stack: () => BrowserStack): void {
  it('to another host: ORIGIN_MISMATCH, nothing filled on the new page', async () => {
    const s = stack();
    await s.page.goto(s.server.url('bank.test', '/navigate-away?after=700&to=evil.test&path=/plain'));
    const t0 = Date.now();
    const r = await s.fill('bank');
    // The daemon pauses only after a probe that approved the page: the refusal is the fill's.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1400);
    expect(r.stderr).toMatch(/^error ORIGIN_MISMATCH: /);
    expect(new URL(s.page.url()).hostname).toBe('evil.test');
    await expectNothingFilled(s.page);
  });

  it('to a new document of the same origin: refused (the probed document is gone)', async () => {
    const s = stack();
    await s.page.goto(s.server.url('bank.test', '/navigate-away?after=700&to=bank.test&path=/plain'));
    const t0 = Date.now();
    const r = await s.fill('bank');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1400);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error (ORIGIN_MISMATCH|NO_FILLABLE_FIELD): /);
    expect(new URL(s.page.url()).pathname).toBe('/plain');
    await expectNothingFilled(s.page);
  });
}
