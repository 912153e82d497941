/**
 * A three-node OpenBao Raft cluster on loopback (TLS, retry_join, API init/unseal): the
 * remote names every node's address. The leader is stopped during a run of fills: every
 * fill succeeds (held in memory), each one lands exactly once, and the daemons reach the
 * new leader through the standbys (a credential the admin adds afterwards arrives). With
 * the whole cluster down, remote fills keep working for the grace time, then refuse with
 * REMOTE_UNAVAILABLE; a local credential is never affected.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixtures/server.js';
import { makeCanary } from '../harness/canary.js';
import { type Home, initVault, makeHome } from '../core/cli.js';
import { type AgentMachine, addRemote, startAgent, waitForList } from './agents.js';
import { agentPolicy, type BaoCluster, makeAgent, setupTeamVault, startBao } from './openbao.js';

const GRACE_S = 8;
const ENV = { BLINDFILL_REMOTE_REFRESH_S: '1', BLINDFILL_REMOTE_GRACE_S: String(GRACE_S), BLINDFILL_RATE_PER_MINUTE: '1000' };
const STATED_MS = 10_000;

let bao: BaoCluster;
let server: FixtureServer;
let agent: AgentMachine;
let second: Home;
const password = makeCanary({ charset: 'safe' });

function reset(): void {
  server.reset();
  server.setAccount('bank.test', { username: 'alice', password });
}

beforeAll(async () => {
  [bao, server] = await Promise.all([startBao({ nodes: 3 }), startFixtureServer()]);
  reset();
  await setupTeamVault(bao, 'team');
  const a = await makeAgent(bao, 'agent-a', agentPolicy('team', 'apps', '*'));
  const b = await makeAgent(bao, 'agent-b', agentPolicy('team', 'apps', '*'));
  bao.bao(['kv', 'put', 'team/apps/bank', '-'], JSON.stringify({ username: 'alice', password, origins: [server.origin('bank.test')] }));
  [agent, second] = await Promise.all([startAgent(server, ENV), (async () => { const h = makeHome(ENV); await initVault(h); return h; })()]);
  for (const [h, id] of [[agent.home, a], [second, b]] as const) {
    const r = await addRemote(h, bao, 'team', id.roleId, id.secretId);
    expect(r.code, r.stderr).toBe(0);
  }
  const local = await agent.home.run(['add', '--json-stdin'], JSON.stringify({ label: 'bank-local', username: 'alice', password, origins: [server.origin('bank.test')] }));
  expect(local.code, local.stderr).toBe(0);
});

afterAll(async () => {
  await Promise.all([agent?.close(), second?.stop()]);
  await Promise.all([bao?.close(), server?.close()]);
});

async function fillOnce(label: string): Promise<{ code: number; stderr: string }> {
  return agent.fill(label, server.url('bank.test', '/plain'));
}

it('stopping the leader during a run of fills: every fill succeeds exactly once, the daemons follow the new leader', async () => {
  reset();
  const old = await bao.leader();
  const N = 10;
  let stopped: Promise<void> | null = null;
  for (let i = 0; i < N; i++) {
    if (i === 3) stopped = old.stop();
    const r = await fillOnce('bank');
    expect(r.code, `fill ${i}: ${r.stderr}`).toBe(0);
    await server.waitForLogin('bank.test', { predicate: (l) => l.complete && server.logins('bank.test').filter((x) => x.complete).length === i + 1 });
  }
  await stopped;
  // Nothing lost or duplicated: one completed login per fill.
  expect(server.logins('bank.test').filter((l) => l.complete)).toHaveLength(N);

  const now = await bao.leader();
  expect(now.id).not.toBe(old.id);
  bao.bao(['kv', 'put', 'team/apps/after-failover', '-'], JSON.stringify({ username: 'alice', password, origins: [server.origin('bank.test')] }));
  await Promise.all([agent.home, second].map((h) => waitForList(h, (c) => c.some((x) => x.label === 'after-failover' && x.source === 'team'), STATED_MS)));
  for (const h of [agent.home, second]) {
    const s = await h.run(['remote', 'sync', 'team']);
    expect(s.code, s.stderr).toBe(0);
  }
});

it('the whole cluster down: remote fills work for the grace time, then REMOTE_UNAVAILABLE; local fills go on', async () => {
  const before = JSON.parse((await agent.home.run(['remote', 'list', '--json'])).stdout).remotes[0].last_sync as string;
  await Promise.all(bao.nodes.map((n) => n.stop()));
  const downAt = Date.now();
  reset();
  const first = await fillOnce('bank');
  expect(first.code, first.stderr).toBe(0);
  let refusedAt = 0;
  while (Date.now() - downAt < (GRACE_S + 10) * 1000) {
    const r = await fillOnce('bank');
    if (r.code !== 0) {
      expect(r.stderr).toMatch(/^error REMOTE_UNAVAILABLE/);
      refusedAt = Date.now();
      break;
    }
    await new Promise((res) => setTimeout(res, 500));
  }
  expect(refusedAt).toBeGreaterThan(0);
  // Refused no earlier than the grace after the last good sync, and not much later.
  expect(refusedAt - Date.parse(before)).toBeGreaterThanOrEqual(GRACE_S * 1000);
  expect(refusedAt - downAt).toBeLessThan((GRACE_S + 4) * 1000);
  const sync = await agent.home.run(['remote', 'sync', 'team']);
  expect(sync.stderr).toMatch(/^error REMOTE_UNAVAILABLE/);
  reset();
  const local = await fillOnce('bank-local');
  expect(local.code, local.stderr).toBe(0);
  await server.waitForLogin('bank.test', { predicate: (l) => l.complete });
});
