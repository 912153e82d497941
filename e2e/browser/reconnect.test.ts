/**
 * The extension keeps its native port: it reconnects (with backoff) after the host dies,
 * and the host reconnects after the daemon dies, starting it again.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, PASS } from '../core/cli.js';
import { type Stack, startStack } from './setup.js';

let s: Stack;
const username = 'alice@example.test';
const password = 'reconnect-Pw-1!';
beforeAll(async () => {
  s = await startStack();
  await s.home.run(['add', '--json-stdin'], JSON.stringify({ label: 'bank', username, password, origins: [s.server.origin('bank.test')] }));
  s.server.setAccount('*', { username, password });
});
afterAll(async () => {
  await s?.close();
});

function hostPids(home: string): number[] {
  const pids: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8');
      const env = fs.readFileSync(`/proc/${name}/environ`, 'utf8');
      if (cmd.includes('native-host') && env.includes(`BLINDFILL_HOME=${home}\0`)) pids.push(Number(name));
    } catch {
      /* gone */
    }
  }
  return pids;
}

async function browsersConnected(): Promise<number> {
  return (JSON.parse((await s.home.run(['status', '--json'])).stdout) as { browsers: unknown[] }).browsers.length;
}

async function waitFor(cond: () => Promise<boolean>, what: string, ms = 15_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function fillWorks() {
  await s.page.goto(s.server.url('bank.test', '/plain'));
  const r = await s.fill('bank');
  expect(r.json).toMatchObject({ ok: true, filled: ['username', 'password'] });
}

describe('reconnection', () => {
  it('the extension starts a new host after the host is killed', async () => {
    const before = hostPids(s.home.dir);
    expect(before.length).toBe(1);
    process.kill(before[0]!, 'SIGKILL');
    await waitFor(async () => (await browsersConnected()) === 0, 'the daemon to drop the dead host');
    await waitFor(async () => (await browsersConnected()) === 1, 'the extension to reconnect');
    const after = hostPids(s.home.dir);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before[0]);
    await fillWorks();
  });

  it('the host starts the daemon again after it is killed; it comes back locked', async () => {
    const pid = s.home.daemonPid()!;
    process.kill(pid, 'SIGKILL');
    await waitFor(async () => !alive(pid), 'the daemon to die');
    await waitFor(async () => {
      const p = s.home.daemonPid();
      return p !== null && p !== pid && alive(p) && (await browsersConnected()) === 1;
    }, 'the host to restart the daemon and reconnect');
    const locked = await s.fill('bank');
    expect(locked.stderr).toMatch(/^error VAULT_LOCKED: /);
    expect((await s.home.run(['unlock', '--passphrase-stdin'], PASS)).code).toBe(0);
    await fillWorks();
  });
});
