/**
 * A page that navigates between the decision (probe) and the injection (fill), in real
 * Firefox: the fill must fail closed, with nothing filled anywhere. The daemon pauses
 * between the two phases (test seam BLINDFILL_TEST_FILL_DELAY_MS) so the navigation lands
 * in between. Run twice: with Firefox's own documentIds, and with the test-only shim that
 * hides them (the stand-in ids, whose URL re-check must catch the navigation).
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allInputValues, type FirefoxStack, startFirefoxStack, withoutDocumentIds } from './setup.js';

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

  it('to another host: ORIGIN_MISMATCH, nothing filled on the new page', async () => {
    await s.page.goto(s.server.url('bank.test', '/navigate-away?after=700&to=evil.test&path=/plain'));
    const t0 = Date.now();
    const r = await s.fill('bank');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1400);
    expect(r.stderr).toMatch(/^error ORIGIN_MISMATCH: /);
    expect(new URL(s.page.url()).hostname).toBe('evil.test');
    expect((await allInputValues(s.page)).filter((v) => v !== '')).toEqual([]);
  });

  it('to a new document of the same origin: refused (the probed document is gone)', async () => {
    await s.page.goto(s.server.url('bank.test', '/navigate-away?after=700&to=bank.test&path=/plain'));
    const t0 = Date.now();
    const r = await s.fill('bank');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1400);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error (ORIGIN_MISMATCH|NO_FILLABLE_FIELD): /);
    expect(new URL(s.page.url()).pathname).toBe('/plain');
    expect((await allInputValues(s.page)).filter((v) => v !== '')).toEqual([]);
  });
});
