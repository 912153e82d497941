/**
 * Row 7: the guard's scrubber. `blindfill redact` (stdin → daemon `redact` op → stdout)
 * over log-like text with a vault secret every ~2 KiB, against `grep -F -c -f` with the
 * vault's raw passwords over the same file: one pass of a plain multi-literal search that
 * finds only the raw forms (blindfill also finds base64/hex/URL/JSON/HTML forms and the
 * current one-time codes, and rewrites the stream). Throughput in MB/s (10^6 bytes),
 * higher is better; ratio = grep MB/s / blindfill MB/s. The daemon builds its patterns on
 * the first scrub after an unlock: that first run is timed apart (extra).
 *
 * Row 7b: the same over a second vault of as many credentials whose passwords share a
 * long prefix (templated, `filler password 00001 xxxxxxxxxxxx`): the matcher's worst case
 * until it indexed long patterns past their first 8 bytes (docs/PERFORMANCE.md, row 7).
 *
 * Skipped ("not available yet") when native-host/guard/ does not exist.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Home, initHome, makeHome } from '../lib/home.js';
import { BIN, ROOT, rssBytes } from '../lib/proc.js';
import { alternate, measuredRow, type Row, unavailableRow } from '../lib/row.js';

const NAME = 'guard: scrub a log stream (`blindfill redact`)';

/** Run cmd with stdin from `input` and stdout into `output`; resolves with ms and exit code. */
function runFiles(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, input: string, output: string): Promise<{ ms: number; code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const inFd = fs.openSync(input, 'r');
    const outFd = fs.openSync(output, 'w', 0o600);
    const t0 = performance.now();
    const child = spawn(cmd, args, { env, stdio: [inFd, outFd, 'pipe'] });
    fs.closeSync(inFd);
    fs.closeSync(outFd);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - t0, code: code ?? -1, stderr }));
  });
}

const WORDS = 'request served user session cache miss hit upstream GET POST /api/v1/items status 200 304 404 latency ms bytes worker queue retry timeout ok id token trace span'.split(' ');

/** ~`bytes` of log lines; a credential's password every ~2 KiB. Returns how many were put in. */
function writeInput(file: string, bytes: number, passwords: readonly string[]): number {
  const fd = fs.openSync(file, 'w', 0o600);
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  let written = 0;
  let sinceSecret = 0;
  let inserted = 0;
  let chunk = '';
  let line = 0;
  try {
    while (written + chunk.length < bytes) {
      let l = `2026-11-22T04:00:${String(line % 60).padStart(2, '0')}Z`;
      while (l.length < 100) l += ` ${WORDS[rnd(WORDS.length)]}${rnd(10) < 3 ? `=${rnd(100000)}` : ''}`;
      sinceSecret += l.length;
      if (sinceSecret >= 2048) {
        l += ` password=${passwords[rnd(passwords.length)]}`;
        sinceSecret = 0;
        inserted++;
      }
      chunk += `${l}\n`;
      line++;
      if (chunk.length > 1 << 20) {
        fs.writeSync(fd, chunk);
        written += chunk.length;
        chunk = '';
      }
    }
    fs.writeSync(fd, chunk);
  } finally {
    fs.closeSync(fd);
  }
  return inserted;
}

/** Templated passwords: all share `filler password 0` (17 bytes), most a longer prefix. */
const templatedPassword = (i: number): string => `filler password ${String(i).padStart(5, '0')} xxxxxxxxxxxx`;

export async function guardRow(home: Home, passwords: readonly string[], megabytes: number, runs: number): Promise<Row[]> {
  if (!fs.existsSync(path.join(ROOT, 'native-host/guard'))) {
    return [unavailableRow('7', NAME, 'MB/s', 'not available yet: native-host/guard/ does not exist')];
  }
  const main = await measure(home, passwords, megabytes, runs, '7', '');
  if (!main.available) return [main];
  // 7b: a vault of the same size with templated passwords.
  const templated = Array.from({ length: passwords.length }, (_, i) => templatedPassword(i));
  const prefixHome = makeHome('guard-prefix');
  try {
    await initHome(prefixHome);
    const creds = templated.map((password, i) => ({ label: `templated-${i}`, username: `user${i}@example.test`, password, origins: [`https://templated-${i}.example.test`] }));
    await prefixHome.must(['add', '--json-stdin'], JSON.stringify(creds));
    return [main, await measure(prefixHome, templated, megabytes, runs, '7b', ' sharing a prefix (`filler password 00001 xxxxxxxxxxxx`)')];
  } finally {
    await prefixHome.remove();
  }
}

async function measure(home: Home, passwords: readonly string[], megabytes: number, runs: number, id: string, what: string): Promise<Row> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-bench-guard-'));
  try {
    const input = path.join(dir, 'input.log');
    const out = path.join(dir, 'out.log');
    const pwFile = path.join(dir, 'passwords.txt');
    fs.writeFileSync(pwFile, `${passwords.join('\n')}\n`, { mode: 0o600 });
    const inserted = writeInput(input, megabytes * 1e6, passwords);
    const size = fs.statSync(input).size;
    const grepCount = (file: string) => runFiles('grep', ['-F', '-c', '-f', pwFile, file], { PATH: process.env.PATH, LC_ALL: 'C' }, '/dev/null', out);

    // First scrub after the unlock: the daemon builds its patterns.
    const pid = home.daemonPid();
    const rssBefore = pid ? rssBytes(pid) : null;
    const first = await runFiles(process.execPath, [BIN, 'redact'], home.env, input, out);
    if (first.code !== 0) {
      if (/unknown command|not supported/i.test(first.stderr)) return unavailableRow(id, NAME, 'MB/s', `not available yet: ${first.stderr.trim().slice(0, 200)}`);
      throw new Error(`blindfill redact failed: ${first.stderr.trim()}`);
    }
    const rssAfter = pid ? rssBytes(pid) : null;
    // The check: grep finds none of the passwords in what redact wrote, and every inserted one became a placeholder.
    const leftover = await runFiles('grep', ['-F', '-c', '-f', pwFile], { PATH: process.env.PATH, LC_ALL: 'C' }, out, path.join(dir, 'count.txt'));
    const leftLines = Number(fs.readFileSync(path.join(dir, 'count.txt'), 'utf8').trim());
    if (leftover.code > 1 || leftLines !== 0) throw new Error(`redact left ${leftLines} line(s) with a raw password`);
    const placeholders = (fs.readFileSync(out, 'latin1').match(/\[blindfill:/g) ?? []).length;
    if (placeholders < inserted) throw new Error(`redact wrote ${placeholders} placeholders for ${inserted} inserted passwords`);

    const mbps = (ms: number) => size / 1e6 / (ms / 1000);
    const viaRedact = async () => {
      const r = await runFiles(process.execPath, [BIN, 'redact'], home.env, input, out);
      if (r.code !== 0) throw new Error(`blindfill redact failed: ${r.stderr.trim()}`);
      return mbps(r.ms);
    };
    const viaGrep = async () => {
      const r = await grepCount(input);
      if (r.code > 1) throw new Error(`grep failed: ${r.stderr.trim()}`);
      return mbps(r.ms);
    };
    const { a, b } = await alternate(runs, viaRedact, viaGrep);
    return measuredRow({
      id,
      name: `guard: scrub ${Math.round(size / 1e6)} MB of logs, ${passwords.length.toLocaleString('en')} credentials${what}`,
      unit: 'MB/s',
      higherIsBetter: true,
      blindfill: { what: '`blindfill redact` stdin → stdout (every form + codes)', samples: a },
      baseline: { what: '`grep -F -c -f` the raw passwords (detect only)', samples: b },
      // Issue #11 row 7: at least grep's throughput on its measurement (random passwords);
      // 7b, the shared-prefix stress case, is ours and carries no target.
      ...(id === '7' ? { target: 1 } : {}),
      note: 'ratio = grep MB/s / blindfill MB/s; output checked: no raw password left, one placeholder per inserted secret',
      extra: {
        input_mb: Number((size / 1e6).toFixed(1)),
        secrets_in_input: inserted,
        first_scrub_ms: Number(first.ms.toFixed(0)),
        ...(rssBefore !== null && rssAfter !== null ? { daemon_rss_growth_first_scrub_mib: Number(((rssAfter - rssBefore) / 2 ** 20).toFixed(1)) } : {}),
      },
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
