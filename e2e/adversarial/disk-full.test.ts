/**
 * A save that runs out of room (the daemon runs under `ulimit -f`): a clear WRITE_FAILED,
 * the old vault intact on disk and in memory, nothing half-written left as the vault.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, type Home, initVault, makeHome, PASS } from '../core/cli.js';

let home: Home;
afterEach(async () => {
  await home?.stop();
});

/** Run a CLI command under a file size limit (512-byte blocks); a daemon it starts inherits it. */
function runLimited(args: string[], stdin: string, blocks: number): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn('sh', ['-c', `ulimit -f ${blocks}; exec "$0" "$@"`, process.execPath, BIN, ...args], { env: home.env });
    let stderr = '';
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('close', (code) => resolve({ code: code ?? 1, stderr }));
    c.stdin.end(stdin);
  });
}

describe('disk full during save', () => {
  it('WRITE_FAILED, and the old vault still opens with its old content', async () => {
    home = makeHome();
    await initVault(home);
    await home.run(['add', '--json-stdin'], JSON.stringify({ label: 'keep', password: 'kept-secret' }));
    const vault = path.join(home.dir, 'vault.bfv');
    const before = fs.readFileSync(vault);
    await home.stopDaemon();

    // A daemon whose files may not grow past 16 KiB: unlocking works, a large save cannot.
    const un = await runLimited(['unlock', '--passphrase-stdin'], PASS, 32);
    expect(un.code).toBe(0);
    const big = Array.from({ length: 40 }, (_, i) => ({ label: `big-${i}`, password: 'x'.repeat(1000) }));
    const r = await home.run(['add', '--json-stdin'], JSON.stringify(big));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error WRITE_FAILED: /);
    // Memory equals disk: the failed batch is not there.
    const list = JSON.parse((await home.run(['list', '--json'])).stdout) as { credentials: { label: string }[] };
    expect(list.credentials.map((c) => c.label)).toEqual(['keep']);
    expect(fs.readFileSync(vault).equals(before)).toBe(true);
    expect(fs.readdirSync(home.dir).filter((f) => f.includes('.tmp-'))).toEqual([]);

    // And after a restart without the limit, the vault opens with the old content.
    await home.stopDaemon();
    expect((await home.run(['unlock', '--passphrase-stdin'], PASS)).code).toBe(0);
    const again = JSON.parse((await home.run(['list', '--json'])).stdout) as { credentials: { label: string }[] };
    expect(again.credentials.map((c) => c.label)).toEqual(['keep']);
  });
});
