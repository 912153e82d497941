/**
 * A page that navigates between the decision (probe) and the injection (fill), in real
 * Firefox: the fill must fail closed, with nothing filled anywhere. The daemon pauses
 * between the two phases (test seam BLINDFILL_TEST_FILL_DELAY_MS) so the navigation lands
 * in between. Run twice: with Firefox's own documentIds, and with the test-only shim that
 * hides them (the stand-in ids, whose URL re-check must catch the navigation). The
 * scenarios, the same in Chromium, are in e2e/harness/fill-scenarios.ts.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe } from 'vitest';
import { defineNavigationScenarios } from '../harness/fill-scenarios.js';
import { type FirefoxStack, startFirefoxStack, withoutDocumentIds } from './setup.js';

const username = 'alice@example.test';
const password = 'nav-test-Pw-1!';

describe.each([
  { name: 'documentIds', shim: false },
  { name: 'stand-in ids (no documentIds)', shim: true },
])('navigation between probe and fill, $name', ({ shim }) => {
  let s: FirefoxStack;
  let extDir: string | undefined;
  beforeAll(async () => {
    extDir = shim ? withoutDocumentIds() : undefined;
    s = await startFirefoxStack({ homeEnv: { BLINDFILL_TEST_FILL_DELAY_MS: '1500' }, ...(extDir ? { extensionDir: extDir } : {}) });
    await s.home.run(['add', '--json-stdin'], JSON.stringify({ label: 'bank', username, password, origins: [s.server.origin('bank.test')] }));
    s.server.setAccount('*', { username, password });
  });
  afterAll(async () => {
    await s?.close();
    if (extDir) fs.rmSync(extDir, { recursive: true, force: true });
  });

  defineNavigationScenarios(() => s);
});
