// npm run demo: the whole blindfill path, for real, in well under a minute.
//
// Installs what is missing, builds, starts the demo login site (HTTPS on 127.0.0.1), makes
// a throwaway vault in a temp BLINDFILL_HOME, adds a demo credential (username, password,
// TOTP) bound to the site's origin, registers the native host in a fresh Chromium profile,
// launches Chromium with the extension (a window when DISPLAY is set, else headless), and
// logs in with `blindfill fill` — password page, then code page — until the site says
// "Welcome". Then it shows a refusal on a look-alike host, and cleans everything up.
//
// The demo never prints a secret: only labels, origins and blindfill's JSON results.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureNodeModules, ensureSystem } from './ensure-system.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(root, 'dist/blindfill.cjs');
const LABEL = 'demo';
const HOST = 'bank.test';
const LOOKALIKE = 'bank.test.evil.test';
const started = Date.now();

const say = (msg) => process.stdout.write(`${msg}\n`);
const step = (msg) => say(`\n[${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);
const detail = (msg) => say(`    ${msg}`);

class DemoError extends Error {}
const fail = (msg) => {
  throw new DemoError(msg);
};

// ---------------------------------------------------------------------------------------
// Everything the demo starts, so that cleanup can undo it whatever happens.

const cleanup = {
  browser: null,
  site: null,
  home: null, // { base, dir }
  bundleDir: null,
};
let cleaning = null;

function daemonPid(homeDir) {
  try {
    const pid = Number.parseInt(readFileSync(path.join(homeDir, 'run', 'daemon.pid'), 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopDaemon(homeDir) {
  const pid = daemonPid(homeDir);
  if (pid === null) return null;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return pid; // already gone
  }
  for (let i = 0; i < 100 && alive(pid); i++) await sleep(20);
  if (alive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  return pid;
}

function doCleanup() {
  cleaning ??= (async () => {
    if (cleanup.browser) await cleanup.browser.close().catch(() => undefined);
    if (cleanup.home) {
      await stopDaemon(cleanup.home.dir);
      rmSync(cleanup.home.base, { recursive: true, force: true });
    }
    if (cleanup.site) await cleanup.site.close().catch(() => undefined);
    if (cleanup.bundleDir) rmSync(cleanup.bundleDir, { recursive: true, force: true });
  })();
  return cleaning;
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    process.stderr.write(`\ndemo interrupted (${sig}); cleaning up\n`);
    void doCleanup().finally(() => process.exit(130));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------
// The real CLI, with only the environment it needs.

function cliEnv(homeDir) {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? os.homedir(), LANG: 'C.UTF-8', BLINDFILL_HOME: homeDir, BLINDFILL_DAEMON_LINGER_S: '20' };
}

function blindfill(env, args, stdin) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.stdin.on('error', () => undefined); // EPIPE when it exits without reading stdin
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout: stdout.trim(), stderr: stderr.trim() });
    });
    child.stdin.end(stdin ?? '');
  });
}

/** Run a command that must succeed; print it and its output (which never holds a secret). */
async function must(env, args, stdin, { quietOut = false } = {}) {
  detail(`$ blindfill ${args.join(' ')}${stdin !== undefined ? '   (input on stdin, not shown)' : ''}`);
  const r = await blindfill(env, args, stdin);
  if (r.code !== 0) fail(`\`blindfill ${args.join(' ')}\` exited ${r.code}: ${r.stderr || r.stdout}`);
  if (!quietOut && r.stdout) for (const line of r.stdout.split('\n')) detail(`  ${line}`);
  return r;
}

// ---------------------------------------------------------------------------------------
// The TypeScript helpers (fixture site, Chromium launcher), bundled for Node at run time.

async function bundleHelpers() {
  const { build } = await import('esbuild');
  // Inside the checkout (under .tmp/, gitignored) so the bundle resolves node_modules.
  mkdirSync(path.join(root, '.tmp'), { recursive: true });
  const dir = mkdtempSync(path.join(root, '.tmp', 'demo-'));
  cleanup.bundleDir = dir;
  const outfile = path.join(dir, 'helpers.mjs');
  await build({
    stdin: {
      contents: "export { startDemoSite } from './e2e/fixtures/server.ts';\nexport { launchChromium } from './e2e/harness/browser.ts';\n",
      resolveDir: root,
      sourcefile: 'demo-helpers.ts',
      loader: 'ts',
    },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return import(pathToFileURL(outfile).href);
}

function base32(bytes) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

// ---------------------------------------------------------------------------------------

async function main() {
  step('Checking system and npm packages');
  ensureSystem();
  ensureNodeModules(root);
  detail('ok');

  step('Building blindfill (dist/blindfill.cjs, dist/chromium/)');
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (!existsSync(BIN) || !existsSync(path.join(root, 'dist/chromium/manifest.json'))) fail('the build did not produce dist/blindfill.cjs and dist/chromium/');
  const t0 = Date.now();

  const { startDemoSite, launchChromium } = await bundleHelpers();

  // A fresh account for this run: the site and the vault are the only ones who know it.
  const account = {
    username: 'demo@example.test',
    password: randomBytes(18).toString('base64url'),
    totp: { secret: base32(randomBytes(20)), digits: 6, period: 30, algorithm: 'SHA1' },
  };
  step('Starting the demo login site (HTTPS on 127.0.0.1; its account needs a password, then a one-time code)');
  const site = await startDemoSite({ totp: true, account });
  cleanup.site = site;
  const origin = site.origin(HOST);
  detail(`login page: ${site.url(HOST, '/plain')}`);

  step('Creating a throwaway vault');
  const base = mkdtempSync(path.join(os.tmpdir(), 'blindfill-demo-'));
  const homeDir = path.join(base, 'home');
  cleanup.home = { base, dir: homeDir };
  const env = cliEnv(homeDir);
  detail(`BLINDFILL_HOME=${homeDir}`);
  const passphrase = randomBytes(24).toString('base64url');
  await must(env, ['init', '--passphrase-stdin'], passphrase);
  const pid = daemonPid(homeDir);
  detail(`the daemon holds the unlocked vault (pid ${pid ?? '?'})`);

  step(`Adding the credential "${LABEL}" (username, password and TOTP seed), bound to ${origin}`);
  const cred = { label: LABEL, username: account.username, password: account.password, totp: account.totp, origins: [origin] };
  await must(env, ['add', '--json-stdin'], JSON.stringify(cred));
  const list = await must(env, ['list', '--json'], undefined, { quietOut: true });
  detail(`  ${list.stdout}`);
  detail('(the list shows what the agent sees: a label, where it may be filled, what it holds — no values)');

  const headful = Boolean(process.env.DISPLAY);
  step(`Launching Chromium with the blindfill extension (${headful ? `a window on ${process.env.DISPLAY}` : 'headless: no DISPLAY'})`);
  const browser = await launchChromium({
    extensionDir: path.join(root, 'dist/chromium'),
    headless: !headful,
    env: { ...process.env, ...env },
    beforeLaunch: (dir) => {
      const manifest = execFileSync(process.execPath, [BIN, 'host', 'install', '--browser', 'chromium', '--user-data-dir', dir], { env, encoding: 'utf8' }).trim();
      detail(`$ blindfill host install --browser chromium --user-data-dir ${dir}`);
      detail(`  ${manifest}`);
    },
  });
  cleanup.browser = browser;
  const page = browser.page;
  detail(`extension ${browser.extensionId} loaded`);

  step(`Opening the login page ${site.url(HOST, '/plain')}`);
  await page.goto(site.url(HOST, '/plain'));

  step('Waiting for the extension to connect to the daemon (through the native host)');
  let status;
  for (let i = 0; ; i++) {
    const r = await blindfill(env, ['status', '--json']);
    status = r.code === 0 ? JSON.parse(r.stdout) : null;
    if (status && status.browsers.length > 0) break;
    if (i >= 150) fail('the extension never connected to the daemon (is the native host registered?)');
    await sleep(100);
  }
  detail(`$ blindfill status --json`);
  detail(`  ${JSON.stringify(status)}`);

  step(`Filling username and password and submitting — the secret goes daemon → extension → page, never to us`);
  const filled = await must(env, ['fill', LABEL, '--submit', '--json']);
  const fr = JSON.parse(filled.stdout);
  if (!fr.ok || !fr.submitted) fail(`unexpected fill result ${filled.stdout}`);
  await page.waitForURL(/\/otp/, { timeout: 15_000 });
  await page.waitForLoadState('load');
  const pw = site.logins(HOST).find((l) => l.step === 'password');
  detail(`the site checked the password server-side: ${pw?.ok ? 'accepted' : `rejected (${pw?.reason})`}; it asks for a one-time code: ${page.url()}`);
  if (!pw?.ok) fail('the site rejected the password step');

  step('Filling the one-time code (computed by the daemon now, from the TOTP seed in the vault) and submitting');
  const code = await must(env, ['fill', LABEL, '--totp', '--submit', '--json']);
  const cr = JSON.parse(code.stdout);
  if (!cr.ok || !cr.filled.includes('totp')) fail(`unexpected fill result ${code.stdout}`);
  const login = await site.waitForLogin(HOST, { predicate: (l) => l.step === 'otp', timeoutMs: 15_000 });
  if (!login.ok || !login.complete) fail(`the site rejected the code (${login.reason})`);
  await page.waitForSelector('h1:has-text("Welcome")', { timeout: 15_000 });
  const heading = (await page.textContent('h1'))?.trim();
  detail(`the site says: "${heading}" (server-side record: step=${login.step} ok=${login.ok} complete=${login.complete})`);

  mkdirSync(path.join(root, '.tmp'), { recursive: true });
  const shot = path.join(root, '.tmp', 'demo-welcome.png');
  await page.screenshot({ path: shot });
  detail(`screenshot: ${shot}`);

  step(`A refusal: the same label on a look-alike host, ${site.origin(LOOKALIKE)}`);
  await page.goto(site.url(LOOKALIKE, '/plain'));
  detail(`$ blindfill fill ${LABEL} --submit`);
  const refused = await blindfill(env, ['fill', LABEL, '--submit']);
  detail(`  exit ${refused.code}: ${refused.stderr}`);
  if (refused.code === 0 || !refused.stderr.startsWith('error ORIGIN_MISMATCH')) fail(`expected error ORIGIN_MISMATCH, got exit ${refused.code}: ${refused.stderr || refused.stdout}`);
  const values = await page.$$eval('input', (els) => els.map((e) => e.value));
  const empty = values.every((v) => v === '');
  detail(`fields on the look-alike page: ${empty ? 'all still empty' : 'NOT EMPTY'}`);
  if (!empty) fail('a field on the look-alike page was filled');
  if (site.logins(LOOKALIKE).length > 0) fail('the look-alike site received a login');

  step('The audit log (HMAC-chained) recorded each fill and the refusal');
  await must(env, ['audit', 'verify']);

  step('Cleaning up: browser, daemon (SIGTERM), site, temp dirs');
  await browser.close();
  cleanup.browser = null;
  const stopped = await stopDaemon(homeDir);
  detail(`daemon ${stopped ?? '(none)'} ${stopped !== null && alive(stopped) ? 'STILL RUNNING' : 'stopped'}`);
  await doCleanup();

  say(`\ndemo ok: logged in through blindfill and cleaned up in ${((Date.now() - t0) / 1000).toFixed(1)} s after the build (${((Date.now() - started) / 1000).toFixed(1)} s in all); screenshot ${shot}`);
}

main().then(
  () => process.exit(0),
  async (e) => {
    await doCleanup().catch(() => undefined);
    // Keep it readable: Playwright's messages carry a long call log.
    let msg = e instanceof DemoError ? e.message : String(e?.message ?? e);
    if (!(e instanceof DemoError) && !process.env.BLINDFILL_DEMO_DEBUG) {
      msg = `${msg.split('\n')[0]}\n(set BLINDFILL_DEMO_DEBUG=1 for the whole error)`;
    } else if (process.env.BLINDFILL_DEMO_DEBUG && e?.stack) msg = e.stack;
    process.stderr.write(`\ndemo FAILED: ${msg}\n`);
    process.exit(1);
  },
);
