/**
 * The harness itself: Xvfb, the keyring session, canary encodings, /proc sampling, and
 * Chromium with an unpacked MV3 extension.
 */
import { describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startXvfb } from './display.js';
import { startKeyringSession, withKeyring } from './keyring.js';
import { assertNoSecret, encodings, findSecrets, makeCanary, namedEncodings } from './canary.js';
import { sampleCmdlines, sampleProcs } from './procs.js';
import { launchChromium } from './browser.js';

const execFileP = promisify(execFile);

describe('canary', () => {
  it('has every printable-ASCII class and differs each time', () => {
    const c = makeCanary();
    expect(c).toMatch(/[A-Z]/);
    expect(c).toMatch(/[a-z]/);
    expect(c).toMatch(/[0-9]/);
    expect(c).toContain(' ');
    for (const ch of '"\'\\<>&%+/=`$') expect(c).toContain(ch);
    expect(makeCanary()).not.toBe(c);
    expect(makeCanary({ charset: 'safe' })).toMatch(/^[A-Za-z0-9!#%+\-.:=@^_~]+$/);
  });

  it('encodings cover the required forms', () => {
    const s = 'Ab1 <&>"\'+/=';
    const e = encodings(s);
    for (const v of [
      s,
      Buffer.from(s).toString('base64'),
      Buffer.from(s).toString('base64url'),
      Buffer.from(s).toString('hex'),
      Buffer.from(s).toString('hex').toUpperCase(),
      encodeURIComponent(s),
      new URLSearchParams({ a: s }).toString().slice(2),
      JSON.stringify(s).slice(1, -1),
      'Ab1 &lt;&amp;&gt;&quot;&#39;+/=',
    ]) {
      expect(e).toContain(v);
    }
    expect(new Set(namedEncodings(s).map((n) => n.form)).size).toBe(namedEncodings(s).length);
  });

  it('assertNoSecret names the place and form, never the secret', () => {
    const s = makeCanary();
    expect(() => assertNoSecret('nothing here', [s], 'stdout')).not.toThrow();
    for (const hay of [`x${s}y`, `{"v":${JSON.stringify(s)}}`, Buffer.from(`..${Buffer.from(s).toString('base64url')}..`)]) {
      let msg = '';
      try {
        assertNoSecret(hay, [s], 'the log');
      } catch (e) {
        msg = (e as Error).message;
      }
      expect(msg).toMatch(/^secret leaked in the log: secret #0 as /);
      expect(findSecrets(msg, [s])).toEqual([]);
    }
    // base64 of a larger payload that embeds the secret at any alignment is caught.
    for (const pre of ['', 'a', 'ab', 'abc']) {
      const b64 = Buffer.from(`${pre}{"password":"${s}"}`).toString('base64');
      expect(findSecrets(b64, [s]).length).toBeGreaterThan(0);
    }
  });
});

describe('procs', () => {
  it('sees the argv of a short-lived process', async () => {
    const marker = `bf-marker-${Date.now()}`;
    const child = spawn('sh', ['-c', 'sleep 0.3', marker], { stdio: 'ignore' });
    const done = new Promise((r) => child.once('exit', r));
    const lines = await sampleCmdlines(done);
    expect(lines.some((l) => l.includes(marker))).toBe(true);
    expect(() => assertNoSecret(lines.join('\n'), [marker], 'argv')).toThrow(/argv/);
    const withEnv = await sampleProcs(50, { environ: true });
    expect(withEnv.some((p) => p.pid === process.pid && (p.environ?.length ?? 0) > 0)).toBe(true);
  });
});

describe('Xvfb', () => {
  it('starts on a free display, answers xdpyinfo, stops', async () => {
    const x = await startXvfb();
    try {
      expect(x.display).toMatch(/^:\d+$/);
      expect(x.env.DISPLAY).toBe(x.display);
      const { stdout } = await execFileP('xdpyinfo', ['-display', x.display]);
      expect(stdout).toMatch(/dimensions:\s+1280x800 pixels/);
      // A second one gets another display number.
      const y = await startXvfb();
      expect(y.display).not.toBe(x.display);
      await y.stop();
    } finally {
      await x.stop();
    }
    await expect(execFileP('xdpyinfo', ['-display', x.display])).rejects.toThrow();
  });
});

describe('keyring', () => {
  it('stores and looks up a secret with secret-tool in one session', async () => {
    const k = await startKeyringSession();
    const secret = makeCanary({ charset: 'safe' });
    try {
      expect(k.env.DBUS_SESSION_BUS_ADDRESS).toBe(k.busAddress);
      const store = await k.run('secret-tool', ['store', '--label=blindfill test', 'service', 'blindfill-e2e', 'account', 'a'], { input: secret });
      expect(store.code).toBe(0);
      const look = await k.run('secret-tool', ['lookup', 'service', 'blindfill-e2e', 'account', 'a']);
      expect(look.code).toBe(0);
      expect(look.stdout).toBe(secret);
      expect(existsSync(join(k.dir, 'data', 'keyrings'))).toBe(true);
    } finally {
      await k.stop();
    }
    expect(existsSync(k.dir)).toBe(false);
  });

  it('withKeyring runs one command in a fresh session (nothing stored yet)', async () => {
    const r = await withKeyring('secret-tool', ['lookup', 'service', 'blindfill-e2e', 'account', 'a']);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
  });
});

describe('Chromium', () => {
  it('loads an unpacked MV3 extension and reports its ID; runs beforeLaunch first', async () => {
    const ext = await mkdtemp(join(tmpdir(), 'bf-ext-'));
    await writeFile(
      join(ext, 'manifest.json'),
      JSON.stringify({ manifest_version: 3, name: 'harness probe', version: '1.0', background: { service_worker: 'sw.js' } }),
    );
    await writeFile(join(ext, 'sw.js'), 'self.addEventListener("install", () => {});');
    let seenDir = '';
    const b = await launchChromium({
      extensionDir: ext,
      beforeLaunch: async (dir) => {
        seenDir = dir;
        expect(await readdir(dir)).toEqual([]);
      },
    });
    try {
      expect(seenDir).toBe(b.userDataDir);
      expect(b.extensionId).toMatch(/^[a-p]{32}$/);
      expect(b.serviceWorker?.url()).toBe(`chrome-extension://${b.extensionId}/sw.js`);
      expect(b.headless).toBe(true);
    } finally {
      await b.close();
      await rm(ext, { recursive: true, force: true });
    }
    expect(existsSync(b.userDataDir)).toBe(false);
  });

  it('runs headful on Xvfb when asked', async () => {
    const x = await startXvfb();
    try {
      const b = await launchChromium({ headless: false, env: x.env });
      try {
        expect(b.headless).toBe(false);
        await b.page.setContent('<title>on xvfb</title><p>hello</p>');
        expect(await b.page.title()).toBe('on xvfb');
        // The X window title follows the page title asynchronously.
        await expect
          .poll(async () => (await execFileP('xdotool', ['search', '--name', 'on xvfb'], { env: x.env }).catch(() => ({ stdout: '' }))).stdout.trim(), {
            timeout: 5000,
          })
          .not.toBe('');
      } finally {
        await b.close();
      }
    } finally {
      await x.stop();
    }
  });
});
