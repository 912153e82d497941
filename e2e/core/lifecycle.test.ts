/** Auto-lock after the idle timeout, and the daemon exiting by itself when idle and locked. */
import { afterEach, describe, expect, it } from 'vitest';
import { alive, type Home, initVault, makeHome, PASS } from './cli.js';

let home: Home;
afterEach(async () => {
  await home.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('daemon lifecycle', () => {
  it('locks itself after the idle timeout and audits it', async () => {
    home = makeHome();
    await initVault(home);
    expect((await home.run(['lock'])).code).toBe(0);
    expect((await home.run(['unlock', '--passphrase-stdin', '--idle-timeout', '2s'], PASS)).code).toBe(0);
    expect(JSON.parse((await home.run(['status', '--json'])).stdout).vault).toBe('unlocked');
    await sleep(3000);
    expect(JSON.parse((await home.run(['status', '--json'])).stdout).vault).toBe('locked');
    expect((await home.run(['list'])).stderr).toMatch(/^error VAULT_LOCKED/);
    expect(home.readLogs()).toMatch(/"event":"lock".*idle timeout/);
  });

  it('exits by itself when locked and no client is connected', async () => {
    home = makeHome({ BLINDFILL_DAEMON_LINGER_S: '1' });
    await initVault(home);
    const pid = home.daemonPid();
    expect(pid).not.toBeNull();
    await home.run(['lock']);
    for (let i = 0; i < 60 && alive(pid!); i++) await sleep(100);
    expect(alive(pid!)).toBe(false);
    // And comes back on demand.
    const st = await home.run(['status', '--json']);
    expect(JSON.parse(st.stdout).vault).toBe('locked');
  });

  it('stays up while unlocked even with no client', async () => {
    home = makeHome({ BLINDFILL_DAEMON_LINGER_S: '1' });
    await initVault(home);
    const pid = home.daemonPid();
    await sleep(2500);
    expect(alive(pid!)).toBe(true);
    expect(JSON.parse((await home.run(['status', '--json'])).stdout).vault).toBe('unlocked');
  });
});
