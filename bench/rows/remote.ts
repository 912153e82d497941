/**
 * Row 9 (remote vaults on OpenBao): a real one-node OpenBao (TLS, Raft storage) holding the
 * same credentials as bench/lib/stack.ts's vault, one KV v2 secret each.
 *  9a first sync of COUNT remote credentials (`remote add`: login, list, capabilities,
 *     every read) against `add --json-stdin` of the same credentials into a local vault;
 *  9b the daemon's RSS after that sync against the daemon holding the same vault locally;
 *  9c a warm MCP fill from the remote credential against the same fill from a local one,
 *     in the same daemon and browser (target ≤ 1.05×).
 */
import { performance } from 'node:perf_hooks';
import type { FixtureServer } from '../../e2e/fixtures/server.js';
import { agentPolicy, makeAgent, setupTeamVault, startBao } from '../../e2e/remote/openbao.js';
import { type Home, initHome, makeHome } from '../lib/home.js';
import { rssBytes, sleep } from '../lib/proc.js';
import { alternate, measuredRow, type Row } from '../lib/row.js';
import { credentials, fieldValues, freshLoginPage, PASSWORD, startBrowser, startMcp, USERNAME, waitConnected } from '../lib/stack.js';

const mib = (b: number | null) => (b === null ? NaN : b / 2 ** 20);

export async function remoteRows(server: FixtureServer, o: { count: number; syncRuns: number; warm: number; settleMs: number }, log: (s: string) => void): Promise<Row[]> {
  const bao = await startBao({ nodes: 1 });
  const homes: Home[] = [];
  try {
    await setupTeamVault(bao, 'team');
    const agent = await makeAgent(bao, 'bench-agent', agentPolicy('team', 'apps', '*'));
    const creds = credentials(server, o.count);
    log(`row 9: writing ${o.count} secrets to OpenBao`);
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < creds.length) {
          const { label, ...data } = creds[next++]!;
          await bao.api('POST', `team/data/apps/${String(label)}`, { data });
        }
      }),
    );
    const addRemote = (h: Home) =>
      h.run(['remote', 'add', 'team', '--openbao', bao.urls()[0]!, '--mount', 'team', '--path', 'apps', '--role-id', agent.roleId, '--ca-file', bao.caFile], `${agent.secretId}\n`);

    // 9a: alternate a fresh remote home and a fresh local home.
    const remoteMs: number[] = [];
    const localMs: number[] = [];
    let remoteRss: number | null = null;
    let localRss: number | null = null;
    for (let i = 0; i < o.syncRuns; i++) {
      const r = makeHome('remote-sync');
      const l = makeHome('local-add');
      homes.push(r, l);
      await initHome(r);
      await initHome(l);
      let t0 = performance.now();
      const ra = await addRemote(r);
      remoteMs.push(performance.now() - t0);
      if (ra.code !== 0) throw new Error(`remote add failed: ${ra.stderr.trim()}`);
      t0 = performance.now();
      await l.must(['add', '--json-stdin'], JSON.stringify(creds));
      localMs.push(performance.now() - t0);
      const listed = JSON.parse((await r.must(['remote', 'list', '--json'])).stdout).remotes[0].credentials;
      if (listed !== o.count) throw new Error(`the remote synced ${listed} credentials, expected ${o.count}`);
      if (i === o.syncRuns - 1) {
        await sleep(o.settleMs);
        remoteRss = rssBytes(r.daemonPid() ?? -1);
        localRss = rssBytes(l.daemonPid() ?? -1);
      } else {
        await r.remove();
        await l.remove();
      }
    }
    const rows: Row[] = [
      measuredRow({
        id: '9a',
        name: `remote: first sync of ${o.count.toLocaleString('en')} credentials from OpenBao`,
        unit: 'ms',
        blindfill: { what: '`remote add` (AppRole login, detailed-metadata list, capabilities, every KV read)', samples: remoteMs },
        baseline: { what: '`add --json-stdin` of the same credentials (local vault)', samples: localMs },
        note: 'one-node OpenBao 2.7.2 over TLS on loopback (Raft storage); 16 reads in flight',
      }),
      measuredRow({
        id: '9b',
        name: `remote: daemon memory holding ${o.count.toLocaleString('en')} remote credentials`,
        unit: 'MiB',
        blindfill: { what: 'daemon RSS after the first sync', samples: [mib(remoteRss)] },
        baseline: { what: 'daemon RSS with the same credentials local', samples: [mib(localRss)] },
        note: `measured ${o.settleMs} ms after the sync / add`,
      }),
    ];

    // 8c: one daemon and browser; "site" comes from OpenBao, "site-local" is the same credential local.
    const h = homes[homes.length - 2]!;
    await h.must(['add', '--json-stdin'], JSON.stringify({ label: 'site-local', username: USERNAME, password: PASSWORD, origins: [server.origin('bank.test')] }));
    const browser = await startBrowser(h);
    try {
      await waitConnected(h);
      const mcp = await startMcp(h.env);
      try {
        const fill = (label: string) => async () => {
          await freshLoginPage(browser.page, server);
          const t0 = performance.now();
          const r = await mcp.call('fill_credential', { label });
          const ms = performance.now() - t0;
          if (r.isError) throw new Error(`fill ${label}: ${String(r.structured.code)}`);
          const [u, p] = await fieldValues(browser.page);
          if (u !== USERNAME || p !== PASSWORD) throw new Error(`fill ${label} answered ok but the fields do not hold the credential`);
          return ms;
        };
        await alternate(Math.min(5, o.warm), fill('site'), fill('site-local'));
        const { a, b } = await alternate(o.warm, fill('site'), fill('site-local'));
        rows.push(
          measuredRow({
            id: '9c',
            name: 'remote: warm fill from a remote credential vs a local one',
            unit: 'ms',
            blindfill: { what: 'MCP fill_credential, credential from OpenBao (held in memory)', samples: a },
            baseline: { what: 'MCP fill_credential, local credential', samples: b },
            target: 1.05,
            note: `same daemon and browser; ${o.count.toLocaleString('en')} remote credentials refreshed every 5 s meanwhile`,
          }),
        );
      } finally {
        await mcp.close();
      }
    } finally {
      await browser.close();
    }
    return rows;
  } finally {
    for (const h of homes) await h.remove().catch(() => undefined);
    await bao.close();
  }
}
