/**
 * Team vaults on a real OpenBao server (TLS with a test CA, integrated storage, initialized
 * and unsealed through the API, a file audit device, one AppRole per agent): two agent
 * machines (two homes, two daemons, two Chromiums with the extension) fill from the same
 * KV v2 folder; the admin adds, narrows and revokes in OpenBao and the agents follow
 * within the stated time. Secrets and the secret-ids never show in agent output, blindfill
 * logs, any argv, or OpenBao's audit log in clear.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCanary, assertNoSecret } from '../harness/canary.js';
import { sampleCmdlines } from '../harness/procs.js';
import { type FixtureServer, startFixtureServer } from '../fixtures/server.js';
import { type AgentMachine, addRemote, startAgent, waitForList } from './agents.js';
import { agentPolicy, type BaoCluster, makeAgent, setupTeamVault, startBao } from './openbao.js';
import { makeHome, initVault, type Home } from '../core/cli.js';

/** The stated time for a change in OpenBao to reach the agents: one refresh (1 s here, 5 s by default) plus slack. */
const STATED_MS = 10_000;
const ENV = { BLINDFILL_REMOTE_REFRESH_S: '1', BLINDFILL_REMOTE_GRACE_S: '30', BLINDFILL_RATE_PER_MINUTE: '1000' };

let bao: BaoCluster;
let server: FixtureServer;
let a: AgentMachine;
let b: AgentMachine;
let admin: Home;
const password = makeCanary({ charset: 'safe' });
const shopPassword = makeCanary({ charset: 'safe' });
const ids: Record<string, { roleId: string; secretId: string }> = {};
const cmdlines: Promise<string[]>[] = [];
let stopSampling: () => void = () => {};

/** Forget recorded logins; the accounts are set again (reset clears them). */
function reset(): void {
  server.reset();
  server.setAccount('bank.test', { username: 'alice', password });
  server.setAccount('shop.example.test', { username: 'bob', password: shopPassword });
}

beforeAll(async () => {
  [bao, server] = await Promise.all([startBao({ nodes: 1 }), startFixtureServer()]);
  await setupTeamVault(bao, 'team');
  ids.a = await makeAgent(bao, 'agent-a', agentPolicy('team', 'apps', '*'));
  ids.b = await makeAgent(bao, 'agent-b', agentPolicy('team', 'apps', '*'));
  ids.admin = await makeAgent(bao, 'admin', agentPolicy('team', 'apps', '*', true));
  reset();
  // Every command line on the machine, for the whole file.
  cmdlines.push(sampleCmdlines(new Promise<void>((r) => (stopSampling = r))));
  [a, b] = await Promise.all([startAgent(server, ENV), startAgent(server, ENV)]);
  admin = makeHome(ENV);
  await initVault(admin);
  for (const [h, who] of [[a.home, 'a'], [b.home, 'b'], [admin, 'admin']] as const) {
    const r = await addRemote(h, bao, 'team', ids[who]!.roleId, ids[who]!.secretId);
    expect(r.code, r.stderr).toBe(0);
  }
});

afterAll(async () => {
  stopSampling();
  await Promise.all([a?.close(), b?.close(), admin?.stop()]);
  await Promise.all([bao?.close(), server?.close()]);
});

describe('OpenBao team vault', () => {
  it('remote list --json shows the remote, with its credentials and last sync', async () => {
    const r = await a.home.run(['remote', 'list', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { remotes } = JSON.parse(r.stdout);
    expect(remotes).toEqual([{ name: 'team', url: bao.urls().join(','), mount: 'team', path: 'apps', credentials: 0, last_sync: expect.any(String) }]);
  });

  it('the admin adds a credential with bao kv put: both agents fill it within the stated time', async () => {
    const t0 = Date.now();
    bao.bao(['kv', 'put', 'team/apps/bank', '-'], JSON.stringify({ username: 'alice', password, origins: JSON.stringify([server.origin('bank.test')]) }));
    await Promise.all([a, b].map((m) => waitForList(m.home, (c) => c.some((x) => x.label === 'bank' && x.source === 'team'), STATED_MS)));
    expect(Date.now() - t0).toBeLessThan(STATED_MS);
    for (const m of [a, b]) {
      reset();
      const r = await m.fill('bank', server.url('bank.test', '/plain'));
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, label: 'bank', filled: ['username', 'password'], submitted: true });
      const login = await server.waitForLogin('bank.test', { predicate: (l) => l.complete });
      expect(login).toMatchObject({ ok: true, user: 'alice' });
    }
    // blindfill's own audit entry names the source.
    expect(fs.readFileSync(`${a.home.dir}/audit.log`, 'utf8')).toMatch(/"event":"fill","label":"bank".*source=team/);
  });

  it('a remote credential follows the origin rules of a local one', async () => {
    const r = await a.fill('bank', server.url('evil.test', '/plain'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error ORIGIN_MISMATCH/);
  });

  it('blindfill remote put writes through KV v2 (the admin identity) and the agents see it', async () => {
    const r = await admin.run(['remote', 'put', 'team', 'shop'], JSON.stringify({ username: 'bob', password: shopPassword, origins: [server.origin('shop.example.test')] }));
    expect(r.code, r.stderr).toBe(0);
    const kv = await bao.api('GET', 'team/data/apps/shop');
    expect(kv.body.data.data.username).toBe('bob');
    await waitForList(a.home, (c) => c.some((x) => x.label === 'shop'), STATED_MS);
    reset();
    const f = await a.fill('shop', server.url('shop.example.test', '/plain'));
    expect(f.code, f.stderr).toBe(0);
    await server.waitForLogin('shop.example.test', { predicate: (l) => l.complete });
  });

  it('an agent identity may not write (its policy reads only)', async () => {
    const r = await a.home.run(['remote', 'put', 'team', 'sneaky'], JSON.stringify({ username: 'x', password: 'y', origins: ['https://example.test'] }));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error DENIED/);
  });

  it('a label clash: the local credential wins, the remote entry is refused and doctor reports it', async () => {
    const add = await b.home.run(['add', '--json-stdin'], JSON.stringify({ label: 'shop', username: 'local-bob', origins: ['https://example.test'] }));
    expect(add.code, add.stderr).toBe(0);
    const list = JSON.parse((await b.home.run(['list', '--json'])).stdout).credentials;
    expect(list.filter((c: { label: string }) => c.label === 'shop')).toEqual([expect.objectContaining({ label: 'shop', source: 'local', has_password: false })]);
    const doc = await b.home.run(['doctor', '--json']);
    const check = JSON.parse(doc.stdout).checks.find((c: { id: string }) => c.id === 'remotes');
    expect(check).toMatchObject({ status: 'warn' });
    expect(check.message).toMatch(/"shop" of remote "team" is refused/);
    expect((await b.home.run(['remove', 'shop'])).code).toBe(0);
  });

  it('the admin narrows agent B’s policy: B refuses that label, A still fills', async () => {
    await bao.api('PUT', 'sys/policies/acl/agent-b', { policy: agentPolicy('team', 'apps', ['shop']) });
    const took = await waitForList(b.home, (c) => !c.some((x) => x.label === 'bank'), STATED_MS);
    expect(took).toBeLessThan(STATED_MS);
    const rb = await b.fill('bank', server.url('bank.test', '/plain'));
    expect(rb.code).not.toBe(0);
    expect(rb.stderr).toMatch(/^error UNKNOWN_LABEL/);
    reset();
    const ra = await a.fill('bank', server.url('bank.test', '/plain'));
    expect(ra.code, ra.stderr).toBe(0);
    await server.waitForLogin('bank.test', { predicate: (l) => l.complete });
  });

  it('B’s secret-id is destroyed: B refuses everything remote at the next refresh, A is unaffected', async () => {
    await bao.api('POST', 'auth/approle/role/agent-b/secret-id/destroy', { secret_id: ids.b!.secretId });
    await waitForList(b.home, (c) => !c.some((x) => x.source === 'team'), STATED_MS);
    const rb = await b.fill('shop', server.url('shop.example.test', '/plain'));
    expect(rb.code).not.toBe(0);
    expect(rb.stderr).toMatch(/^error REMOTE_UNAVAILABLE/);
    const sync = await b.home.run(['remote', 'sync', 'team']);
    expect(sync.stderr).toMatch(/^error DENIED/);
    reset();
    const ra = await a.fill('shop', server.url('shop.example.test', '/plain'));
    expect(ra.code, ra.stderr).toBe(0);
  });

  it('lock zeroes the remote credentials; unlock fetches them again with the sealed secret-id', async () => {
    expect((await a.home.run(['lock'])).code).toBe(0);
    const locked = await a.home.run(['fill', 'bank']);
    expect(locked.stderr).toMatch(/^error VAULT_LOCKED/);
    expect((await a.home.run(['unlock', '--passphrase-stdin'], 'correct horse battery staple')).code).toBe(0);
    await waitForList(a.home, (c) => c.some((x) => x.label === 'bank' && x.source === 'team'), STATED_MS);
  });

  it('canary: the secrets and secret-ids are nowhere in agent output, blindfill logs, argv or OpenBao’s audit log', async () => {
    stopSampling();
    const lines = (await cmdlines[0]!).join('\n');
    const secrets = [password, shopPassword, ids.a!.secretId, ids.b!.secretId, ids.admin!.secretId];
    assertNoSecret(lines, secrets, 'command lines');
    for (const m of [a, b]) {
      assertNoSecret(m.outputs.join('\n'), secrets, 'agent output');
      assertNoSecret(m.home.readLogs(), secrets, 'blindfill home (logs, audit, sealed remotes)');
    }
    assertNoSecret(admin.readLogs(), secrets, 'admin home');
    const audit = fs.readFileSync(bao.auditFiles[0]!, 'utf8');
    expect(audit).toMatch(/auth\/approle\/login/);
    expect(audit).toMatch(/team\/data\/apps\/bank/);
    assertNoSecret(audit, secrets, 'OpenBao audit log');
  });
});
