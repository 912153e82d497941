/**
 * The browser extension can never use the scrubber as an oracle: the native host refuses
 * `redact` from it (its allow-list), and so would the daemon (caller "extension").
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
let udd: string;

beforeAll(async () => {
  home = makeHome();
  await initVault(home);
  expect((await home.run(['add', '--json-stdin'], JSON.stringify({ label: 'a', password: 'oracle-secret-1', origins: ['https://a.test'] }))).code).toBe(0);
  udd = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-udd-'));
  const r = await home.run(['host', 'install', '--browser', 'chromium', '--user-data-dir', udd]);
  expect(r.code).toBe(0);
  launcher = (JSON.parse(fs.readFileSync(r.stdout.trim(), 'utf8')) as { path: string }).path;
});
afterAll(async () => {
  await home?.stop();
  fs.rmSync(udd, { recursive: true, force: true });
});

function frame(body: unknown): Buffer {
  const b = Buffer.from(JSON.stringify(body));
  const h = Buffer.alloc(4);
  h.writeUInt32LE(b.length, 0);
  return Buffer.concat([h, b]);
}

/** Start the host as Chromium does, send one request, return its answer to that request. */
function ask(body: Record<string, unknown>): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(launcher, [`chrome-extension://${EXTENSION_ID}/`], { env: {}, stdio: ['pipe', 'pipe', 'pipe'] });
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('no answer'));
    }, 20_000);
    child.stdout.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32LE(0)) {
        const m = JSON.parse(buf.subarray(4, 4 + buf.readUInt32LE(0)).toString()) as Record<string, unknown>;
        buf = buf.subarray(4 + buf.readUInt32LE(0));
        if (m.t === 'res') {
          clearTimeout(timer);
          child.stdin.end();
          resolve(m);
        }
      }
    });
    child.stdin.write(frame({ t: 'req', id: 5, ...body }));
  });
}

describe('redact from the extension', () => {
  it('is refused by the native host', async () => {
    const res = await ask({ op: 'redact', text: 'is oracle-secret-1 a secret?' });
    expect(res).toMatchObject({ id: 5, ok: false, code: 'INVALID_REQUEST' });
    expect(JSON.stringify(res)).not.toContain('[blindfill:');
  });
});
