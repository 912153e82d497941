/**
 * ORIGIN_MISMATCH on a page of the same site suggests the entry the owner may add
 * (`https://*.example.test:PORT`), and on another site suggests nothing; no value in
 * either answer. Real Chromium, extension, host and daemon, through `blindfill fill`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoSecret, makeCanary } from '../harness/canary.js';
import { addCredentials } from '../harness/browser-stack.js';
import { type Stack, startStack } from './setup.js';

let s: Stack;
const username = 'hint-user';
const password = makeCanary();

beforeAll(async () => {
  s = await startStack();
  await addCredentials(s.home, [{ label: 'shop', username, password, origins: [s.server.origin('shop.example.test')] }]);
  s.server.setAccount('*', { username, password });
});
afterAll(async () => {
  assertNoSecret(s.outputs.join('\n'), [password, username], 'fill outputs');
  await s?.close();
});

describe('ORIGIN_MISMATCH hint', () => {
  it('a page of the same site: the message names *.site as the entry to add', async () => {
    await s.page.goto(s.server.url('login.example.test', '/plain'));
    const r = await s.fill('shop');
    expect(r.code).not.toBe(0);
    const port = new URL(s.server.origin('shop.example.test')).port;
    expect(r.stderr).toBe(
      `error ORIGIN_MISMATCH: https://login.example.test:${port} is not one of this credential's origins (it is the same site as https://shop.example.test:${port}: the vault's owner may add "https://*.example.test:${port}" to shop's origins, with \`blindfill edit shop --json-stdin\` or in the settings page)\n`,
    );
  });
  it('another site: no suggestion', async () => {
    await s.page.goto(s.server.url('evil.test', '/plain'));
    const r = await s.fill('shop');
    expect(r.stderr).toMatch(/^error ORIGIN_MISMATCH: https:\/\/evil\.test:\d+ is not one of this credential's origins\n$/);
  });
});
