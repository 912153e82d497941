/**
 * The widget and top-layer pages (e2e/fixtures/realworld-widgets.ts) through real Firefox
 * (e2e/firefox/setup.ts): a modal <dialog> and a popover inside an overflow:hidden card,
 * the real Material Web text fields, inputs in closed shadow roots (reached with
 * element.openOrClosedShadowRoot, Firefox's content-script way), and the real MUI
 * one-time-password input. Scenarios shared with Chromium: e2e/harness/widget-scenarios.ts.
 */
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { addCredentials, resetServer } from '../harness/browser-stack.js';
import { expectFillLogsClean, type FillEngine, fillAccount, fillCredentials } from '../harness/fill-scenarios.js';
import { defineWidgetScenarios } from '../harness/widget-scenarios.js';
import { type FirefoxStack, startFirefoxStack, waitForText } from './setup.js';

let s: FirefoxStack;
const account = fillAccount();
const { username, password, seed } = account;

beforeAll(async () => {
  s = await startFirefoxStack();
  await addCredentials(s.home, fillCredentials(s.server, account));
});
afterAll(async () => {
  await s?.close();
});
beforeEach(() => resetServer(s, { username, password }));

const firefox: FillEngine = {
  stack: () => s,
  welcomeShown: () => waitForText(s.page, 'Welcome'),
  submit: async () => {
    await Promise.all([s.page.waitForNavigation(), s.page.click('button[type=submit]')]);
  },
  loaded: async () => undefined,
  frameField: async () => undefined,
};

describe('fills that log in (server-side check)', () => {
  defineWidgetScenarios(firefox, account);
});

describe('secrets stay out of every log and output', () => {
  it('host log, daemon log, audit, CLI output', () => {
    expectFillLogsClean(s, [password, seed]);
  });
});
