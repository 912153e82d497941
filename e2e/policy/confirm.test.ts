/**
 * Policy `confirm`: each use waits for a person in an OS dialog (zenity under Xvfb here),
 * which the agent's browser automation cannot reach. Approve → filled; deny → DENIED;
 * no answer → TIMEOUT; nothing filled on a refusal. And the per-credential rate limit.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXvfb, type Xvfb } from '../harness/display.js';
import { allInputValues, type Stack, startStack } from '../browser/setup.js';

let x: Xvfb;
let s: Stack;
const username = 'alice@example.test';
const password = 'confirm-Pw-1!';

beforeAll(async () => {
  x = await startXvfb();
  s = await startStack({ homeEnv: { DISPLAY: x.display, BLINDFILL_CONFIRM_TIMEOUT_S: '3', BLINDFILL_RATE_PER_MINUTE: '4' } });
  await s.home.run(['add', '--json-stdin'], JSON.stringify([
    { label: 'guarded', username, password, origins: [s.server.origin('bank.test')], policy: 'confirm' },
    { label: 'limited', username, password, origins: [s.server.origin('bank.test')] },
  ]));
  s.server.setAccount('*', { username, password });
});
afterAll(async () => {
  await s?.close();
  await x?.stop();
});

/** Wait for the dialog, focus it, press a key (Return = Allow, Escape = Deny). */
async function answer(key: 'Return' | 'Escape'): Promise<string> {
  const env = { ...process.env, DISPLAY: x.display };
  for (let i = 0; i < 100; i++) {
    let ids = '';
    try {
      ids = execFileSync('xdotool', ['search', '--name', 'blindfill: approve'], { env }).toString().trim();
    } catch {
      /* not yet */
    }
    const id = ids.split('\n')[0];
    if (id) {
      const title = execFileSync('xdotool', ['getwindowname', id], { env }).toString().trim();
      execFileSync('xdotool', ['windowfocus', '--sync', id], { env });
      execFileSync('xdotool', ['key', key], { env });
      return title;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no confirmation dialog appeared');
}

describe('policy confirm', () => {
  it('a person approves: filled', async () => {
    await s.page.goto(s.server.url('bank.test', '/plain'));
    const [r, title] = await Promise.all([s.fill('guarded'), answer('Return')]);
    expect(title).toMatch(/blindfill/);
    expect(r.json).toMatchObject({ ok: true, filled: ['username', 'password'] });
  });

  it('a person denies: DENIED, nothing filled', async () => {
    await s.page.goto(s.server.url('bank.test', '/plain'));
    const [r] = await Promise.all([s.fill('guarded'), answer('Escape')]);
    expect(r.stderr).toMatch(/^error DENIED: /);
    expect((await allInputValues(s.page)).filter(Boolean)).toEqual([]);
  });

  it('nobody answers: TIMEOUT, nothing filled', async () => {
    await s.page.goto(s.server.url('bank.test', '/plain'));
    const r = await s.fill('guarded');
    expect(r.stderr).toMatch(/^error TIMEOUT: /);
    expect((await allInputValues(s.page)).filter(Boolean)).toEqual([]);
  });

  it('the dialog is never asked for a page the credential does not belong to', async () => {
    await s.page.goto(s.server.url('evil.test', '/plain'));
    const t0 = Date.now();
    const r = await s.fill('guarded');
    expect(r.stderr).toMatch(/^error ORIGIN_MISMATCH: /);
    expect(Date.now() - t0).toBeLessThan(2500);
  });
});

describe('rate limit', () => {
  it('refuses the fifth use within a minute with RATE_LIMITED and audits refusals', async () => {
    await s.page.goto(s.server.url('bank.test', '/plain'));
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await s.fill('limited')).code);
    expect(codes).toEqual([0, 0, 0, 0]);
    const r = await s.fill('limited');
    expect(r.stderr).toMatch(/^error RATE_LIMITED: /);
    expect(s.home.readLogs()).toMatch(/"event":"refusal","label":"limited"[^\n]*"code":"RATE_LIMITED"/);
  });
});
