/**
 * Policy `confirm` asks on the caller's display, as typing does: a daemon started without
 * a display (from a shell over SSH, by an agent's MCP server) still shows the dialog on
 * the display of the command that asked. `doctor` says when no display can be reached;
 * `blindfill daemon restart` stops and starts the daemon, and the vault ends locked.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, PASS } from '../core/cli.js';
import { startXvfb, type Xvfb } from '../harness/display.js';
import { waitForBrowser } from '../harness/browser-stack.js';
import { allInputValues, type Stack, startStack } from '../browser/setup.js';

let x: Xvfb;
let s: Stack;
const username = 'alice@example.test';
const password = 'confirm-display-Pw-1!';

beforeAll(async () => {
  x = await startXvfb();
  // The daemon is started by init with no DISPLAY in its environment.
  s = await startStack({ homeEnv: { BLINDFILL_CONFIRM_TIMEOUT_S: '5' } });
  await s.home.run(['add', '--json-stdin'], JSON.stringify([
    { label: 'guarded', username, password, origins: [s.server.origin('bank.test')], policy: 'confirm' },
  ]));
  s.server.setAccount('*', { username, password });
});
afterAll(async () => {
  await s?.close();
  await x?.stop();
});

/** Wait for the dialog on the Xvfb display, focus it, press a key (Return = Allow). */
async function answer(key: 'Return' | 'Escape'): Promise<string> {
  const env = { ...process.env, DISPLAY: x.display };
  for (let i = 0; i < 150; i++) {
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

const fillFrom = (env: NodeJS.ProcessEnv) => s.home.run(['fill', 'guarded', '--json'], undefined, env);

describe("confirm on the caller's display", () => {
  it('the daemon has no display; the dialog opens on the DISPLAY of the command that asked, and the fill goes through', async () => {
    await s.page.goto(s.server.url('bank.test', '/plain'));
    const [r, title] = await Promise.all([fillFrom({ DISPLAY: x.display }), answer('Return')]);
    expect(title).toMatch(/^blindfill: approve/);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, filled: ['username', 'password'] });
  });

  it('a caller with no display either: DENIED at once, saying there is no desktop, nothing filled', async () => {
    await s.page.goto(s.server.url('bank.test', '/plain'));
    const t0 = Date.now();
    const r = await fillFrom({});
    expect(r.stderr).toMatch(/^error DENIED: .*no desktop to ask on/);
    expect(Date.now() - t0).toBeLessThan(4000);
    expect((await allInputValues(s.page)).filter(Boolean)).toEqual([]);
  });

  it('doctor warns when no display can be reached for confirmations, and is content when one can', async () => {
    const check = async (env: NodeJS.ProcessEnv) => {
      const r = await s.home.run(['doctor', '--json'], undefined, env);
      const report = JSON.parse(r.stdout) as { checks: { id: string; status: string; message: string; fix?: string }[] };
      return report.checks.find((c) => c.id === 'confirm-display');
    };
    const none = await check({});
    expect(none).toMatchObject({ status: 'warn', message: expect.stringMatching(/^no display can be reached for confirmations \(no DISPLAY or WAYLAND_DISPLAY .*the daemon has none either\).*DENIED/) });
    expect(none?.fix).toMatch(/blindfill daemon restart/);
    const gone = await check({ DISPLAY: ':987' });
    expect(gone).toMatchObject({ status: 'warn', message: expect.stringContaining('DISPLAY=:987: no X server listens there') });
    const here = await check({ DISPLAY: x.display });
    expect(here).toMatchObject({ status: 'ok', message: `asked on DISPLAY=${x.display} for calls from this shell` });
  });

  it('daemon restart: a new daemon, the vault locked until unlocked, confirmations still on the caller\'s display', async () => {
    const old = s.home.daemonPid();
    expect(old).not.toBeNull();
    const r = await s.home.run(['daemon', 'restart'], undefined, { DISPLAY: x.display });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const pid = s.home.daemonPid();
    expect(r.stdout).toBe(`daemon restarted (pid ${old} → ${pid}); the vault is locked: blindfill unlock\n`);
    expect(alive(old!)).toBe(false);
    expect(JSON.parse((await s.home.run(['status', '--json'])).stdout)).toMatchObject({ vault: 'locked' });
    expect((await s.home.run(['unlock', '--passphrase-stdin'], PASS)).code).toBe(0);
    await waitForBrowser(s.home, () => true, 150, 'the extension did not reconnect after the restart');

    await s.page.goto(s.server.url('bank.test', '/plain'));
    const [f] = await Promise.all([fillFrom({ DISPLAY: x.display }), answer('Return')]);
    expect(JSON.parse(f.stdout)).toMatchObject({ ok: true });
    expect(s.home.daemonPid()).toBe(pid);
  });

  it('daemon stop, then stop again: says what it did; the next command starts one', async () => {
    const old = s.home.daemonPid();
    const r = await s.home.run(['daemon', 'stop']);
    expect(r.stdout).toBe(`daemon stopped (pid ${old}); the vault is locked\n`);
    expect(alive(old!)).toBe(false);
    const usage = await s.home.run(['daemon', 'reload']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^error INVALID_REQUEST: usage: blindfill daemon restart \| stop/);
  });
});
