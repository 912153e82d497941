/**
 * npm run bench (issue #11). Every row measures blindfill and its baseline alternately in
 * the same run and reports both medians (and p99 where it applies) and their ratio
 * (blindfill / baseline). Prints a table; writes bench/results.json.
 *
 *   node scripts/bench.mjs [--quick] [--only 1,3,6] [--out FILE] [--breakdown]
 *
 * --breakdown adds to row 1 where a warm fill's time goes (see rows/breakdown.ts).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startFixtureServer, type FixtureServer } from '../e2e/fixtures/server.js';
import { type Home, initHome, makeHome } from './lib/home.js';
import { ROOT, rssBytes } from './lib/proc.js';
import { type Row, unavailableRow } from './lib/row.js';
import { type BrowserStack, credentials, type Mcp, PASSWORD, SITE_HOST, startBrowser, startMcp, USERNAME, waitConnected } from './lib/stack.js';
import { scaleFillRow, scaleListRow, warmFillRow } from './rows/browser.js';
import { scaleListOriginRow, settingsRows } from './rows/lists.js';
import { fillBreakdown } from './rows/breakdown.js';
import { coldRows } from './rows/cold.js';
import { guardRow } from './rows/guard.js';
import { outcomeRow } from './rows/outcome.js';
import { bareNodeRss, memoryRow } from './rows/memory.js';
import { typingRows } from './rows/typing.js';
import { remoteRows } from './rows/remote.js';
import { fsTypeOf, saveRow, unlockRow, vaultPlaintext } from './rows/vault.js';

const { values: opts } = parseArgs({
  options: { quick: { type: 'boolean' }, only: { type: 'string' }, out: { type: 'string' }, breakdown: { type: 'boolean' } },
  strict: true,
});
const quick = opts.quick === true;
const only = opts.only ? new Set(opts.only.split(',').map((s) => s.trim())) : null;
const want = (row: string) => only === null || only.has(row);
const outFile = path.resolve(opts.out ?? path.join(ROOT, 'bench/results.json'));

const N = quick
  ? { warm: 10, outcome: 10, big: 100, small: 10, scaleFill: 5, list: 3, settings: 2, save: 3, cold: 1, unlock: 1, memory: 3, typing: 5, settle: 2000, guardMb: 4, guard: 2 }
  : { warm: 200, outcome: 50, big: 10_000, small: 10, scaleFill: 100, list: 20, settings: 5, save: 20, cold: 10, unlock: 10, memory: 5, typing: 200, settle: 15_000, guardMb: 100, guard: 5 };

const log = (s: string) => process.stderr.write(`${s}\n`);
const started = Date.now();
const phase = (s: string) => log(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${s}`);

function machine(): Record<string, unknown> {
  let chromium = 'unknown';
  try {
    chromium = execFileSync(process.env.BLINDFILL_CHROMIUM ?? '/usr/bin/chromium', ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    /* leave unknown */
  }
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cpus: cpus.length,
    memory_gib: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    chromium,
    tmp_filesystem: fsTypeOf(os.tmpdir()),
    loadavg_start: os.loadavg().map((x) => Number(x.toFixed(2))),
  };
}

// ---------------------------------------------------------------------------------------

interface Side {
  home: Home;
  browser: BrowserStack | null;
  mcp: Mcp | null;
  count: number;
}

async function makeSide(name: string, server: FixtureServer, count: number, withBrowser: boolean): Promise<Side> {
  const home = makeHome(name);
  await initHome(home);
  await home.must(['add', '--json-stdin'], JSON.stringify(credentials(server, count)));
  const side: Side = { home, browser: null, mcp: null, count };
  if (withBrowser) {
    side.browser = await startBrowser(home);
    await waitConnected(home);
    side.mcp = await startMcp(home.env);
  }
  return side;
}

async function closeBrowser(s: Side | null): Promise<void> {
  if (!s) return;
  await s.mcp?.close().catch(() => undefined);
  s.mcp = null;
  await s.browser?.close().catch(() => undefined);
  s.browser = null;
}

function fmt(x: number, unit: Row['unit']): string {
  if (unit === 'MiB') return x.toFixed(1);
  if (unit === 'chars/s' || unit === 'MB/s') return x.toFixed(0);
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function table(rows: Row[]): string {
  const head = ['#', 'measurement', 'blindfill median / p99', 'baseline median / p99', 'ratio', 'target', ''];
  const body = rows.map((r) => {
    if (!r.available || !r.blindfill || !r.baseline) {
      const failedRow = r.error === true;
      return [r.id, r.name, failedRow ? 'FAILED' : 'not available yet', '', '', r.target !== undefined ? `≤ ${r.target}` : '', failedRow ? 'FAILED' : 'SKIP'];
    }
    const side = (s: NonNullable<Row['blindfill']>) =>
      r.unit === 'ms' ? `${fmt(s.stats.median, r.unit)} / ${fmt(s.stats.p99, r.unit)} ms` : `${fmt(s.stats.median, r.unit)} ${r.unit}`;
    return [
      r.id,
      r.name,
      side(r.blindfill),
      side(r.baseline),
      r.ratio!.toFixed(2),
      r.target !== undefined ? `≤ ${r.target}` : '—',
      r.target === undefined ? '' : r.met ? 'ok' : 'MISSED',
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const b of body) out.push(line(b));
  out.push('');
  out.push('What each side is:');
  for (const r of rows) {
    if (!r.available || !r.blindfill || !r.baseline) {
      out.push(`  ${r.id}: ${r.note ?? 'not available'}`);
      continue;
    }
    out.push(`  ${r.id}: ${r.blindfill.what} (n=${r.blindfill.stats.n})  vs  ${r.baseline.what} (n=${r.baseline.stats.n})${r.note ? ` — ${r.note}` : ''}`);
    if (r.extra) out.push(`      ${Object.entries(r.extra).map(([k, v]) => `${k}=${v}`).join('  ')}`);
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const info = machine();
  phase(`${quick ? 'quick' : 'full'} run on ${String(info.cpus)}× ${String(info.cpu)}, load ${(info.loadavg_start as number[]).join(' ')}`);
  const rows: Row[] = [];
  const failed: string[] = [];
  let server: FixtureServer | null = null;
  let small: Side | null = null;
  let big: Side | null = null;
  try {
    server = await startFixtureServer({ accounts: { [SITE_HOST]: { username: USERNAME, password: PASSWORD } } });
    const needBrowsers = want('1') || want('3') || want('8');
    const needSmall = needBrowsers || want('2') || want('4');
    const needBig = want('3') || want('4') || want('6') || want('7');
    if (needSmall) {
      phase(`vault with ${N.small} credentials${needBrowsers ? ', Chromium, MCP client' : ''}`);
      small = await makeSide('small', server, N.small, needBrowsers);
    }
    if (needBig) {
      phase(`vault with ${N.big.toLocaleString('en')} credentials${want('3') ? ', Chromium, MCP client' : ''}`);
      big = await makeSide('big', server, N.big, want('3'));
    }

    /** One row (or rows): a failure is recorded as a FAILED row and the bench goes on. */
    const attempt = async (id: string, name: string, unit: Row['unit'], f: () => Promise<Row | Row[]>) => {
      try {
        const r = await f();
        rows.push(...(Array.isArray(r) ? r : [r]));
      } catch (e) {
        failed.push(id);
        log(`row ${id} FAILED: ${(e as Error)?.stack ?? String(e)}`);
        rows.push({ ...unavailableRow(id, name, unit, `FAILED: ${String((e as Error)?.message ?? e).split('\n')[0]}`), error: true });
      }
    };

    if (want('1')) {
      phase(`row 1: warm fill, ${N.warm} runs each`);
      await attempt('1', 'warm fill', 'ms', async () => {
        const target = { page: small!.browser!.page, mcp: small!.mcp!, server: server! };
        const row = await warmFillRow(target, N.warm);
        if (opts.breakdown) {
          phase('row 1: breakdown of a warm fill');
          row.extra = { ...row.extra, ...(await fillBreakdown(target, small!.home, small!.browser!.browser.serviceWorker!, Math.min(N.warm, 50))) };
        }
        return row;
      });
    }
    if (want('8')) {
      phase(`row 8: login outcome after submit, ${N.outcome} runs`);
      await attempt('8', 'login outcome', 'ms', () => outcomeRow({ page: small!.browser!.page, mcp: small!.mcp!, server: server! }, N.outcome));
    }
    if (want('3')) {
      phase(`row 3a: fill with ${N.big} vs ${N.small} credentials, ${N.scaleFill} runs each`);
      await attempt('3a', 'scale: fill', 'ms', () =>
        scaleFillRow({ page: small!.browser!.page, mcp: small!.mcp!, server: server! }, { page: big!.browser!.page, mcp: big!.mcp!, server: server! }, N.scaleFill, N.big, N.small),
      );
      phase(`row 3b: list with ${N.big} vs ${N.small} credentials, ${N.list} runs each`);
      await attempt('3b', 'scale: list', 'ms', () => scaleListRow(small!.mcp!, big!.mcp!, N.list, N.big, N.small));
      phase(`row 3d: list for one page with ${N.big} vs ${N.small} credentials, ${N.list} runs each`);
      await attempt('3d', 'scale: list for one page', 'ms', () => scaleListOriginRow(small!.mcp!, big!.mcp!, `${server!.origin(SITE_HOST)}/login`, N.list, N.big, N.small));
      phase(`rows 3e/3f: settings page with ${N.big} vs ${N.small} credentials, ${N.settings} runs each`);
      await attempt('3e', 'settings page', 'ms', () => settingsRows(small!.browser!, big!.browser!, N.settings, N.big, N.small));
    }
    await closeBrowser(big);
    await closeBrowser(small);

    if (want('3')) {
      phase(`row 3c: save a ${N.big}-credential vault, ${N.save} runs each`);
      await attempt('3c', 'scale: save', 'ms', () => saveRow(credentials(server!, N.big), N.save));
    }
    if (want('4')) {
      phase(`row 4: unlock, ${N.unlock} runs each`);
      await attempt('4', 'unlock', 'ms', () => unlockRow(small!.home, N.unlock, N.small, big ? { home: big.home, credentials: N.big } : undefined));
    }
    if (want('6')) {
      phase(`row 6: memory with ${N.big} credentials`);
      await attempt('6', 'memory', 'MiB', async () => {
        const smallPid = small?.home.daemonPid();
        const extra: Record<string, number> = { bare_node_rss_mib: Number((await bareNodeRss()).toFixed(1)) };
        const smallRss = smallPid ? rssBytes(smallPid) : null;
        if (smallRss !== null) extra[`daemon_rss_with_${N.small}_credentials_mib`] = Number((smallRss / 2 ** 20).toFixed(1));
        const bigPid = big!.home.daemonPid();
        const before = bigPid ? rssBytes(bigPid) : null;
        if (before !== null) extra.daemon_rss_after_scale_rows_mib = Number((before / 2 ** 20).toFixed(1));
        return memoryRow(big!.home, vaultPlaintext(credentials(server!, N.big)), N.big, N.memory, N.settle, extra);
      });
    }
    if (want('7')) {
      phase(`row 7: guard, ${N.guardMb} MB, ${N.guard} runs each`);
      await attempt('7', 'guard', 'MB/s', () => guardRow(big!.home, credentials(server!, N.big).map((c) => String(c.password)), N.guardMb, N.guard));
    }
    if (want('2')) {
      phase(`row 2: cold start, ${N.cold} runs`);
      await attempt('2a', 'cold fill', 'ms', () => coldRows(small!.home, server!, N.cold, log));
    }
    if (want('9')) {
      phase(`row 9: remote vault on OpenBao, ${N.big} credentials`);
      await attempt('9', 'remote vault', 'ms', () => remoteRows(server!, { count: N.big, syncRuns: quick ? 1 : 3, warm: N.warm, settleMs: N.settle }, log));
    }
    if (want('5')) {
      phase('row 5: desktop typing');
      await attempt('5', 'desktop typing', 'chars/s', () => typingRows(N.typing));
    }
  } finally {
    await closeBrowser(big);
    await closeBrowser(small);
    await big?.home.remove();
    await small?.home.remove();
    await server?.close();
  }

  const order = (id: string) => Number.parseFloat(id) + (id.match(/[a-z]$/) ? (id.charCodeAt(id.length - 1) - 96) / 100 : 0);
  rows.sort((a, b) => order(a.id) - order(b.id));
  const result = {
    bench: 'blindfill',
    mode: quick ? 'quick' : 'full',
    date: new Date().toISOString(),
    seconds: Math.round((Date.now() - started) / 1000),
    counts: N,
    machine: { ...info, loadavg_end: os.loadavg().map((x) => Number(x.toFixed(2))) },
    rows,
  };
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`\n${table(rows)}\n\nwrote ${outFile} (${result.seconds} s)\n`);
  if (failed.length > 0) {
    process.stderr.write(`bench: row(s) ${failed.join(', ')} FAILED (see above)\n`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench FAILED: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  },
);
