/**
 * First-run safety through the real CLI and daemon: a weak passphrase is refused at init
 * and passwd with zxcvbn's reason (never the passphrase), and --idle-timeout takes units
 * and says what it set.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Home, initVault, makeHome, PASS } from './cli.js';

let home: Home;
afterEach(async () => {
  await home?.stop();
});

describe('passphrase strength', () => {
  it('init --passphrase-stdin refuses a weak passphrase with the reason; no vault is made', async () => {
    home = makeHome();
    const weak = 'Summer2024';
    const r = await home.run(['init', '--passphrase-stdin'], weak);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error WEAK_PASSPHRASE: the passphrase is too weak: it would be found in about 10\^\d+ guesses/);
    expect(r.stderr + r.stdout).not.toContain(weak);
    expect(JSON.parse((await home.run(['status', '--json'])).stdout)).toMatchObject({ vault: 'absent' });
    expect((await home.run(['init', '--passphrase-stdin'], 'plum lantern cobalt wisp 4')).code).toBe(0);
  });

  it('passwd refuses a weak new passphrase; the old one still opens the vault', async () => {
    home = makeHome();
    await initVault(home);
    const r = await home.run(['passwd'], `${PASS}\nqwerty123\n`);
    expect(r.stderr).toMatch(/^error WEAK_PASSPHRASE: the new passphrase is too weak: .*commonly used password/);
    expect(r.stderr).not.toContain('qwerty123');
    expect((await home.run(['lock'])).code).toBe(0);
    expect((await home.run(['unlock', '--passphrase-stdin'], PASS)).code).toBe(0);
  });
});

describe('--idle-timeout', () => {
  it('takes units, a plain number is minutes, and the command prints what it set', async () => {
    home = makeHome();
    const init = await home.run(['init', '--passphrase-stdin', '--idle-timeout', '90s'], PASS);
    expect(init.stdout).toMatch(/; unlocked; locks after 1 min 30 s idle\n$/);
    for (const [given, seconds, shown] of [
      ['45', 2700, '45 min'],
      ['2h', 7200, '2 h'],
      ['1h30m', 5400, '1 h 30 min'],
      ['15 minutes', 900, '15 min'],
      ['1d', 86400, '1 d'],
    ] as const) {
      const r = await home.run(['unlock', '--passphrase-stdin', '--idle-timeout', given], PASS);
      expect(r.stdout).toBe(`unlocked: 0 credentials; locks after ${shown} idle\n`);
      expect(JSON.parse((await home.run(['status', '--json'])).stdout)).toMatchObject({ idle_timeout_s: seconds });
    }
    for (const bad of ['10x', '8d', '0', 'm5']) {
      const r = await home.run(['unlock', '--passphrase-stdin', '--idle-timeout', bad], PASS);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error INVALID_REQUEST: --idle-timeout ".*" is not a duration like 90s, 15m, 2h or 1h30m \(a plain number is minutes/);
    }
  });
});
