/**
 * Where the page scripts cannot read location.ancestorOrigins (Firefox 153 ESR can; older
 * releases could not), a login form in a child frame cannot prove who embeds it: the
 * extension refuses it with a message that says so, fills nothing, and still fills
 * top-level pages. Real firefox-esr with a test-only shim that hides ancestorOrigins from
 * the extension's isolated world.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeCanary } from '../harness/canary.js';
import { allInputValues, type FirefoxStack, startFirefoxStack, waitForText, withoutAncestorOrigins } from './setup.js';

let s: FirefoxStack;
let extDir: string;
const password = makeCanary();
const username = 'dave@example.test';

beforeAll(async () => {
  extDir = withoutAncestorOrigins();
  s = await startFirefoxStack({ extensionDir: extDir });
  const r = await s.home.run(['add', '--json-stdin'], JSON.stringify({ label: 'bank', username, password, origins: [s.server.origin('bank.test')] }));
  expect(r.code).toBe(0);
});
afterAll(async () => {
  await s?.close();
  fs.rmSync(extDir, { recursive: true, force: true });
});
beforeEach(() => {
  s.server.reset();
  s.server.setAccount('*', { username, password });
});

describe('no location.ancestorOrigins', () => {
  it('a same-origin child frame is refused, saying why; nothing is filled', async () => {
    await s.page.goto(s.server.url('bank.test', '/iframe'));
    for (let i = 0; i < 100 && !(await s.page.frames()[1]?.$('input[type=password]').catch(() => null)); i++) await new Promise((r) => setTimeout(r, 50));
    const r = await s.fill('bank', { submit: true });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error NO_FILLABLE_FIELD: the only fillable username\/password fields on https:\/\/bank\.test:\d+ are in a child frame, and this browser cannot report a frame's ancestor origins/);
    expect((await allInputValues(s.page)).filter(Boolean)).toEqual([]);
    expect(s.server.logins()).toEqual([]);
  });

  it('a top-level login page still fills and logs in', async () => {
    await s.page.goto(s.server.url('bank.test', '/plain'));
    const r = await s.fill('bank', { submit: true });
    expect(r.json).toMatchObject({ ok: true, filled: ['username', 'password'], submitted: true });
    await s.server.waitForLogin('bank.test', { predicate: (l) => l.ok && l.complete });
    await waitForText(s.page, 'Welcome');
  });
});
