/**
 * Account flows through MCP in real Firefox (firefox-esr, the built add-on, real host and
 * daemon): sign up, sign out, log in, change the password, log in again, deciding only by
 * outcomes, the fixture server confirming each step; a rejected sign-up stays pending. The
 * site's passwords appear in no MCP message and no file blindfill wrote. (Chromium, with
 * kill -9 mid-flow: e2e/mcp/mcp-account.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoSecret } from '../harness/canary.js';
import { type McpSession, startMcp } from '../mcp/mcp-client.js';
import { type FirefoxStack, startFirefoxStack } from './setup.js';

let s: FirefoxStack;
let agent: McpSession;
const host = 'shop.example.test';
const user = 'carol@example.com';

beforeAll(async () => {
  s = await startFirefoxStack();
  agent = await startMcp(s.home.env);
});
afterAll(async () => {
  await agent?.close();
  await s?.close();
});

const go = async (path: string): Promise<void> => {
  await s.page.goto(s.server.url(host, path));
};
const site = () => s.server.accountSite;
const since = () => site().events().length;
const next = (from: number, step: 'signup' | 'login' | 'change') => site().waitFor((e) => e.step === step && site().events().indexOf(e) >= from);

describe('account flows through MCP, in Firefox', () => {
  it('sign up, sign out, log in, change the password, log in again', async () => {
    await go('/account/signup');
    let at = since();
    const created = await agent.call('create_credential', { label: 'ff-shop', username: user, submit: true });
    expect(created.structured).toMatchObject({ ok: true, origin: s.server.origin(host), filled: ['username', 'password'], submitted: true, outcome: 'signed_in' });
    expect(await next(at, 'signup')).toMatchObject({ ok: true, user });

    await go('/account/signout');
    at = since();
    expect((await agent.call('fill_credential', { label: 'ff-shop', submit: true })).structured).toMatchObject({ ok: true, outcome: 'signed_in' });
    expect(await next(at, 'login')).toMatchObject({ ok: true, user });

    await go(`/account/change?user=${encodeURIComponent(user)}`);
    at = since();
    const changed = await agent.call('change_password', { label: 'ff-shop', submit: true });
    expect(changed.structured).toMatchObject({ ok: true, filled: ['password', 'new_password'], outcome: 'signed_in' });
    expect(await next(at, 'change')).toMatchObject({ ok: true, user });

    await go('/account/signout');
    at = since();
    expect((await agent.call('fill_credential', { label: 'ff-shop', submit: true })).structured).toMatchObject({ ok: true, outcome: 'signed_in' });
    expect(await next(at, 'login')).toMatchObject({ ok: true, user });
  });

  it('a rejected sign-up stays pending and is not offered to the agent', async () => {
    await go('/account/signup');
    const at = since();
    const r = await agent.call('create_credential', { label: 'ff-dup', username: user, submit: true });
    expect(r.structured).toMatchObject({ ok: true, outcome: 'rejected' });
    expect(await next(at, 'signup')).toMatchObject({ ok: false, reason: 'taken' });
    const owner = JSON.parse((await s.home.run(['list', '--json'])).stdout) as { credentials: Array<{ label: string; pending?: string }> };
    expect(owner.credentials.find((c) => c.label === 'ff-dup')?.pending).toBe('created');
    const seen = (await agent.call('list_credentials', {})).structured.credentials as Array<{ label: string }>;
    expect(seen.map((c) => c.label)).not.toContain('ff-dup');
  });

  it('no password of the site in the transcript or in blindfill files', () => {
    const secrets = site().seenPasswords();
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    assertNoSecret(agent.transcript.join('\n'), secrets, 'the MCP transcript');
    assertNoSecret(s.home.readLogs(), secrets, 'the files blindfill wrote');
  });
});
