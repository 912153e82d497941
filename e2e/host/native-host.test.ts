/**
 * The native messaging host as the browser starts it: through the launcher written by
 * `host install`, with no PATH, speaking Chrome's framing on stdio.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_ID } from '../../shared/constants.js';
import { type Home, initVault, makeHome } from '../core/cli.js';

let home: Home;
let launcher: string;
let manifest: Record<string, unknown>;
const ORIGIN = `chrome-extension://${EXTENSION_ID}/`;

beforeAll(async () => {
  home = makeHome();
  await initVault(home);
  const udd = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-udd-'));
  const r = await home.run(['host', 'install', '--browser', 'chromium', '--user-data-dir', udd]);
  expect(r.code).toBe(0);
  const manifestPath = r.stdout.trim();
  expect(manifestPath).toBe(path.join(udd, 'NativeMessagingHosts', 'com.blindfill.host.json'));
  manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  launcher = manifest.path as string;
});
afterAll(async () => {
  await home?.stop();
});

function frame(body: Buffer | string): Buffer {
  const b = typeof body === 'string' ? Buffer.from(body) : body;
  const h = Buffer.alloc(4);
  h.writeUInt32LE(b.length, 0);
  return Buffer.concat([h, b]);
}

interface HostRun {
  messages: unknown[];
  code: number | null;
}

/** Start the launcher like Chrome does (empty environment), write `input`, collect frames. */
function runHost(args: string[], input: Buffer[], waitForMessages: number, closeStdin = true, env: NodeJS.ProcessEnv = {}): Promise<HostRun> {
  return new Promise((resolve) => {
    const child = spawn(launcher, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const messages: unknown[] = [];
    let buf = Buffer.alloc(0);
    child.stdout.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32LE(0)) {
        const len = buf.readUInt32LE(0);
        messages.push(JSON.parse(buf.subarray(4, 4 + len).toString('utf8')));
        buf = buf.subarray(4 + len);
      }
      if (messages.length >= waitForMessages && closeStdin) child.stdin.end();
    });
    for (const i of input) child.stdin.write(i);
    if (waitForMessages === 0) child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ messages, code });
    });
  });
}

describe('host install', () => {
  it('writes a manifest with the exact extension origin and a launcher pinning node and BLINDFILL_HOME', () => {
    expect(manifest).toMatchObject({ name: 'com.blindfill.host', type: 'stdio', allowed_origins: [ORIGIN] });
    const text = fs.readFileSync(launcher, 'utf8');
    expect(text).toContain(`'${process.execPath}'`);
    expect(text).toContain(`BLINDFILL_HOME='${home.dir}'`);
    expect(fs.statSync(launcher).mode & 0o777).toBe(0o700);
  });

  it('without --user-data-dir, uses the browser\'s own directory under HOME', async () => {
    const fakeHome = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-home-'));
    for (const [browser, dir] of [
      ['chromium', '.config/chromium/NativeMessagingHosts'],
      ['chrome', '.config/google-chrome/NativeMessagingHosts'],
      ['brave', '.config/BraveSoftware/Brave-Browser/NativeMessagingHosts'],
      ['edge', '.config/microsoft-edge/NativeMessagingHosts'],
    ]) {
      const r = await home.run(['host', 'install', '--browser', browser!], undefined, { HOME: fakeHome });
      expect(r.code, browser).toBe(0);
      expect(r.stdout.trim()).toBe(path.join(fakeHome, dir!, 'com.blindfill.host.json'));
    }
    const bad = await home.run(['host', 'install', '--browser', 'netscape']);
    expect(bad.stderr).toMatch(/^error INVALID_REQUEST: /);
  });
});

describe('native host process', () => {
  it('started by hand (not by a browser), with no PATH: runs, but the daemon refuses its hello, so it relays nothing', async () => {
    const r = await runHost([ORIGIN], [frame(JSON.stringify({ t: 'req', id: 7, op: 'status' }))], 1);
    const res = r.messages.find((m) => (m as { t: string }).t === 'res') as Record<string, unknown>;
    expect(res).toMatchObject({ t: 'res', id: 7, ok: false, code: 'DAEMON_UNAVAILABLE' });
    expect(r.messages.some((m) => (m as { t: string }).t === 'hello')).toBe(false);
    expect(fs.readFileSync(path.join(home.dir, 'host.log'), 'utf8')).toContain('daemon refused hello: UNTRUSTED_CALLER');
  });

  it('a NODE_OPTIONS in the browser\'s environment never reaches node: the launcher drops it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-nodeopts-'));
    const preload = path.join(dir, 'preload.js');
    const mark = path.join(dir, 'ran');
    fs.writeFileSync(preload, `require('fs').writeFileSync(${JSON.stringify(mark)}, 'preloaded')\n`);
    const r = await runHost([ORIGIN], [frame(JSON.stringify({ t: 'req', id: 4, op: 'ping' }))], 1, true, { NODE_OPTIONS: `--require ${preload}` });
    expect(fs.existsSync(mark)).toBe(false);
    // It ran and answered (refused by the daemon: a hand-started host is no browser).
    expect(r.messages.find((m) => (m as { t: string }).t === 'res')).toMatchObject({ id: 4, ok: false, code: 'DAEMON_UNAVAILABLE' });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses ops the extension may not call', async () => {
    const r = await runHost([ORIGIN], [frame(JSON.stringify({ t: 'req', id: 1, op: 'fill', label: 'x' }))], 2);
    expect(r.messages.find((m) => (m as { t: string }).t === 'res')).toMatchObject({ id: 1, ok: false, code: 'INVALID_REQUEST' });
  });

  it('exits without serving when the caller is another extension', async () => {
    const r = await runHost(['chrome-extension://abcdefghijklmnopabcdefghijklmnop/'], [frame(JSON.stringify({ t: 'req', id: 1, op: 'status' }))], 0);
    expect(r.code).not.toBe(0);
    expect(r.messages).toEqual([]);
    expect(fs.readFileSync(path.join(home.dir, 'host.log'), 'utf8')).toMatch(/not the blindfill extension/);
  });

  it('exits when started with no caller at all', async () => {
    const r = await runHost([], [], 0);
    expect(r.code).not.toBe(0);
    expect(r.messages).toEqual([]);
  });

  it.each([
    ['zero length', Buffer.from([0, 0, 0, 0])],
    ['0xFFFFFFFF', Buffer.from([0xff, 0xff, 0xff, 0xff])],
    ['over the cap (64 MiB + 1)', (() => { const b = Buffer.alloc(4); b.writeUInt32LE(64 * 1024 * 1024 + 1, 0); return b; })()],
    ['non-UTF-8', frame(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))],
    ['invalid JSON', frame('{"t":"req",')],
  ])('closes on a bad frame: %s', async (_name, bytes) => {
    const r = await runHost([ORIGIN], [bytes], 0, false);
    expect(r.code).not.toBe(0);
    expect(r.messages.filter((m) => (m as { t: string }).t === 'res')).toEqual([]);
  });

  it('a truncated frame at end of stream serves nothing', async () => {
    const f = frame(JSON.stringify({ t: 'req', id: 1, op: 'status' }));
    const r = await runHost([ORIGIN], [f.subarray(0, f.length - 3)], 0);
    expect(r.messages.filter((m) => (m as { t: string }).t === 'res')).toEqual([]);
  });

  it('valid JSON of the wrong shape is ignored, the next good message still answered', async () => {
    const r = await runHost(
      [ORIGIN],
      [frame(JSON.stringify({ hello: 'world' })), frame(JSON.stringify([1, 2])), frame(JSON.stringify({ t: 'req', id: 3, op: 'ping' }))],
      1,
    );
    expect(r.messages.filter((m) => (m as { t: string }).t === 'res')).toEqual([expect.objectContaining({ id: 3 })]);
  });

});
