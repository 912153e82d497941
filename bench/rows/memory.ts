/**
 * Row 6: resident memory (VmRSS from /proc/PID/status) of the daemon holding an unlocked
 * 10,000-credential vault, against a bare `node` process holding the same vault plaintext
 * JSON, parsed. Both are sampled alternately after settling (full run: 15 s idle, after
 * which V8's memory reducer has returned the unlock's transient heap).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Home, PASSPHRASE } from '../lib/home.js';
import { rssBytes, sleep, waitFor } from '../lib/proc.js';
import { alternate, measuredRow, type Row } from '../lib/row.js';

const MiB = 1024 * 1024;

const HOLDER = `
const fs = require('fs');
globalThis.vault = JSON.parse(fs.readFileSync(process.argv[1], 'utf8'));
process.stdout.write('ready ' + globalThis.vault.credentials.length + '\\n');
setInterval(() => {}, 1 << 30);
`;

export async function memoryRow(home: Home, plaintext: Buffer, credentials: number, samples: number, settleMs: number, extra: Record<string, number | string>): Promise<Row> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-bench-mem-'));
  const file = path.join(base, 'plain.json');
  fs.writeFileSync(file, plaintext, { mode: 0o600 });
  const holder = spawn(process.execPath, ['-e', HOLDER, file], { stdio: ['ignore', 'pipe', 'inherit'], env: { PATH: process.env.PATH } });
  try {
    let out = '';
    holder.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor('the JSON holder', () => out.includes('ready'), 15_000);
    if (!out.includes(`ready ${credentials}`)) throw new Error(`the holder parsed ${out.trim()}, expected ${credentials}`);

    // A clean daemon: stopped, started on demand by `unlock`, then left to settle.
    await home.stopDaemon();
    await home.must(['unlock', '--passphrase-stdin'], PASSPHRASE);
    const pid = home.daemonPid();
    if (pid === null) throw new Error('no daemon after unlock');
    const st = JSON.parse((await home.must(['status', '--json'])).stdout) as { vault: string; credentials: number };
    if (st.vault !== 'unlocked' || st.credentials !== credentials) throw new Error(`daemon: ${st.vault} with ${st.credentials} credentials`);
    // V8 gives back the heap it grew while unlocking (parse, validation, copies) only
    // after some idle seconds (its memory reducer): compare settled processes.
    await sleep(settleMs);

    const sample = (p: number) => async () => {
      await sleep(100);
      const r = rssBytes(p);
      if (r === null) throw new Error(`process ${p} is gone`);
      return r / MiB;
    };
    const { a, b } = await alternate(samples, sample(pid), sample(holder.pid!));
    return measuredRow({
      id: '6',
      name: `memory: RSS with ${credentials.toLocaleString('en')} credentials unlocked`,
      unit: 'MiB',
      blindfill: { what: `daemon VmRSS (fresh start + unlock, idle ${Math.round(settleMs / 1000)} s)`, samples: a },
      baseline: { what: 'bare node holding the same JSON, parsed', samples: b },
      target: 1.5,
      extra: { plaintext_json_mib: Number((plaintext.length / MiB).toFixed(2)), ...extra },
    });
  } finally {
    holder.kill('SIGKILL');
    fs.rmSync(base, { recursive: true, force: true });
  }
}

/** RSS of a bare node process doing nothing, for the analysis. */
export async function bareNodeRss(): Promise<number> {
  const child = spawn(process.execPath, ['-e', "process.stdout.write('ready\\n'); setInterval(() => {}, 1 << 30)"], { stdio: ['ignore', 'pipe', 'inherit'], env: { PATH: process.env.PATH } });
  try {
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor('bare node', () => out.includes('ready'), 10_000);
    await sleep(1000);
    return (rssBytes(child.pid!) ?? 0) / MiB;
  } finally {
    child.kill('SIGKILL');
  }
}
