/**
 * `blindfill fill` through real Chromium, the built extension, native host and daemon, on
 * the widget and top-layer pages (e2e/fixtures/realworld-widgets.ts): a modal <dialog> and
 * a popover inside an overflow:hidden card, the real Material Web text fields, inputs in
 * closed shadow roots (reached with chrome.dom.openOrClosedShadowRoot from the isolated
 * world), and the real MUI one-time-password input. The Firefox twin is
 * e2e/firefox/widgets.test.ts; the scenarios are e2e/harness/widget-scenarios.ts.
 * First, as a person would: each fixture logs in when typed into, so a fill that fails
 * there is blindfill's failure, not the page's.
 */
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addCredentials, resetServer } from '../harness/browser-stack.js';
import { expectFillLogsClean, type FillEngine, fillAccount, fillCredentials } from '../harness/fill-scenarios.js';
import { defineWidgetScenarios, until } from '../harness/widget-scenarios.js';
import { type Stack, startStack } from './setup.js';

let s: Stack;
const account = fillAccount();
const { username, password, seed } = account;

beforeAll(async () => {
  s = await startStack();
  await addCredentials(s.home, fillCredentials(s.server, account));
});
afterAll(async () => {
  await s?.close();
});
beforeEach(() => resetServer(s, { username, password }));

const chromium: FillEngine = {
  stack: () => s,
  welcomeShown: () => s.page.waitForSelector('text=Welcome', { timeout: 10_000 }).then(() => undefined),
  submit: () => s.page.click('button[type=submit]'),
  loaded: () => s.page.waitForLoadState('load'),
  frameField: () => s.page.frameLocator('iframe').locator('input[type=password]').waitFor(),
};
const url = (path: string) => s.server.url('bank.test', path);

describe('the fixtures, used as a person would', () => {
  it('Material Web: typed values reach the server; the inner inputs start at opacity 0 behind their labels', async () => {
    await s.page.goto(url('/rw/material?field=outlined'));
    await until(s.page, () => !!document.getElementById('password')?.shadowRoot?.querySelector('input'), 'the Material fields');
    // The password field is not focused: its inner input is transparent (the widget's own rendering).
    const opacity = await s.page.evaluate(() => {
      const input = document.getElementById('password')!.shadowRoot!.querySelector('input')!;
      let o = 1;
      for (let n: Element | null = input; n; n = (n.assignedSlot ?? n.parentElement ?? ((n.parentNode as ShadowRoot | null)?.host ?? null)) as Element | null) o *= Number(getComputedStyle(n).opacity);
      return o;
    });
    expect(opacity).toBeLessThan(0.7);
    await s.page.locator('#username input').fill(username);
    await s.page.locator('#password input').fill(password);
    await s.page.locator('md-filled-button').click();
    expect(await s.server.waitForLogin('bank.test', { predicate: (l) => l.ok })).toMatchObject({ page: 'rw/material', user: username });
  });

  it('MUI OTP: a pasted code reaches the server; the boxes have no maxlength', async () => {
    s.server.setAccount('*', { username, password, totp: { secret: seed } });
    await s.page.goto(url(`/rw/mui-otp?user=${encodeURIComponent(username)}`));
    await until(s.page, () => document.querySelectorAll('#mui-otp input[type=number]').length === 6, 'six boxes');
    expect(await s.page.$$eval('#mui-otp input[type=number]', (els) => els.map((e) => (e as HTMLInputElement).maxLength))).toEqual([-1, -1, -1, -1, -1, -1]);
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(seed) }).generate();
    // A person pastes the code into the first box; the widget spreads it over the six.
    await s.page.locator('#mui-otp input[type=number]').first().focus();
    await s.page.evaluate((c) => {
      const dt = new DataTransfer();
      dt.setData('text/plain', c);
      document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, code);
    expect(await s.page.$$eval('#mui-otp input[type=number]', (els) => els.map((e) => (e as HTMLInputElement).value).join(''))).toBe(code);
    await s.page.click('button[type=submit]');
    expect(await s.server.waitForLogin('bank.test', { predicate: (l) => l.step === 'otp' })).toMatchObject({ page: 'rw/mui-otp', ok: true });
  });
});

describe('fills that log in (server-side check)', () => {
  defineWidgetScenarios(chromium, account);
});

describe('secrets stay out of every log and output', () => {
  it('host log, daemon log, audit, CLI output', () => {
    expectFillLogsClean(s, [password, seed]);
  });
});
