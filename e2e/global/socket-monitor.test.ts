/** The socket monitor really sees a network socket held by a process named like ours. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { type Scan, scanOnce } from './socket-monitor.js';

describe('socket monitor', () => {
  it('flags a TCP listener held by a matching process', async () => {
    const child = spawn(process.execPath, ['-e', "require('net').createServer().listen(0,'127.0.0.1',()=>console.log('up'))", 'fake-blindfill.cjs'], { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise((r) => child.stdout.once('data', r));
    const state: Scan = { scans: 0, blindfillProcessesSeen: 0, violations: [] };
    scanOnce(state, new Set(), (argv) => argv.includes('fake-blindfill.cjs'));
    child.kill();
    expect(state.violations.some((v) => v.pid === child.pid && v.kind.startsWith('tcp'))).toBe(true);
  });
});
