/**
 * The Firefox twin of e2e/browser/insecure-connection.test.ts: Firefox trusts the fixture
 * server's CA (profile NSS store), a second fixture server with an untrusted CA plays the
 * impostor. Firefox's certificate error page is privileged (WebDriver BiDi cannot click its
 * "Accept the Risk and Continue"), so the session's acceptInsecureCerts stands in for
 * that click: Firefox loads the impostor's page as after an accepted risk, and the fill
 * is refused with INSECURE_CONNECTION, the extension having judged the frame's response
 * with webRequest.getSecurityInfo. The trusted site still fills in the same session.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixtures/server.js';
import { addCredentials, expectNothingFilled } from '../harness/browser-stack.js';
import { makeCanary } from '../harness/canary.js';
import { type FirefoxStack, startFirefoxStack } from './setup.js';

let s: FirefoxStack;
let impostor: FixtureServer;
const username = 'alice@example.test';
const password = makeCanary({ charset: 'full' });

beforeAll(async () => {
  [s, impostor] = await Promise.all([startFirefoxStack({ acceptInsecureCerts: true }), startFixtureServer()]);
  await addCredentials(s.home, [
    { label: 'bank', username, password, origins: [s.server.origin('bank.test')] },
    { label: 'bank-impostor', username, password, origins: [impostor.origin('bank.test')] },
  ]);
});
afterAll(async () => {
  await s?.close();
  await impostor?.close();
});
beforeEach(() => {
  for (const srv of [s.server, impostor]) {
    srv.reset();
    srv.setAccount('*', { username, password });
  }
});

describe('certificate state (Firefox)', () => {
  it('a certificate from a CA the browser trusts: fills, submits, signs in', async () => {
    await s.page.goto(s.server.url('bank.test', '/plain'));
    const r = await s.fill('bank', { submit: true });
    expect(r.json).toMatchObject({ ok: true, filled: ['username', 'password'], submitted: true });
    expect(await s.server.waitForLogin('bank.test', { predicate: (l) => l.ok && l.complete })).toMatchObject({ user: username });
  });

  it('an untrusted certificate accepted anyway: INSECURE_CONNECTION, nothing filled, the impostor receives nothing', async () => {
    const url = impostor.url('bank.test', '/plain');
    await s.page.goto(url);
    await s.page.waitForSelector('#password');
    expect(s.page.url()).toBe(url);

    const r = await s.fill('bank-impostor', { submit: true });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error INSECURE_CONNECTION: /);
    expect(r.stderr).toContain(impostor.origin('bank.test'));
    // Judged from the response's security info (not the "no record" refusal).
    expect(r.stderr).not.toMatch(/no record/);
    await expectNothingFilled(s.page);
    expect(impostor.logins()).toEqual([]);
  });
});
