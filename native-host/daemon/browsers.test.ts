import { describe, expect, it } from 'vitest';
import type { Connection } from '../ipc/connection.js';
import type { VerifiedBrowser } from '../peer/verify-browser.js';
import { BrowserRegistry } from './browsers.js';

const conn = () => ({ onClosed: () => undefined }) as unknown as Connection;
const browser = (browserPid: number, guard?: { pid: number; parent: number }): VerifiedBrowser => ({
  browser: 'chromium',
  hostPid: browserPid + 1,
  browserPid,
  exe: '/usr/bin/chromium',
  profile: `/p/${browserPid}`,
  ...(guard ? { guard } : {}),
});
const pidOf = (r: Awaited<ReturnType<BrowserRegistry['pick']>>) => ('verified' in r ? r.verified.browserPid : r.code);

describe('which browser a fill goes to', () => {
  const person = browser(100);
  const guarded = browser(200, { pid: 50, parent: 40 });

  it('a caller under the guard (or started by its parent) gets the guard\'s browser; another caller the person\'s', async () => {
    const r = new BrowserRegistry();
    r.add(conn(), person, 'x', 'now');
    r.add(conn(), guarded, 'x', 'now');
    expect(pidOf(await r.pick({ lineage: async () => new Set([50, 40, 1]), waitMs: 0 }))).toBe(200);
    expect(pidOf(await r.pick({ lineage: async () => new Set([60, 40, 1]), waitMs: 0 }))).toBe(200);
    expect(pidOf(await r.pick({ lineage: async () => new Set([70, 1]), waitMs: 0 }))).toBe(100);
  });

  it('a guarded caller waits for its own browser and never falls back to the person\'s', async () => {
    const r = new BrowserRegistry();
    r.add(conn(), person, 'x', 'now');
    const mine = new Set([50, 40, 1]);
    expect(pidOf(await r.pick({ lineage: async () => mine, guarded: true, waitMs: 50 }))).toBe('NO_BROWSER');
    const later = r.pick({ lineage: async () => mine, guarded: true, waitMs: 5000 });
    setTimeout(() => r.add(conn(), guarded, 'x', 'now'), 20);
    expect(pidOf(await later)).toBe(200);
    // A named profile is an explicit choice, also for a guarded caller.
    expect(pidOf(await r.pick({ lineage: async () => mine, guarded: true, profile: '/p/100', waitMs: 0 }))).toBe(100);
  });

  it('a parent every process shares (init, the daemon) binds nothing; a guard the daemon started belongs to its agent uid', async () => {
    const r = new BrowserRegistry();
    r.add(conn(), browser(300, { pid: 51, parent: 1 }), 'x', 'now');
    r.add(conn(), browser(400, { pid: 52, parent: process.pid }), 'x', 'now');
    r.guardStarted(52, 1001);
    const anyone = new Set([80, process.pid, 1]);
    expect(pidOf(await r.pick({ lineage: async () => anyone, guarded: true, waitMs: 0 }))).toBe('NO_BROWSER');
    expect(pidOf(await r.pick({ lineage: async () => new Set([90]), agentUid: 1001, waitMs: 0 }))).toBe(400);
    expect(pidOf(await r.pick({ lineage: async () => new Set([90]), agentUid: 1002, guarded: true, waitMs: 0 }))).toBe('NO_BROWSER');
    expect(pidOf(await r.pick({ lineage: async () => new Set([52, process.pid, 1]), guarded: true, waitMs: 0 }))).toBe(400);
  });
});
