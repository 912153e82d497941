/**
 * A page that navigates between the decision (probe) and the injection (fill): the fill
 * must fail closed, with nothing filled anywhere. The daemon pauses between the two
 * phases (test seam BLINDFILL_TEST_FILL_DELAY_MS) so the navigation lands in between.
 * The scenarios, the same in Firefox, are in e2e/harness/fill-scenarios.ts.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { defineNavigationScenarios } from '../harness/fill-scenarios.js';
import { type Stack, startStack } from './setup.js';

let s: Stack;
const username = 'alice@example.test';
const password = 'nav-test-Pw-1!';
beforeAll(async () => {
  s = await startStack({ homeEnv: { BLINDFILL_TEST_FILL_DELAY_MS: '1500' } });
  await s.home.run(['add', '--json-stdin'], JSON.stringify({ label: 'bank', username, password, origins: [s.server.origin('bank.test')] }));
  s.server.setAccount('*', { username, password });
});
afterAll(async () => {
  await s?.close();
});

describe('navigation between probe and fill', () => {
  defineNavigationScenarios(() => s);
});
