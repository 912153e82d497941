/**
 * The login outcome in real Chromium with the built extension (one browser for the whole
 * file, one page): the scenarios, the same in Firefox, are in
 * e2e/harness/outcome-scenarios.ts.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { addCredentials } from '../harness/browser-stack.js';
import { defineOutcomeScenarios, OUTCOME_WAIT_MS, type OutcomeAccount, outcomeAccount, outcomeCredentials } from '../harness/outcome-scenarios.js';
import { type Stack, startStack } from './setup.js';

let s: Stack;
const account: OutcomeAccount = outcomeAccount();
beforeAll(async () => {
  s = await startStack({ homeEnv: { BLINDFILL_OUTCOME_WAIT_MS: String(OUTCOME_WAIT_MS) } });
  await addCredentials(s.home, outcomeCredentials(s, account));
});
afterAll(async () => {
  await s?.close();
});

describe('login outcome (Chromium)', () => {
  defineOutcomeScenarios(() => s, () => account);
});
