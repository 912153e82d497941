/**
 * The capable agent: code that runs as the same OS user, or as a separate agent user, and
 * tries to get a value out of the daemon. Real daemon, real extension in real Chromium,
 * real native host; a real second OS user (made here; CI runs as root).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePaths } from '../../native-host/paths.js';
import { BIN, ROOT } from '../core/cli.js';
import { addCredentials, resetServer } from '../harness/browser-stack.js';
import { assertNoSecret, makeCanary } from '../harness/canary.js';
import { launchChromium } from '../harness/browser.js';
import { launchOwnerChromium, type Stack, startStack } from '../browser/setup.js';

const password = makeCanary();
const username = 'alice@bank.test';
const AGENT = 'bfagent';
let s: Stack;
/** Another Chromium of the owner's, with the extension and the native host registered. */
const ownerChromium = () => launchOwnerChromium(s.server, s.home);
/** Everything any agent-side process received, checked for the canary at the end. */
const seen: string[] = [];

beforeAll(async () => {
  s = await startStack({ homeEnv: { BLINDFILL_BROWSER_WAIT_MS: '1500' } });
  await addCredentials(s.home, [{ label: 'bank', username, password, origins: [s.server.origin('bank.test')] }]);
  s.server.setAccount('*', { username, password });
}, 120_000);
afterAll(async () => {
  for (const [i, text] of seen.entries()) assertNoSecret(text, [password], `agent-side output #${i}`);
  await s?.close();
});

describe('same-user agent', () => {
  it('a process on the socket that says browser_hello is refused and is never sent a value', async () => {
    const sock = net.createConnection(resolvePaths(s.home.env).socket);
    let got = '';
    sock.on('data', (d) => (got += d.toString('utf8')));
    await new Promise<void>((r) => sock.once('connect', () => r()));
    sock.write(`${JSON.stringify({ t: 'req', id: 1, caller: 'extension', op: 'browser_hello', browser: 'chromium', extension_id: 'cgmiligeknjljkoiajbjoapjihdgbodc', pid: process.pid })}\n`);
    for (let i = 0; i < 100 && !got.includes('\n'); i++) await new Promise((r) => setTimeout(r, 30));
    expect(JSON.parse(got.split('\n')[0]!)).toMatchObject({ ok: false, code: 'UNTRUSTED_CALLER' });
    // The real browser still gets the fill; the impostor gets nothing at all.
    resetServer(s, { username, password });
    await s.page.goto(s.server.url('bank.test', '/plain'));
    const r = await s.fill('bank');
    expect(r.code).toBe(0);
    await new Promise((r2) => setTimeout(r2, 300));
    seen.push(got);
    expect(got).not.toContain('browser_call');
    sock.destroy();
    const audit = fs.readFileSync(path.join(s.home.dir, 'audit.log'), 'utf8');
    expect(audit).toContain('UNTRUSTED_CALLER');
    // The fill's audit entry names the verified browser, not a self-declared caller.
    expect(audit).toMatch(/"event":"fill".*"via":"chromium pid \d+ host \d+ /);
  });

  it('the native host started by hand (not by a browser) is refused and receives no value', async () => {
    const launcher = path.join(s.home.dir, 'host', 'chromium-native-host');
    const host = spawn(launcher, ['chrome-extension://cgmiligeknjljkoiajbjoapjihdgbodc/'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    host.stdout.on('data', (d: Buffer) => out.push(d));
    const log = path.join(s.home.dir, 'host.log');
    for (let i = 0; i < 200; i++) {
      if (fs.existsSync(log) && fs.readFileSync(log, 'utf8').includes(`blindfill-host[${host.pid}] daemon refused hello: UNTRUSTED_CALLER`)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(fs.readFileSync(log, 'utf8')).toContain(`blindfill-host[${host.pid}] daemon refused hello: UNTRUSTED_CALLER`);
    resetServer(s, { username, password });
    await s.page.goto(s.server.url('bank.test', '/plain'));
    expect((await s.fill('bank')).code).toBe(0);
    host.kill();
    const frames = Buffer.concat(out).toString('latin1');
    seen.push(frames);
    expect(frames).not.toContain('"req"');
  });
});

describe('two browsers', () => {
  it('a fill with two browsers and no binding refuses (AMBIGUOUS_BROWSER) and fills neither; --browser-profile picks one', async () => {
    const second = await ownerChromium();
    try {
      for (let i = 0; i < 100; i++) {
        const st = JSON.parse((await s.home.run(['status', '--json'])).stdout) as { browsers: unknown[] };
        if (st.browsers.length === 2) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const st = JSON.parse((await s.home.run(['status', '--json'])).stdout) as { browsers: Array<{ profile?: string; pid?: number }> };
      expect(st.browsers).toHaveLength(2);
      expect(new Set(st.browsers.map((b) => b.profile)).size).toBe(2);
      await s.page.goto(s.server.url('bank.test', '/plain'));
      await second.page.goto(s.server.url('bank.test', '/plain'));
      const r = await s.fill('bank');
      expect(r.stderr).toMatch(/^error AMBIGUOUS_BROWSER:/);
      for (const p of [s.page, second.page]) expect(await p.locator('input[type=password]').inputValue()).toBe('');
      const named = await s.home.run(['fill', 'bank', '--json', '--browser-profile', second.userDataDir]);
      seen.push(named.stdout, named.stderr);
      expect(named.code).toBe(0);
      expect(await second.page.locator('input[type=password]').inputValue()).toBe(password);
      expect(await s.page.locator('input[type=password]').inputValue()).toBe('');
    } finally {
      await second.close();
    }
  }, 90_000);

  it('a fill asked for right as a browser starts waits for it to connect', async () => {
    await s.browser.close();
    const started = Date.now();
    const again = await ownerChromium();
    try {
      await again.page.goto(s.server.url('bank.test', '/plain'));
      const r = await s.fill('bank');
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(r.code).toBe(0);
      expect(await again.page.locator('input[type=password]').inputValue()).toBe(password);
    } finally {
      await again.close();
    }
  }, 60_000);
});

describe('the agent as a separate OS user', () => {
  const asAgent = (args: string[], stdin?: string) => {
    const r = spawnSync('setpriv', ['--reuid', AGENT, '--regid', AGENT, '--clear-groups', 'env', '-i', 'PATH=/usr/bin:/bin', 'HOME=/tmp', process.execPath, BIN, ...args], {
      encoding: 'utf8',
      input: stdin ?? '',
      timeout: 30_000,
    });
    seen.push(r.stdout, r.stderr);
    return r;
  };

  it('may list and fill through the agent socket, and nothing else', async () => {
    expect(process.getuid?.()).toBe(0); // CI runs as root: it makes the agent user
    if (spawnSync('id', [AGENT]).status !== 0) execFileSync('useradd', ['-M', '-s', '/usr/sbin/nologin', AGENT]);
    await s.browser.close(); // the owner's one browser for this test is the one below (close is idempotent)
    const browser = await ownerChromium();
    try {
      const mode = async () => {
        const d = JSON.parse((await s.home.run(['doctor', '--json'])).stdout) as { checks: Array<{ id: string; status: string; message: string }> };
        return d.checks.find((c) => c.id === 'containment');
      };
      expect(await mode()).toMatchObject({ status: 'ok', message: expect.stringMatching(/^same-user mode/) });
      const allowed = await s.home.run(['agent', 'allow', '--user', AGENT]);
      expect(await mode()).toMatchObject({ status: 'ok', message: expect.stringContaining(`separate-user mode: ${AGENT}`) });
      expect(allowed.code).toBe(0);
      const sockPath = allowed.stdout.trim();
      expect(JSON.parse((await s.home.run(['agent', 'list', '--json'])).stdout)).toMatchObject({ agents: [{ user: AGENT }] });

      const list = asAgent(['list', '--json', '--socket', sockPath]);
      expect(list.status).toBe(0);
      expect(JSON.parse(list.stdout).credentials.map((c: { label: string }) => c.label)).toEqual(['bank']);

      resetServer(s, { username, password });
      await browser.page.goto(s.server.url('bank.test', '/plain'));
      const filled = asAgent(['fill', 'bank', '--submit', '--json', '--socket', sockPath]);
      expect(filled.status, filled.stderr).toBe(0);
      expect(JSON.parse(filled.stdout)).toMatchObject({ ok: true, label: 'bank', filled: ['username', 'password'] });
      for (let i = 0; i < 100 && !s.server.logins('bank.test').some((l) => l.user === username); i++) await new Promise((r) => setTimeout(r, 50));
      expect(s.server.logins('bank.test').some((l) => l.user === username)).toBe(true);

      for (const args of [['remove', 'bank'], ['lock'], ['add', '--json-stdin'], ['agent', 'allow', '--user', 'root'], ['audit', 'verify']]) {
        const r = asAgent([...args, '--socket', sockPath], args[0] === 'add' ? JSON.stringify({ label: 'x', password: 'y' }) : undefined);
        expect(r.status, args.join(' ')).not.toBe(0);
        expect(r.stderr, args.join(' ')).toMatch(/^error UNTRUSTED_CALLER:/m);
      }
      // Files: the vault, the owner's socket and the browser profile are out of reach.
      for (const p of [path.join(s.home.dir, 'vault.bfv'), resolvePaths(s.home.env).socket, path.join(browser.userDataDir, 'Default')]) {
        const r = spawnSync('setpriv', ['--reuid', AGENT, '--regid', AGENT, '--clear-groups', 'ls', p], { encoding: 'utf8' });
        expect(r.status, p).not.toBe(0);
      }
      // Nothing lost.
      expect(JSON.parse((await s.home.run(['list', '--json'])).stdout).credentials).toHaveLength(1);

      expect((await s.home.run(['agent', 'revoke', '--user', AGENT])).code).toBe(0);
      expect(asAgent(['list', '--json', '--socket', sockPath]).status).not.toBe(0);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
