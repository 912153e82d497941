/**
 * A page whose certificate Chromium rejected, clicked through, is an impostor blindfill
 * must not fill (INSECURE_CONNECTION). Real Chromium, real extension, host and daemon;
 * Chromium runs WITHOUT --ignore-certificate-errors and trusts the fixture server's CA
 * (NSS store of its HOME: harness/nss.ts). A second fixture server with a CA nobody
 * trusts plays the impostor: Chromium shows its interstitial, the test clicks
 * "Advanced" → "Proceed", the login page loads, and the fill is refused before any value
 * leaves the daemon; the impostor records no login.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixtures/server.js';
import { addCredentials, expectNothingFilled } from '../harness/browser-stack.js';
import { makeCanary, namedEncodings } from '../harness/canary.js';
import { startMcp } from '../mcp/mcp-client.js';
import { type Stack, startStack } from './setup.js';

let s: Stack;
let impostor: FixtureServer;
const username = 'alice@example.test';
const password = makeCanary({ charset: 'full' });

beforeAll(async () => {
  [s, impostor] = await Promise.all([startStack(), startFixtureServer()]);
  await addCredentials(s.home, [
    { label: 'bank', username, password, origins: [s.server.origin('bank.test')] },
    // The impostor's origin is the credential's own (only the port tells the two servers apart here).
    { label: 'bank-impostor', username, password, origins: [impostor.origin('bank.test')] },
    // A page of the real site framing the impostor's origin.
    { label: 'framed', username, password, origins: [s.server.origin('bank.test'), impostor.origin('bank.test')] },
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

/** Navigate to an untrusted-certificate page: Chromium's interstitial; click Advanced → Proceed; the login form loads. */
async function clickThrough(url: string): Promise<void> {
  const err = await s.page.goto(url).then(
    () => null,
    (e: Error) => e,
  );
  expect(err?.message).toMatch(/net::ERR_CERT_AUTHORITY_INVALID/);
  await s.page.click('#details-button');
  await Promise.all([s.page.waitForURL(url), s.page.click('#proceed-link')]);
  await s.page.waitForSelector('input[type=password]');
}

async function expectRefusedHere(label: string): Promise<void> {
  const r = await s.fill(label, { submit: true });
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/^error INSECURE_CONNECTION: /);
  expect(r.stderr).toContain(impostor.origin('bank.test'));
  await expectNothingFilled(s.page);
  expect(impostor.logins()).toEqual([]);
}

describe('certificate state (Chromium, no --ignore-certificate-errors)', () => {
  it('a certificate from a CA the browser trusts: fills, submits, signs in', async () => {
    await s.page.goto(s.server.url('bank.test', '/plain'));
    const r = await s.fill('bank', { submit: true });
    expect(r.json).toMatchObject({ ok: true, filled: ['username', 'password'], submitted: true });
    expect(await s.server.waitForLogin('bank.test', { predicate: (l) => l.ok && l.complete })).toMatchObject({ user: username });
  });

  it('an untrusted certificate clicked through: INSECURE_CONNECTION, nothing filled, the impostor receives nothing', async () => {
    await clickThrough(impostor.url('bank.test', '/plain'));
    expect(await s.page.locator('#password').count()).toBe(1);
    await expectRefusedHere('bank-impostor');
    expect(s.server.logins()).toEqual([]);
  });

  it('MCP fill_credential: isError with code INSECURE_CONNECTION', async () => {
    await s.page.goto(impostor.url('bank.test', '/plain'));
    const agent = await startMcp(s.home.env);
    try {
      const r = await agent.call('fill_credential', { label: 'bank-impostor', submit: true });
      expect(r.isError).toBe(true);
      expect(r.structured).toMatchObject({ ok: false, code: 'INSECURE_CONNECTION' });
      for (const e of namedEncodings(password)) expect(agent.transcript.join('\n').includes(e.value), e.form).toBe(false);
    } finally {
      await agent.close();
    }
    await expectNothingFilled(s.page);
    expect(impostor.logins()).toEqual([]);
  });

  it('later visits load without an interstitial (Chromium remembers the exception) and are still refused', async () => {
    await s.page.goto(impostor.url('bank.test', '/plain?again=1'));
    await s.page.waitForSelector('#password');
    await expectRefusedHere('bank-impostor');
  });

  it('the real site framing the overridden origin: the frame is checked, not only the top page', async () => {
    await s.page.goto(s.server.url('bank.test', `/cross-iframe?target=bank.test&port=${impostor.port}`));
    await s.page.frameLocator('iframe').locator('input[type=password]').waitFor();
    await expectRefusedHere('framed');
    expect(s.server.logins()).toEqual([]);
  });
});
