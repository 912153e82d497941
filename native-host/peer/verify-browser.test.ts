/** verifyBrowserPeer over crafted process chains: only our host under a system browser passes. */
import type fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ProcInfo } from './proc.js';
import { browserOfExe, profileOf, verifyBrowserPeer } from './verify-browser.js';

const PROGRAM = '/opt/bf/dist/blindfill.cjs';
const proc = (pid: number, ppid: number, exe: string, argv: string[], uid = 1000): ProcInfo => ({ pid, ppid, uid, exe, argv, start: 1 });
const host = proc(50, 40, '/usr/bin/node', ['/usr/bin/node', PROGRAM, 'native-host', 'chrome-extension://cgmiligeknjljkoiajbjoapjihdgbodc/']);
const browser = proc(40, 30, '/usr/lib/chromium/chromium', ['/usr/lib/chromium/chromium', '--user-data-dir=/home/a/prof']);
const guard = proc(30, 20, '/usr/bin/node', ['/usr/bin/node', PROGRAM, 'guard', '--', 'npx']);
const agent = proc(20, 1, '/usr/bin/node', ['/usr/bin/node', 'claude']);
const rootStat = (p: string) => ({ uid: p.startsWith('/home') ? 1000 : 0, mode: 0o755 }) as fs.Stats;
const run = (chain: ProcInfo[], over: Partial<Parameters<typeof verifyBrowserPeer>[0]> = {}) =>
  verifyBrowserPeer({ peerPid: chain[0]?.pid ?? 50, peerUid: 1000, uid: 1000, program: PROGRAM, chain: () => chain, stat: rootStat, realpath: (p) => p, ...over });

describe('verifyBrowserPeer', () => {
  it('accepts our host under a root-owned browser, with its profile and the guard that started it', () => {
    const v = run([host, browser, guard, agent]);
    expect(v).toEqual({ ok: true, value: { browser: 'chromium', hostPid: 50, browserPid: 40, exe: '/usr/lib/chromium/chromium', profile: '/home/a/prof', guard: { pid: 30, parent: 20 } } });
  });
  it('refuses a host started from a shell or by a script', () => {
    const bash = proc(40, 35, '/usr/bin/bash', ['bash']);
    const script = proc(35, 1, '/usr/bin/python3.11', ['python3', 'x.py']);
    expect(run([host, bash, script])).toMatchObject({ ok: false, reason: expect.stringContaining('not a browser') });
    expect(run([host, bash])).toMatchObject({ ok: false });
    const node = proc(40, 1, '/usr/bin/node', ['node', 'evil.js']);
    expect(run([host, node])).toMatchObject({ ok: false });
  });
  it('refuses a "browser" the user could have put there', () => {
    const fake = proc(40, 1, '/home/a/bin/chromium', ['/home/a/bin/chromium']);
    expect(run([host, fake])).toMatchObject({ ok: false, reason: expect.stringContaining('not a system program') });
  });
  it('refuses a peer that is not our native host, another uid, or a gone process', () => {
    const other = proc(50, 40, '/usr/bin/node', ['/usr/bin/node', '/tmp/blindfill.cjs', 'native-host', 'chrome-extension://x/']);
    expect(run([other, browser])).toMatchObject({ ok: false });
    expect(run([host, browser], { peerUid: 1001 })).toMatchObject({ ok: false });
    expect(run([], { peerPid: 50 })).toMatchObject({ ok: false });
  });
  it('sees through the launcher shell when it does not exec', () => {
    const sh = proc(45, 40, '/usr/bin/dash', ['/bin/sh', 'launcher']);
    expect(run([{ ...host, ppid: 45 }, sh, browser])).toMatchObject({ ok: true, value: { browserPid: 40 } });
  });
  it('names browsers and profiles', () => {
    expect(browserOfExe('/usr/lib/firefox-esr/firefox-esr')).toBe('firefox');
    expect(browserOfExe('/opt/google/chrome/chrome')).toBe('chrome');
    expect(browserOfExe('/usr/bin/python3')).toBeNull();
    expect(profileOf(['firefox', '-profile', '/tmp/p'])).toBe('/tmp/p');
  });
});
