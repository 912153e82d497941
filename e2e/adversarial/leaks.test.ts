/**
 * Issue #7 "Leaks": one canary password and TOTP seed pushed through every tool, on its
 * success and its error paths — MCP (list, fill, fill_totp, type), the CLI (fill, type,
 * list, add errors) — and then looked for, in every encoding, in: the MCP transcript,
 * CLI output, the daemon/host logs, the audit log, every process's argv sampled the whole
 * time, and the extension's console (service worker and page).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTotp, totpCodesAround } from '../../shared/totp.js';
import { type Stack, startStack } from '../browser/setup.js';
import { killDialogs, openFocused, XSession } from '../desktop/xwin.js';
import { makeCanary, namedEncodings } from '../harness/canary.js';
import { startXvfb, type Xvfb } from '../harness/display.js';
import { sampleCmdlines } from '../harness/procs.js';
import { type McpSession, startMcp } from '../mcp/mcp-client.js';

let x: Xvfb;
let xs: XSession;
let s: Stack;
let agent: McpSession;
const console: string[] = [];
const username = 'leak-user';
const password = makeCanary({ charset: 'safe' });
const seed = 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43UOV3HO6DZPIZDGNBV';

beforeAll(async () => {
  x = await startXvfb();
  xs = await XSession.open(x.display);
  s = await startStack({ homeEnv: { DISPLAY: x.display, BLINDFILL_RATE_PER_MINUTE: '1000' } });
  s.browser.serviceWorker?.on('console', (m) => console.push(`sw: ${m.text()}`));
  s.browser.context.on('console', (m) => console.push(`page: ${m.text()}`));
  const o = s.server.origin('bank.test');
  const r = await s.home.run(['add', '--json-stdin'], JSON.stringify([
    { label: 'leak', username, password, totp: seed, origins: [o], windows: ['Leak VPN'], sequence: '{USERNAME}{TAB}{PASSWORD}{ENTER}' },
  ]));
  expect(r.code).toBe(0);
  s.server.setAccount('*', { username, password, totp: { secret: seed } });
  agent = await startMcp(s.home.env);
});
afterAll(async () => {
  await killDialogs();
  await agent?.close();
  await s?.close();
  await xs?.close();
  await x?.stop();
});

describe('a canary through every tool', () => {
  it('success and error paths leave no trace of it anywhere', async () => {
    const outputs: string[] = [];
    const cli = async (args: string[], stdin?: string) => {
      const r = await s.home.run(args, stdin);
      outputs.push(r.stdout, r.stderr);
      return r;
    };
    const work = (async () => {
      // MCP, success paths.
      expect((await agent.call('list_credentials', {})).isError).toBe(false);
      await s.page.goto(s.server.url('bank.test', '/plain'));
      expect((await agent.call('fill_credential', { label: 'leak', submit: true })).structured).toMatchObject({ ok: true });
      await s.page.waitForURL(/\/otp/);
      expect((await agent.call('fill_totp', { label: 'leak', submit: true })).structured).toMatchObject({ ok: true });
      await s.server.waitForLogin('bank.test', { predicate: (l) => l.ok && l.complete });
      const d = await openFocused(xs, x.display, ['--password', '--username'], 'Leak VPN');
      expect((await agent.call('type_credential', { label: 'leak' })).structured).toMatchObject({ ok: true, window: 'Leak VPN' });
      const typed = await d.dialog.done;
      expect(typed.stdout.trim()).toBe(`${username}|${password}`);

      // MCP, error paths.
      await s.page.goto(s.server.url('evil.test', '/plain'));
      expect((await agent.call('fill_credential', { label: 'leak' })).structured).toMatchObject({ code: 'ORIGIN_MISMATCH' });
      await s.page.goto(s.server.url('bank.test', '/nothing'));
      expect((await agent.call('fill_credential', { label: 'leak' })).structured).toMatchObject({ code: 'NO_FILLABLE_FIELD' });
      expect((await agent.call('fill_totp', { label: 'leak' })).structured).toMatchObject({ code: 'NO_FILLABLE_FIELD' });
      expect((await agent.call('type_credential', { label: 'leak' })).structured).toMatchObject({ ok: false });
      expect((await agent.call('fill_credential', { label: 'nope' })).structured).toMatchObject({ code: 'UNKNOWN_LABEL' });

      // CLI, success and error paths.
      await s.page.goto(s.server.url('bank.test', '/plain'));
      expect((await cli(['fill', 'leak'])).code).toBe(0);
      await cli(['fill', 'leak', '--totp']);
      const d2 = await openFocused(xs, x.display, ['--password', '--username'], 'Leak VPN');
      expect((await cli(['type', 'leak'])).code).toBe(0);
      await d2.dialog.done;
      await cli(['type', 'leak']); // no matching window now
      await cli(['list', '--json']);
      await cli(['add', '--json-stdin'], JSON.stringify({ label: 'leak', password })); // duplicate
      await cli(['add', '--json-stdin'], JSON.stringify({ label: 'other', password, totp: seed, nonsense: password })); // invalid
      await cli(['audit', 'verify']);
    })();
    const argv = await sampleCmdlines(work);
    await work;

    const p = parseTotp(seed);
    if (!p.ok) throw new Error('seed');
    const codes = totpCodesAround(p.value, Date.now(), 4);
    const places: Array<[string, string]> = [
      ['MCP transcript', agent.transcript.join('\n')],
      ['MCP server stderr', agent.stderr()],
      ['CLI output', outputs.join('\n')],
      ['daemon log, host log, audit log', s.home.readLogs()],
      ['process argv', argv.join('\n')],
      ['extension console', console.join('\n')],
    ];
    expect(agent.transcript.length).toBeGreaterThanOrEqual(20);
    expect(argv.length).toBeGreaterThan(5);
    for (const [where, text] of places) {
      for (const secret of [password, seed]) {
        for (const e of namedEncodings(secret)) expect(text.includes(e.value), `${where}: ${e.form}`).toBe(false);
      }
      if (where !== 'process argv') {
        for (const code of codes) expect(new RegExp(`(?<!\\d)${code}(?!\\d)`).test(text), `${where}: a one-time code`).toBe(false);
      }
    }
  }, 120_000);
});
