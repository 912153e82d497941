/**
 * Where a warm fill's time goes (for docs/PERFORMANCE.md, `--breakdown`): the same fill
 * through MCP and straight over the daemon socket, an MCP round trip that does no browser
 * work, and, timed inside the extension's service worker, the chrome.scripting calls a
 * fill makes (inject the detector file, call it, inject the filler file, call it with
 * the bench's throwaway credential) plus an empty executeScript for scale.
 */
import type { Worker } from 'playwright';
import { DaemonSocket, type Home } from '../lib/home.js';
import { stats } from '../lib/stats.js';
import { fieldValues, freshLoginPage, PASSWORD, SITE_HOST, USERNAME } from '../lib/stack.js';
import type { FillTarget } from './browser.js';

export async function fillBreakdown(t: FillTarget, home: Home, worker: Worker, n: number): Promise<Record<string, number>> {
  const sock = await DaemonSocket.connect(home.socketPath());
  const ipc: number[] = [];
  const mcpList: number[] = [];
  const sw: Record<string, number[]> = { query_tabs: [], inject_detector: [], call_detector: [], inject_filler: [], call_filler: [], empty_script: [] };
  try {
    for (let i = 0; i < n; i++) {
      await freshLoginPage(t.page, t.server);
      const { ms } = await sock.must({ op: 'fill', label: 'site', submit: false });
      ipc.push(ms);

      const t0 = performance.now();
      await t.mcp.call('list_credentials', {});
      mcpList.push(performance.now() - t0);

      await freshLoginPage(t.page, t.server);
      // The bench's own throwaway credential (not a secret), as the daemon would send it.
      const fillArg = { origins: [t.server.origin(SITE_HOST)], values: { username: USERNAME, password: PASSWORD }, submit: false };
      const r = await worker.evaluate(async (fillArg) => {
        const c = (globalThis as unknown as { chrome: typeof chrome }).chrome;
        const now = () => globalThis.performance.now();
        let a = now();
        const [tab] = await c.tabs.query({ active: true });
        const tabId = tab!.id!;
        const out: Record<string, number> = { query_tabs: now() - a };
        a = now();
        await c.scripting.executeScript({ target: { tabId, allFrames: true }, files: ['page/detector.js'], world: 'ISOLATED' });
        out.inject_detector = now() - a;
        a = now();
        await c.scripting.executeScript({
          target: { tabId, allFrames: true },
          func: (name: string) => {
            const f = (globalThis as unknown as Record<string, unknown>)[name];
            return typeof f === 'function' ? (f as (x: unknown) => unknown)(null) : null;
          },
          args: ['__blindfillDetect'],
          world: 'ISOLATED',
        });
        out.call_detector = now() - a;
        a = now();
        await c.scripting.executeScript({ target: { tabId }, files: ['page/filler.js'], world: 'ISOLATED' });
        out.inject_filler = now() - a;
        a = now();
        await c.scripting.executeScript({
          target: { tabId },
          func: (name: string, arg: unknown) => {
            const f = (globalThis as unknown as Record<string, unknown>)[name];
            return typeof f === 'function' ? (f as (x: unknown) => unknown)(arg) : null;
          },
          args: ['__blindfillFill', fillArg],
          world: 'ISOLATED',
        });
        out.call_filler = now() - a;
        a = now();
        await c.scripting.executeScript({ target: { tabId }, func: () => 1, world: 'ISOLATED' });
        out.empty_script = now() - a;
        return out;
      }, fillArg);
      for (const [k, v] of Object.entries(r)) sw[k]!.push(v);
      const [u, p] = await fieldValues(t.page);
      if (u !== USERNAME || p !== PASSWORD) throw new Error('breakdown: the direct filler call did not fill the fields');
    }
  } finally {
    sock.close();
  }
  const med = (xs: number[]) => Number(stats(xs).median.toFixed(2));
  const out: Record<string, number> = { ipc_fill_median_ms: med(ipc), mcp_list_roundtrip_median_ms: med(mcpList) };
  for (const [k, v] of Object.entries(sw)) out[`sw_${k}_median_ms`] = med(v);
  // What the extension's page work does not explain: MCP, the daemon, the native host,
  // two native-messaging round trips and the service worker's own handling.
  const inPage = ['query_tabs', 'inject_detector', 'call_detector', 'inject_filler', 'call_filler'].reduce((acc, k) => acc + stats(sw[k]!).median, 0);
  out.rest_of_ipc_fill_ms = Number((stats(ipc).median - inPage).toFixed(2));
  return out;
}
