/**
 * Canary: a password and a TOTP seed added through the CLI appear in no stdout, stderr,
 * daemon log, audit line or process argv (sampled from /proc while commands run).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeCanary, namedEncodings } from '../harness/canary.js';
import { sampleCmdlines } from '../harness/procs.js';
import { type Home, makeHome } from './cli.js';

let home: Home;
afterEach(async () => {
  await home.stop();
});

describe('canary through the CLI', () => {
  it('never appears in outputs, logs, audit or argv', async () => {
    home = makeHome();
    const password = makeCanary();
    const passphrase = `${makeCanary()}-pass`;
    const seed = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    const outputs: string[] = [];
    const run = async (args: string[], stdin?: string) => {
      const r = await home.run(args, stdin);
      outputs.push(r.stdout, r.stderr);
      return r;
    };
    const work = (async () => {
      expect((await run(['init', '--passphrase-stdin'], passphrase)).code).toBe(0);
      expect((await run(['add', '--json-stdin'], JSON.stringify({ label: 'canary', username: 'u', password, totp: seed, origins: ['https://bank.test'] }))).code).toBe(0);
      await run(['add', '--json-stdin'], JSON.stringify({ label: 'canary', password })); // duplicate: error path
      await run(['add', '--json-stdin'], JSON.stringify({ label: 'x', password, bogus: password })); // invalid: error path
      await run(['list', '--json']);
      await run(['list']);
      await run(['fill', 'canary']); // NO_BROWSER
      await run(['lock']);
      await run(['unlock', '--passphrase-stdin'], `${passphrase}x`); // wrong passphrase
      await run(['unlock', '--passphrase-stdin'], passphrase);
      await run(['audit', 'verify']);
      await run(['status', '--json']);
    })();
    const cmdlines = await sampleCmdlines(work);
    await work;
    expect(cmdlines.length).toBeGreaterThan(10);
    const places: Array<[string, string]> = [
      ['CLI output', outputs.join('\n')],
      ['files in BLINDFILL_HOME (audit, daemon log, settings)', home.readLogs()],
      ['process argv', cmdlines.join('\n')],
    ];
    for (const [where, text] of places) {
      for (const secret of [password, passphrase, seed]) {
        for (const enc of namedEncodings(secret)) {
          expect(text.includes(enc.value), `${where} contains a secret (${enc.form})`).toBe(false);
        }
      }
    }
    // The sampler did see blindfill running, so the argv check looked at something real.
    expect(cmdlines.some((c) => c.includes('blindfill.cjs'))).toBe(true);
  });
});
