/**
 * The extension's fallback for a Firefox whose scripting API has no documentIds (Firefox
 * 153 ESR has them; older releases did not): the same add-on, with a test-only shim that
 * strips documentId from injection results and refuses documentIds targets, so every
 * fill goes through the stand-in ids (webNavigation URL re-check, then frameIds). Real
 * firefox-esr, real host and daemon; the sites check the logins server-side.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeCanary } from '../harness/canary.js';
import { allInputValues, type FirefoxStack, startFirefoxStack, waitForText, withoutDocumentIds } from './setup.js';

let s: FirefoxStack;
let extDir: string;
const password = makeCanary();
const username = 'carol@example.test';
const seed = 'KRUGKIDROVUWG2ZAMJZG653OEBTG66BANJ2W24DT';

beforeAll(async () => {
  extDir = withoutDocumentIds();
  s = await startFirefoxStack({ extensionDir: extDir });
  const o = (h: string) => s.server.origin(h);
  const r = await s.home.run(['add', '--json-stdin'], JSON.stringify([
    { label: 'bank', username, password, totp: seed, origins: [o('bank.test')] },
  ]));
  expect(r.code).toBe(0);
});
afterAll(async () => {
  await s?.close();
  if (extDir) fs.rmSync(extDir, { recursive: true, force: true });
});
beforeEach(() => {
  s.server.reset();
  s.server.setAccount('*', { username, password });
});

/** Whether some frame of the page was reached through a frameIds injection (the shim marks it). */
async function reachedByFrameIds(): Promise<boolean> {
  for (const f of s.page.frames()) {
    if (await f.evaluate(() => document.documentElement.getAttribute('data-bf-frameids') === 'yes').catch(() => false)) return true;
  }
  return false;
}

async function ok(host: string) {
  const login = await s.server.waitForLogin(host, { predicate: (l) => l.ok && l.complete });
  await waitForText(s.page, 'Welcome');
  return login;
}

describe('fills through stand-in document ids (frameIds after a URL re-check)', () => {
  it('plain form', async () => {
    await s.page.goto(s.server.url('bank.test', '/plain'));
    expect((await s.fill('bank')).json).toMatchObject({ filled: ['username', 'password'], submitted: false });
    expect(await reachedByFrameIds()).toBe(true);
    const r = await s.fill('bank', { submit: true });
    expect(r.json).toEqual({ ok: true, label: 'bank', origin: s.server.origin('bank.test'), filled: ['username', 'password'], submitted: true, outcome: 'signed_in' });
    expect(await ok('bank.test')).toMatchObject({ page: 'plain', user: username });
  });

  it('identifier-first', async () => {
    await s.page.goto(s.server.url('bank.test', '/identifier-first'));
    expect((await s.fill('bank')).json).toMatchObject({ filled: ['username'], submitted: false });
    await Promise.all([s.page.waitForNavigation(), s.page.click('button[type=submit]')]);
    expect((await s.fill('bank', { submit: true })).json).toMatchObject({ filled: ['password'], submitted: true });
    expect(await ok('bank.test')).toMatchObject({ page: 'identifier-first' });
  });

  it('password then TOTP', async () => {
    s.server.setAccount('*', { username, password, totp: { secret: seed } });
    await s.page.goto(s.server.url('bank.test', '/plain'));
    const nav = s.page.waitForNavigation();
    expect((await s.fill('bank', { submit: true })).json).toMatchObject({ submitted: true });
    await nav;
    expect((await s.fill('bank', { totp: true, submit: true })).json).toMatchObject({ filled: ['totp'], submitted: true });
    expect(await ok('bank.test')).toMatchObject({ step: 'otp' });
  });

  it('a same-origin child frame (frameIds target)', async () => {
    await s.page.goto(s.server.url('bank.test', '/iframe'));
    for (let i = 0; i < 100 && !(await s.page.frames()[1]?.$('input[type=password]').catch(() => null)); i++) await new Promise((r) => setTimeout(r, 50));
    expect((await s.fill('bank')).json).toMatchObject({ filled: ['username', 'password'] });
    expect(await s.page.frames()[1]!.evaluate(() => document.documentElement.getAttribute('data-bf-frameids'))).toBe('yes');
    const r = await s.fill('bank', { submit: true });
    expect(r.json).toMatchObject({ filled: ['username', 'password'], submitted: true });
    expect(await ok('bank.test')).toMatchObject({ page: 'iframe' });
  });

  it('look-alike host refused, nothing filled', async () => {
    await s.page.goto(s.server.url('bank.test.evil.test', '/plain'));
    const r = await s.fill('bank');
    expect(r.stderr).toMatch(/^error ORIGIN_MISMATCH: /);
    expect((await allInputValues(s.page)).filter(Boolean)).toEqual([]);
  });
});
