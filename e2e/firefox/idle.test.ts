/**
 * Firefox runs MV3 background scripts as an event page that it suspends when idle
 * (extensions.background.idle.timeout, 30 s by default). The native port must survive
 * that: here the timeout is cut to 1 s and the stack sits idle well past it before a fill.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCanary } from '../harness/canary.js';
import { type FirefoxStack, startFirefoxStack, waitForText } from './setup.js';

let s: FirefoxStack;
const password = makeCanary();
const username = 'idle@example.test';

beforeAll(async () => {
  s = await startFirefoxStack({ prefs: { 'extensions.background.idle.timeout': 1000 } });
  const r = await s.home.run(['add', '--json-stdin'], JSON.stringify({ label: 'bank', username, password, origins: [s.server.origin('bank.test')] }));
  expect(r.code).toBe(0);
  s.server.setAccount('*', { username, password });
});
afterAll(async () => {
  await s?.close();
});

describe('the event page and its native port', () => {
  it('a fill after the idle timeout has long passed still logs in', async () => {
    await s.page.goto(s.server.url('bank.test', '/plain'));
    await new Promise((r) => setTimeout(r, 6_000));
    const st = JSON.parse((await s.home.run(['status', '--json'])).stdout) as { browsers: unknown[] };
    expect(st.browsers.length).toBe(1);
    const r = await s.fill('bank', { submit: true });
    expect(r.stderr).toBe('');
    expect(r.json).toMatchObject({ ok: true, filled: ['username', 'password'], submitted: true });
    await s.server.waitForLogin('bank.test', { predicate: (l) => l.ok && l.complete });
    await waitForText(s.page, 'Welcome');
  });
});
