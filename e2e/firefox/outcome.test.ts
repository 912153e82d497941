/**
 * The login outcome in real Firefox with the built add-on (one browser for the whole
 * file, one page): the scenarios, the same in Chromium, are in
 * e2e/harness/outcome-scenarios.ts.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { addCredentials } from '../harness/browser-stack.js';
import { defineOutcomeScenarios, OUTCOME_WAIT_MS, type OutcomeAccount, outcomeAccount, outcomeCredentials } from '../harness/outcome-scenarios.js';
import { type FirefoxStack, startFirefoxStack } from './setup.js';

let s: FirefoxStack;
const account: OutcomeAccount = outcomeAccount();
beforeAll(async () => {
  s = await startFirefoxStack({ homeEnv: { BLINDFILL_OUTCOME_WAIT_MS: String(OUTCOME_WAIT_MS) } });
  await addCredentials(s.home, outcomeCredentials(s, account));
});
afterAll(async () => {
  await s?.close();
});

describe('login outcome (Firefox)', () => {
  defineOutcomeScenarios(() => s, () => account);
});
