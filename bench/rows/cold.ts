/**
 * Row 2: cold start. Each run starts from no daemon process and no browser.
 *
 *  2a "cold fill": a just-started browser (fresh profile) and a just-started daemon; the
 *     vault is unlocked (untimed: a freshly started daemon is always locked, so no fill can
 *     succeed before an unlock; the KDF is row 4). Timed: `blindfill fill site` from
 *     spawn to exit — the first fill that daemon, native host and extension ever serve,
 *     including the CLI's own process start.
 *  2b "daemon autostart": `blindfill status` from spawn to exit with no daemon running:
 *     the CLI starts the daemon on demand and waits for its socket.
 * Baseline for both: `node -e 0` from spawn to exit (Node's own process start).
 */
import { performance } from 'node:perf_hooks';
import type { FixtureServer } from '../../e2e/fixtures/server.js';
import { type Home, PASSPHRASE } from '../lib/home.js';
import { timedSpawn } from '../lib/proc.js';
import { measuredRow, type Row } from '../lib/row.js';
import { stats } from '../lib/stats.js';
import { freshLoginPage, startBrowser, waitConnected } from '../lib/stack.js';

export async function coldRows(home: Home, server: FixtureServer, runs: number, log: (s: string) => void): Promise<Row[]> {
  const nodeStart = async () => (await timedSpawn(process.execPath, ['-e', '0'], { PATH: process.env.PATH })).ms;
  const cold: number[] = [];
  const autostart: number[] = [];
  const base: number[] = [];
  const warmCli: number[] = [];
  const launch: number[] = [];
  const connect: number[] = [];
  // Warm the page cache for node and the bundle once (a first-ever run is not "cold start" either).
  await nodeStart();
  await home.stopDaemon();
  await home.must(['status', '--json']);
  for (let i = 0; i < runs; i++) {
    await home.stopDaemon();
    if (home.daemonPid() !== null) throw new Error('the daemon did not stop');
    if (i % 2 === 0) base.push(await nodeStart());

    const st = await home.run(['status', '--json']);
    if (st.code !== 0) throw new Error(`status failed: ${st.stderr}`);
    autostart.push(st.ms);

    const b = await startBrowser(home);
    try {
      launch.push(b.launchMs);
      const t0 = performance.now();
      await waitConnected(home);
      connect.push(performance.now() - t0);
      await home.must(['unlock', '--passphrase-stdin'], PASSPHRASE);
      await freshLoginPage(b.page, server);
      const r = await home.run(['fill', 'site', '--json']);
      if (r.code !== 0) throw new Error(`cold fill failed: ${r.stderr.trim()}`);
      cold.push(r.ms);
      await freshLoginPage(b.page, server);
      const w = await home.run(['fill', 'site', '--json']);
      if (w.code !== 0) throw new Error(`second fill failed: ${w.stderr.trim()}`);
      warmCli.push(w.ms);
    } finally {
      await b.close();
    }
    if (i % 2 === 1) base.push(await nodeStart());
    log(`  cold run ${i + 1}/${runs}: fill ${cold.at(-1)!.toFixed(0)} ms, autostart ${autostart.at(-1)!.toFixed(0)} ms, node -e 0 ${base.at(-1)!.toFixed(0)} ms`);
  }
  const med = (xs: number[]) => Number(stats(xs).median.toFixed(1));
  return [
    measuredRow({
      id: '2a',
      name: 'cold fill: first fill of a just-started browser and daemon',
      unit: 'ms',
      blindfill: { what: '`blindfill fill` spawn → exit (first fill)', samples: cold },
      baseline: { what: '`node -e 0` spawn → exit', samples: base },
      target: 4,
      note: 'vault unlocked untimed before (a new daemon is locked); browser launch and extension connect reported in extra',
      extra: {
        second_cli_fill_median_ms: med(warmCli),
        browser_launch_median_ms: med(launch),
        extension_connect_after_launch_median_ms: med(connect),
      },
    }),
    measuredRow({
      id: '2b',
      name: 'daemon autostart: a CLI call with no daemon running',
      unit: 'ms',
      blindfill: { what: '`blindfill status` spawn → exit, daemon started on demand', samples: autostart },
      baseline: { what: '`node -e 0` spawn → exit', samples: base },
      target: 4,
    }),
  ];
}
