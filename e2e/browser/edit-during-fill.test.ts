/**
 * The owner edits a credential while a fill is between its probe and its injection (the
 * daemon pauses there: test seam BLINDFILL_TEST_FILL_DELAY_MS). The vault zeroes the old
 * Buffers on an edit (and a remote refresh does the same), so a fill that kept the old
 * record would send zeroed bytes: the page must get the credential as it is now, and an
 * edit that takes the page's origin away must stop the fill.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectNothingFilled } from '../harness/browser-stack.js';
import { type Stack, startStack } from './setup.js';

const DELAY_MS = 2500;
let s: Stack;
beforeAll(async () => {
  s = await startStack({ homeEnv: { BLINDFILL_TEST_FILL_DELAY_MS: String(DELAY_MS) } });
});
afterAll(async () => {
  await s?.close();
});

async function add(label: string, password: string) {
  const r = await s.home.run(['add', '--json-stdin'], JSON.stringify({ label, username: 'alice@example.test', password, origins: [s.server.origin('bank.test')] }));
  expect(r.code, r.stderr).toBe(0);
}

/** Start a fill, and once it is inside the daemon's pause, edit the credential. */
async function fillWhileEditing(label: string, change: object) {
  const t0 = Date.now();
  const fill = s.fill(label);
  // The probe of a loaded page answers well within the first second; the pause lasts DELAY_MS.
  await sleep(1000);
  const edit = await s.home.run(['edit', label, '--json-stdin'], JSON.stringify(change));
  expect(edit.code, edit.stderr).toBe(0);
  const editedAt = Date.now() - t0;
  const r = await fill;
  // The edit landed inside the pause, not before the probe or after the fill.
  expect(editedAt).toBeLessThan(DELAY_MS);
  expect(Date.now() - t0).toBeGreaterThanOrEqual(DELAY_MS - 100);
  return r;
}

it('a password changed during the pause: the new password is filled, not zeroed bytes', async () => {
  await add('edited', 'old-Password-1!');
  await s.page.goto(s.server.url('bank.test', '/plain'));
  const r = await fillWhileEditing('edited', { password: 'new-Password-2!' });
  expect(r.code, r.stderr).toBe(0);
  expect(await s.page.inputValue('input[type=password]')).toBe('new-Password-2!');
  expect(await s.page.inputValue('input[type=email], input[name=username], input[type=text]')).toBe('alice@example.test');
});

it('origins changed during the pause: ORIGIN_MISMATCH, nothing filled', async () => {
  await add('moved', 'moved-Password-3!');
  await s.page.goto(s.server.url('bank.test', '/plain'));
  const r = await fillWhileEditing('moved', { origins: [s.server.origin('shop.example.test')] });
  expect(r.stderr).toMatch(/^error ORIGIN_MISMATCH: .*changed during the fill/);
  await expectNothingFilled(s.page);
});
