/**
 * `blindfill redact`: the real CLI and daemon as a stdin → stdout filter. Every covered form
 * of a secret and the one-time codes valid now come out as [blindfill:LABEL]; the rest
 * of the bytes come out exactly; a secret split across reads is still caught; a locked
 * vault prints nothing and exits non-zero with `error VAULT_LOCKED`.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTotp, totpCodesAround } from '../../shared/totp.js';
import { BIN, type Home, initVault, makeHome, PASS } from '../core/cli.js';
import { findSecrets, makeCanary, namedEncodings } from '../harness/canary.js';

let home: Home;
const password = makeCanary();
const other = makeCanary({ charset: 'safe' });
const seed = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

beforeAll(async () => {
  home = makeHome();
  await initVault(home);
  const r = await home.run(['add', '--json-stdin'], JSON.stringify([
    { label: 'bank', password, origins: ['https://bank.test'] },
    { label: 'mail', password: other, totp: seed, origins: ['https://mail.test'] },
  ]));
  expect(r.code, r.stderr).toBe(0);
});
afterAll(async () => {
  await home?.stop();
});

const redact = async (input: string | Buffer, args: string[] = []) => {
  const r = await home.run(['redact', ...args], input);
  return r;
};

/** Run `blindfill redact`, writing stdin in the given pieces with a pause between them. */
function redactInPieces(pieces: Buffer[], args: string[] = []): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'redact', ...args], { env: home.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out), stderr }));
    void (async () => {
      for (const p of pieces) {
        child.stdin.write(p);
        await new Promise((r) => setTimeout(r, 60));
      }
      child.stdin.end();
    })();
  });
}

describe('blindfill redact', () => {
  it('replaces every covered form of every secret, and the codes valid now', async () => {
    const p = parseTotp(seed);
    if (!p.ok) throw new Error('seed');
    // The guard covers the codes of its own now ± one period: start well inside a period,
    // so the run does not cross into the next one and shift the window under the test.
    const periodMs = p.value.period * 1000;
    const left = periodMs - (Date.now() % periodMs);
    if (left < 10_000) await new Promise((r) => setTimeout(r, left + 100));
    const codes = totpCodesAround(p.value, Date.now(), 1);
    const lines = [
      ...namedEncodings(password).map((e) => `bank ${e.form}: ${e.value} end`),
      ...namedEncodings(other).map((e) => `mail ${e.form}: ${e.value} end`),
      `seed ${seed} and ${seed.toLowerCase()}`,
      ...codes.map((c) => `code ${c} end`),
    ];
    const r = await redact(`${lines.join('\n')}\n`);
    expect(r.code, r.stderr).toBe(0);
    expect(findSecrets(r.stdout, [password, other, seed])).toEqual([]);
    for (const c of codes) expect(r.stdout).not.toContain(c);
    const out = r.stdout.split('\n');
    expect(out.length).toBe(lines.length + 1);
    for (const [i, l] of out.slice(0, -1).entries()) {
      const label = l.startsWith('bank') ? 'bank' : 'mail';
      expect(l, lines[i]!.slice(0, 20)).toContain(`[blindfill:${label}]`);
      expect(l.endsWith(' end') || l.startsWith('seed')).toBe(true);
    }
  });

  it('copies everything else byte for byte (binary-safe)', async () => {
    const noise = randomBytes(200_000);
    const input = Buffer.concat([noise, Buffer.from(` ${password} `), noise]);
    const r = await redactInPieces([input]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.equals(Buffer.concat([noise, Buffer.from(' [blindfill:bank] '), noise]))).toBe(true);
  });

  it('catches a secret split across reads: every chunk size 1-40, and pieces written apart at each point of a secret', async () => {
    const text = `a ${password} b ${Buffer.from(other).toString('base64')} c ${encodeURIComponent(password)}\n`;
    const expected = 'a [blindfill:bank] b [blindfill:mail] c [blindfill:bank]\n';
    const sizes = Array.from({ length: 40 }, (_, i) => i + 1);
    const results = await Promise.all(sizes.map((n) => redact(text, ['--chunk-size', String(n)])));
    for (const [i, r] of results.entries()) expect(r.stdout, `chunk size ${sizes[i]}`).toBe(expected);
    // Two writes with a pause between them, split at every byte of the first secret.
    const buf = Buffer.from(text);
    const start = buf.indexOf(password);
    const splits = Array.from({ length: Buffer.byteLength(password) + 1 }, (_, k) => start + k);
    for (let k = 0; k < splits.length; k += 8) {
      const batch = splits.slice(k, k + 8);
      const outs = await Promise.all(batch.map((at) => redactInPieces([buf.subarray(0, at), buf.subarray(at)])));
      for (const [j, o] of outs.entries()) expect(o.stdout.toString(), `split at ${batch[j]}`).toBe(expected);
    }
  });

  it('a locked vault: nothing on stdout, error VAULT_LOCKED, non-zero exit', async () => {
    expect((await home.run(['lock'])).code).toBe(0);
    for (const input of [`x ${password} y\n`, '']) {
      const r = await redact(input);
      expect(r.code).not.toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^error VAULT_LOCKED: /);
      expect(findSecrets(r.stderr, [password])).toEqual([]);
    }
    expect((await home.run(['unlock', '--passphrase-stdin'], PASS)).code).toBe(0);
    expect((await redact(`x ${password} y`)).stdout).toBe('x [blindfill:bank] y');
  });

  it('usage errors', async () => {
    expect((await redact('', ['--chunk-size', '0'])).stderr).toMatch(/^error INVALID_REQUEST: /);
    expect((await redact('', ['--bogus'])).code).toBe(2);
    const g = await home.run(['guard']);
    expect(g.code).toBe(2);
    expect(g.stderr).toMatch(/^error INVALID_REQUEST: /);
    for (const c of ['guard', 'redact']) {
      const h = await home.run([c, '--help']);
      expect(h.code, c).toBe(0);
      expect(h.stdout).toMatch(new RegExp(`^usage: blindfill ${c}`));
    }
    expect((await home.run(['--help'])).stdout).toMatch(/guard \[--allow-tool NAME\]\.\.\. -- COMMAND[\s\S]*redact/);
  });
});
