/**
 * `blindfill doctor` through the real CLI and daemon in a temporary HOME: a healthy setup
 * passes; each broken thing is reported with the right status and fix; --fix repairs
 * permissions and a broken host registration; --json's shape.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertNoSecret, makeCanary } from '../harness/canary.js';
import { type Home, initVault, type RunResult } from '../core/cli.js';
import { makeUserHome, removeUserHome } from './user-home.js';

interface Report {
  ok: boolean;
  checks: { id: string; title: string; status: 'ok' | 'warn' | 'fail' | 'skip'; message: string; fix?: string; fixed?: string }[];
  summary: { ok: number; warn: number; fail: number; skip: number };
}

let home: Home;
let user: string;
let emptyPath: string;

beforeEach(() => {
  ({ home, user, emptyPath } = makeUserHome());
});
afterEach(() => removeUserHome({ home, user, emptyPath }));

const run = (args: string[], stdin?: string): Promise<RunResult> => home.run(args, stdin, { HOME: user, PATH: emptyPath });

async function doctor(...extra: string[]): Promise<{ r: RunResult; report: Report; check: (id: string) => Report['checks'][number] }> {
  const r = await run(['doctor', '--json', ...extra]);
  const report = JSON.parse(r.stdout) as Report;
  const check = (id: string) => {
    const c = report.checks.find((x) => x.id === id);
    if (!c) throw new Error(`no check ${id} in ${report.checks.map((x) => x.id).join(',')}`);
    return c;
  };
  return { r, report, check };
}

const pw = [makeCanary(), makeCanary(), makeCanary()];

async function healthy(): Promise<string> {
  await initVault(home);
  const add = await run(['add', '--json-stdin'], JSON.stringify([
    { label: 'github', username: 'a', password: pw[0], origins: ['https://github.com'] },
    { label: 'vpn', username: 'b', password: pw[1], windows: ['Acme VPN'] },
  ]));
  expect(add.code).toBe(0);
  const i = await run(['host', 'install', '--browser', 'chromium']);
  expect(i.code).toBe(0);
  return i.stdout.trim();
}

describe('doctor', () => {
  it('a healthy setup passes (text and --json), warning only that no extension is connected', async () => {
    await healthy();
    const text = await run(['doctor']);
    expect(text.code).toBe(0);
    expect(text.stderr).toBe('');
    expect(text.stdout).toMatch(/^doctor: \d+ ok, 1 warning, 0 failing, 0 skipped$/m);
    expect(text.stdout).toMatch(/^warn {2}extension +no browser extension is connected right now$/m);

    const { r, report, check } = await doctor();
    expect(r.code).toBe(0);
    expect(report.ok).toBe(true);
    expect(Object.keys(report).sort()).toEqual(['checks', 'ok', 'summary']);
    for (const c of report.checks) {
      expect(Object.keys(c).every((k) => ['id', 'title', 'status', 'message', 'fix', 'fixed'].includes(k))).toBe(true);
      expect(['ok', 'warn', 'fail', 'skip']).toContain(c.status);
    }
    expect(report.summary).toEqual({ ok: report.checks.length - 1, warn: 1, fail: 0, skip: 0 });
    for (const id of ['node', 'home', 'run', 'files', 'host:chromium', 'daemon', 'vault', 'keychain', 'audit', 'nowhere', 'http', 'reused']) expect(check(id).status).toBe('ok');
    expect(check('host:chromium').message).toMatch(/refuses foreign callers/);
    expect(check('extension')).toMatchObject({ status: 'warn', fix: expect.stringMatching(/Load unpacked/) });
    assertNoSecret(text.stdout + r.stdout + home.readLogs(), pw, 'doctor output');
  });

  it('no vault yet: fails with the command to run', async () => {
    const { r, check } = await doctor();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error VAULT_ABSENT: doctor: 1 failing check: home\n$/);
    expect(check('home')).toMatchObject({ status: 'fail', fix: expect.stringMatching(/^blindfill init/) });
  });

  it('a 0755 home and a 0644 log are failures; --fix chmods them (ours, not symlinks) and says so', async () => {
    await healthy();
    fs.chmodSync(home.dir, 0o755);
    fs.chmodSync(path.join(home.dir, 'audit.log'), 0o644);
    const { r, check } = await doctor();
    expect(r.code).toBe(1);
    // The client also refuses a socket under a home others can enter, so the daemon check fails too.
    expect(r.stderr).toBe('error INSECURE_PERMISSIONS: doctor: 3 failing checks: home, files, daemon\n');
    expect(check('daemon')).toMatchObject({ status: 'fail', message: expect.stringContaining('INSECURE_PERMISSIONS') });
    expect(check('home')).toMatchObject({ status: 'fail', message: `${home.dir} has mode 0755: others can list or enter it`, fix: `chmod 700 ${home.dir}   (blindfill doctor --fix does this)` });
    expect(check('files')).toMatchObject({ status: 'fail', message: 'readable by others: audit.log (0644)' });

    const fixed = await run(['doctor', '--fix']);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain(`fixed: chmod 700 ${home.dir} (was 0755)`);
    expect(fixed.stdout).toContain(`fixed: chmod 600 ${path.join(home.dir, 'audit.log')} (was 0644)`);
    expect(fs.statSync(home.dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(home.dir, 'audit.log')).mode & 0o777).toBe(0o600);
    expect((await doctor()).r.code).toBe(0);
  });

  it('a symlinked log file is reported and left alone by --fix', async () => {
    await healthy();
    const elsewhere = path.join(user, 'elsewhere.json');
    fs.writeFileSync(elsewhere, '{}', { mode: 0o644 });
    fs.symlinkSync(elsewhere, path.join(home.dir, 'settings.json'));
    const { r, check } = await doctor('--fix');
    expect(r.code).toBe(1);
    expect(check('files')).toMatchObject({ status: 'fail', message: 'settings.json is a symbolic link' });
    expect(fs.lstatSync(path.join(home.dir, 'settings.json')).isSymbolicLink()).toBe(true);
    expect(fs.statSync(elsewhere).mode & 0o777).toBe(0o644);
  });

  it('a manifest host install wrote and someone deleted fails; --fix reinstalls it', async () => {
    const manifest = await healthy();
    const before = fs.readFileSync(manifest, 'utf8');
    fs.rmSync(manifest);
    const { r, check } = await doctor();
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error NO_BROWSER: doctor: 1 failing check: host:chromium\n');
    expect(check('host:chromium')).toMatchObject({
      status: 'fail',
      message: `the host manifest blindfill host install wrote is gone (${manifest}): the browser cannot start blindfill`,
      fix: 'blindfill host install --browser chromium   (blindfill doctor --fix does this)',
    });
    const fixed = await doctor('--fix');
    expect(fixed.r.code).toBe(0);
    expect(fixed.check('host:chromium')).toMatchObject({ status: 'ok', fixed: `reinstalled ${manifest}` });
    expect(fs.readFileSync(manifest, 'utf8')).toBe(before);
  });

  it('a browser that was never registered is a warning with the install command', async () => {
    const manifest = await healthy();
    expect((await run(['host', 'uninstall', '--browser', 'chromium'])).code).toBe(0);
    fs.mkdirSync(path.dirname(manifest), { recursive: true });
    const { r, check } = await doctor();
    expect(r.code).toBe(0);
    expect(check('host:chromium')).toMatchObject({ status: 'warn', fix: 'blindfill host install --browser chromium' });
  });

  it('a foreign extension ID in allowed_origins fails; --fix keeps only ours and the ones host install recorded', async () => {
    await initVault(home);
    const mine = 'abcdefghijklmnopabcdefghijklmnop';
    const foreign = 'ponmlkjihgfedcbaponmlkjihgfedcba';
    const i = await run(['host', 'install', '--browser', 'chromium', '--extension-id', mine]);
    expect(i.code).toBe(0);
    const manifest = i.stdout.trim();
    const m = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { allowed_origins: string[] };
    const ours = m.allowed_origins;
    expect(ours).toEqual([expect.stringMatching(/^chrome-extension:\/\/[a-p]{32}\/$/), `chrome-extension://${mine}/`]);
    fs.writeFileSync(manifest, JSON.stringify({ ...m, allowed_origins: [...ours, `chrome-extension://${foreign}/`] }));

    const { r, check } = await doctor();
    expect(r.code).toBe(1);
    expect(check('host:chromium')).toMatchObject({
      status: 'fail',
      message: `${manifest} also lets chrome-extension://${foreign}/ start the host, which blindfill host install did not record`,
    });
    const fixed = await doctor('--fix');
    expect(fixed.r.code).toBe(0);
    expect(fixed.check('host:chromium')).toMatchObject({ status: 'ok', fixed: `reinstalled ${manifest}` });
    expect((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { allowed_origins: string[] }).allowed_origins).toEqual(ours);
  });

  it('a broken manifest that also names a foreign ID: --fix repairs it without the foreign ID', async () => {
    const manifest = await healthy();
    const m = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { allowed_origins: string[]; path: string };
    const foreign = 'ponmlkjihgfedcbaponmlkjihgfedcba';
    fs.writeFileSync(manifest, JSON.stringify({ ...m, path: '/nonexistent/launcher', allowed_origins: [...m.allowed_origins, `chrome-extension://${foreign}/`] }));
    const fixed = await doctor('--fix');
    expect(fixed.r.code).toBe(0);
    const after = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { allowed_origins: string[]; path: string };
    expect(after.allowed_origins).toEqual(m.allowed_origins);
    expect(after.path).toBe(m.path);
  });

  it('a launcher pointing at a missing program fails; --fix reinstalls it', async () => {
    await healthy();
    const launcher = path.join(home.dir, 'host', 'chromium-native-host');
    const text = fs.readFileSync(launcher, 'utf8');
    const program = /exec '[^']+' '([^']+)'/.exec(text)![1]!;
    fs.writeFileSync(launcher, text.replace(program, '/nonexistent/blindfill.cjs'));
    const { r, check } = await doctor();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error NO_BROWSER: doctor: 1 failing check: host:chromium/);
    expect(check('host:chromium')).toMatchObject({ status: 'fail', message: 'the launcher runs /nonexistent/blindfill.cjs, which no longer exists' });

    const fixed = await doctor('--fix');
    expect(fixed.r.code).toBe(0);
    expect(fixed.check('host:chromium')).toMatchObject({ status: 'ok', fixed: expect.stringMatching(/^reinstalled /) });
    expect(fs.readFileSync(launcher, 'utf8')).toContain(program);
  });

  it('a launcher that serves any caller fails', async () => {
    await healthy();
    const launcher = path.join(home.dir, 'host', 'chromium-native-host');
    const pinned = fs.readFileSync(launcher, 'utf8');
    // Keeps the pins doctor reads, but answers everyone before reaching them.
    fs.writeFileSync(launcher, pinned.replace(/^umask 077$/m, 'umask 077\necho hello\nexit 0'));
    const { check } = await doctor();
    expect(check('host:chromium')).toMatchObject({ status: 'fail', message: expect.stringMatching(/served a caller that is not the blindfill extension/) });
  });

  it('a locked vault is a warning; the checks that need it are skipped', async () => {
    await healthy();
    expect((await run(['lock'])).code).toBe(0);
    const { r, check } = await doctor();
    expect(r.code).toBe(0);
    expect(check('vault')).toMatchObject({ status: 'warn', fix: 'blindfill unlock' });
    for (const id of ['audit', 'nowhere', 'http', 'reused']) expect(check(id)).toMatchObject({ status: 'skip', message: 'vault locked' });
  });

  it('reused passwords and credentials usable nowhere are warnings naming labels only', async () => {
    await healthy();
    const add = await run(['add', '--json-stdin'], JSON.stringify([
      { label: 'github-work', password: pw[0], origins: ['https://github.com'] },
      { label: 'mail', password: pw[2], origins: ['https://mail.example.com'] },
      { label: 'orphan', password: pw[2] },
    ]));
    expect(add.code).toBe(0);
    const { r, check } = await doctor();
    expect(r.code).toBe(0);
    expect(check('reused')).toMatchObject({ status: 'warn', message: '2 passwords are shared: github = github-work; mail = orphan' });
    expect(check('nowhere')).toMatchObject({ status: 'warn', message: expect.stringMatching(/: orphan$/) });
    assertNoSecret(r.stdout + r.stderr + home.readLogs(), pw, 'doctor reused');
  });

  it('the reused op is refused to the extension caller', async () => {
    await healthy();
    const sock = path.join(home.dir, 'run', 'daemon.sock');
    const answer = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const c = net.createConnection(sock);
      let buf = '';
      c.on('data', (d) => {
        buf += d.toString('utf8');
        const nl = buf.indexOf('\n');
        if (nl >= 0) {
          c.end();
          resolve(JSON.parse(buf.slice(0, nl)));
        }
      });
      c.on('error', reject);
      c.write(`${JSON.stringify({ t: 'req', id: 1, caller: 'extension', op: 'reused' })}\n`);
    });
    expect(answer).toMatchObject({ t: 'res', id: 1, ok: false, code: 'DENIED' });
  });
});
