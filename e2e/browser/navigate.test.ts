/**
 * A page that navigates between the decision (probe) and the injection (fill): the fill
 * must fail closed, with nothing filled anywhere. The daemon pauses between the two
 * phases (test seam BLINDFILL_TEST_FILL_DELAY_MS) so the navigation lands in between.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allInputValues, type Stack, startStack } from './setup.js';

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
  it('to another host: ORIGIN_MISMATCH, nothing filled on the new page', async () => {
    await s.page.goto(s.server.url('bank.test', '/navigate-away?after=700&to=evil.test&path=/plain'));
    const t0 = Date.now();
    const r = await s.fill('bank');
    // The daemon pauses only after a probe that approved the page: the refusal is the fill's.
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
