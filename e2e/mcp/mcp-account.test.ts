/**
 * Account flows through MCP (CONTRACT §7), in real Chromium with the real extension, host
 * and daemon. An agent script signs up on a fixture site, signs out, logs in with the new
 * credential, changes its password and logs in again, deciding only by the tools' outcomes
 * (no page reads); the site's server confirms each step. A sign-up the site rejects stays
 * pending (owner-visible, never offered to agents). kill -9 of the daemon between the fill
 * and the outcome loses neither password (checked through the owner CLI after restart and
 * by a login that the server accepts). The generated passwords, which only the fixture
 * server knows, never appear in the MCP transcript, the MCP server's stderr, or any file
 * blindfill writes (audit log included).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../browser/setup.js';
import { PASS } from '../core/cli.js';
import { waitForBrowser } from '../harness/browser-stack.js';
import { assertNoSecret } from '../harness/canary.js';
import { type McpSession, startMcp } from './mcp-client.js';

let s: Stack;
let agent: McpSession;
const host = 'shop.example.test';
const user = 'alice@example.com';

beforeAll(async () => {
  s = await startStack();
  agent = await startMcp(s.home.env);
});
afterAll(async () => {
  await agent?.close();
  await s?.close();
});

const go = async (path: string): Promise<void> => {
  await s.page.goto(s.server.url(host, path));
};
const owner = async (args: string[], stdin?: string): Promise<string> => {
  const r = await s.home.run(args, stdin);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
};
const versions = async (label: string) => JSON.parse(await owner(['versions', label, '--json'])) as { pending?: string; versions: { current: boolean; new: boolean; previous: boolean } };
const listed = async () => (JSON.parse(await owner(['list', '--json'])) as { credentials: Array<{ label: string; pending?: string; has_password: boolean; origins: string[] }> }).credentials;
const site = () => s.server.accountSite;

describe('an agent signs up, signs in, rotates the password and signs in again', () => {
  it('each step decided by the outcome alone, each confirmed by the server', async () => {
    await go('/account/signup');
    const created = await agent.call('create_credential', { label: 'shop-new', username: user, submit: true });
    expect(created.structured).toMatchObject({ ok: true, label: 'shop-new', origin: s.server.origin(host), submitted: true, outcome: 'signed_in' });
    expect(created.structured.filled).toEqual(['username', 'password']);
    await site().waitFor((e) => e.step === 'signup' && e.ok && e.user === user);
    const afterSignup = (await listed()).find((c) => c.label === 'shop-new');
    expect(afterSignup).toMatchObject({ has_password: true, origins: [s.server.origin(host)] });
    expect(afterSignup?.pending).toBeUndefined();

    await go('/account/signout');
    const login = await agent.call('fill_credential', { label: 'shop-new', submit: true });
    expect(login.structured).toMatchObject({ ok: true, submitted: true, outcome: 'signed_in' });
    await site().waitFor((e) => e.step === 'login' && e.ok && e.user === user);

    const firstPassword = site().passwordOf(host, user);
    await go(`/account/change?user=${encodeURIComponent(user)}`);
    const changed = await agent.call('change_password', { label: 'shop-new', submit: true });
    expect(changed.structured).toMatchObject({ ok: true, submitted: true, outcome: 'signed_in' });
    expect(changed.structured.filled).toEqual(['password', 'new_password']);
    await site().waitFor((e) => e.step === 'change' && e.ok && e.user === user);
    expect(site().passwordOf(host, user)).not.toBe(firstPassword);
    // Promoted; the previous one kept until the owner confirms.
    expect(await versions('shop-new')).toEqual({ label: 'shop-new', versions: { current: true, new: false, previous: true } });

    await go('/account/signout');
    const since = site().events().length;
    const again = await agent.call('fill_credential', { label: 'shop-new', submit: true });
    expect(again.structured).toMatchObject({ ok: true, outcome: 'signed_in' });
    const e = await site().waitFor((x) => x.step === 'login' && x.user === user && site().events().indexOf(x) >= since);
    expect(e.ok).toBe(true);

    await owner(['confirm-password', 'shop-new']);
    expect((await versions('shop-new')).versions).toEqual({ current: true, new: false, previous: false });
  });

  it('a sign-up the site rejects stays pending: the owner sees it, agents do not', async () => {
    await go('/account/signup');
    const r = await agent.call('create_credential', { label: 'shop-dup', username: user, submit: true });
    expect(r.structured).toMatchObject({ ok: true, submitted: true, outcome: 'rejected' });
    await site().waitFor((e) => e.step === 'signup' && !e.ok && e.reason === 'taken');
    expect((await listed()).find((c) => c.label === 'shop-dup')).toMatchObject({ pending: 'created', has_password: true });
    const seen = await agent.call('list_credentials', {});
    expect((seen.structured.credentials as Array<{ label: string }>).map((c) => c.label)).not.toContain('shop-dup');
    await go('/account/login');
    expect((await agent.call('fill_credential', { label: 'shop-dup' })).structured).toMatchObject({ ok: false, code: 'UNKNOWN_LABEL' });
    await owner(['remove', 'shop-dup']);
  });

  it('a change on a page with no change form is refused and stores nothing', async () => {
    await go('/account/login');
    const r = await agent.call('change_password', { label: 'shop-new' });
    expect(r.structured).toMatchObject({ ok: false, code: 'NO_FILLABLE_FIELD' });
    expect((await versions('shop-new')).versions).toEqual({ current: true, new: false, previous: false });
  });
});

describe('kill -9 of the daemon between the fill and the outcome loses nothing', () => {
  const restart = async (): Promise<void> => {
    await owner(['unlock', '--passphrase-stdin'], PASS);
    await waitForBrowser(s.home, () => true, 150, 'the extension never reconnected to the restarted daemon');
  };
  const killDaemon = (): void => {
    const pid = s.home.daemonPid();
    expect(pid).not.toBeNull();
    process.kill(pid!, 'SIGKILL');
  };

  it('during a password change: both passwords survive; the new one signs in once kept', async () => {
    await go(`/account/change?user=${encodeURIComponent(user)}&slow=15000`);
    const since = site().events().length;
    const call = agent.call('change_password', { label: 'shop-new', submit: true });
    const change = await site().waitFor((e) => e.step === 'change' && site().events().indexOf(e) >= since);
    expect(change.ok).toBe(true);
    killDaemon();
    const r = await call;
    expect(r.structured.ok).toBe(false);
    await restart();
    // The old password is still current, the new one held beside it.
    expect(await versions('shop-new')).toEqual({ label: 'shop-new', pending: 'new_password', versions: { current: true, new: true, previous: false } });
    expect((await listed()).find((c) => c.label === 'shop-new')?.pending).toBe('new_password');
    // The site took the new one: the owner keeps it, and the agent signs in with it.
    await owner(['confirm-password', 'shop-new', '--keep', 'new']);
    await go('/account/login');
    const before = site().events().length;
    const login = await agent.call('fill_credential', { label: 'shop-new', submit: true });
    expect(login.structured).toMatchObject({ ok: true, outcome: 'signed_in' });
    expect((await site().waitFor((e) => e.step === 'login' && site().events().indexOf(e) >= before)).ok).toBe(true);
  }, 90_000);

  it('during a sign-up: the credential survives as pending, and signs in once confirmed', async () => {
    const bob = 'bob@example.com';
    await go('/account/signup?slow=15000');
    const call = agent.call('create_credential', { label: 'shop-bob', username: bob, submit: true });
    await site().waitFor((e) => e.step === 'signup' && e.user === bob && e.ok);
    killDaemon();
    expect((await call).structured.ok).toBe(false);
    await restart();
    expect((await listed()).find((c) => c.label === 'shop-bob')).toMatchObject({ pending: 'created', has_password: true });
    await owner(['confirm-password', 'shop-bob']);
    await go('/account/login');
    const before = site().events().length;
    const login = await agent.call('fill_credential', { label: 'shop-bob', submit: true });
    expect(login.structured).toMatchObject({ ok: true, outcome: 'signed_in' });
    const e = await site().waitFor((x) => x.step === 'login' && site().events().indexOf(x) >= before);
    expect(e).toMatchObject({ ok: true, user: bob });
  }, 90_000);
});

describe('the generated passwords', () => {
  it('never appear in MCP results, the MCP server stderr, logs or the audit log', async () => {
    const secrets = site().seenPasswords();
    expect(secrets.length).toBeGreaterThanOrEqual(4);
    for (const p of secrets) expect(p.length).toBeGreaterThanOrEqual(12);
    assertNoSecret(agent.transcript.join('\n'), secrets, 'the MCP transcript');
    assertNoSecret(agent.stderr(), secrets, 'the MCP server stderr');
    assertNoSecret(s.home.readLogs(), secrets, 'the files blindfill wrote (audit log, logs)');
    assertNoSecret(s.outputs.join('\n'), secrets, 'CLI outputs');
    expect((await s.home.run(['audit', 'verify'])).code).toBe(0);
  });
});
