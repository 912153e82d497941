/**
 * Rolling the audit log back, against the real daemon: every vault save records the log's
 * last entry in the vault's authenticated header, so deleting both audit files, or
 * restoring an older, self-consistent log and head, fails `audit verify` (AUDIT_BROKEN).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Home, initVault, makeHome, PASS } from './cli.js';

let home: Home;
afterEach(async () => {
  await home?.stop();
});

const files = () => ['audit.log', 'audit.head'].map((f) => path.join(home.dir, f));

async function addTwo(): Promise<void> {
  for (const label of ['one', 'two']) {
    const r = await home.run(['add', '--json-stdin'], JSON.stringify({ label, password: `pw-${label}`, origins: ['https://example.com'] }));
    expect(r.code, r.stderr).toBe(0);
  }
}

async function restartUnlocked(): Promise<void> {
  await home.stopDaemon();
  const u = await home.run(['unlock', '--passphrase-stdin'], PASS);
  expect(u.code, u.stderr).toBe(0);
}

describe('audit log rollback', () => {
  it('the untouched log verifies (the binding does not break the normal case)', async () => {
    home = makeHome();
    await initVault(home);
    await addTwo();
    await restartUnlocked();
    // A refusal is audited without a vault save: the log runs past the anchor, as it may.
    const dup = await home.run(['add', '--json-stdin'], JSON.stringify({ label: 'one', password: 'x' }));
    expect(dup.stderr).toMatch(/^error DUPLICATE_LABEL/);
    const v = await home.run(['audit', 'verify']);
    expect(v.code, v.stderr).toBe(0);
  });

  it('both audit files deleted while the daemon is stopped: AUDIT_BROKEN after unlock', async () => {
    home = makeHome();
    await initVault(home);
    await addTwo();
    await home.stopDaemon();
    for (const f of files()) fs.unlinkSync(f);
    await restartUnlocked();
    const v = await home.run(['audit', 'verify']);
    expect(v.code).not.toBe(0);
    expect(v.stderr).toMatch(/^error AUDIT_BROKEN: /);
  });

  it('an older copy of log and head restored (tail cut, head rolled back): AUDIT_BROKEN', async () => {
    home = makeHome();
    await initVault(home);
    await home.stopDaemon();
    const saved = files().map((f) => fs.readFileSync(f));
    await restartUnlocked();
    await addTwo(); // each add saves the vault, binding the log as it then was
    await home.stopDaemon();
    for (const [i, f] of files().entries()) fs.writeFileSync(f, saved[i]!);
    await restartUnlocked();
    const v = await home.run(['audit', 'verify']);
    expect(v.code).not.toBe(0);
    expect(v.stderr).toMatch(/^error AUDIT_BROKEN: line \d+: .*vault recorded/);
  });
});
