import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { peerCredentials } from './peer-cred.js';

let dir: string;
let server: net.Server | null = null;
afterEach(() => {
  server?.close();
  server = null;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(process.platform !== 'linux')('peerCredentials (SO_PEERCRED through python3)', () => {
  it('names the listening process, and the socket still works afterwards', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-peer-'));
    const sockPath = path.join(dir, 's');
    server = net.createServer((s) => s.on('data', (d) => s.write(`echo:${d.toString()}`)));
    await new Promise<void>((r) => server!.listen(sockPath, r));
    const c = net.createConnection(sockPath);
    await new Promise((r) => c.once('connect', r));
    const creds = await peerCredentials(c);
    expect(creds).toEqual({ pid: process.pid, uid: process.getuid!(), gid: process.getgid!() });
    const reply = new Promise<string>((r) => c.once('data', (d) => r(d.toString())));
    c.write('ping');
    expect(await reply).toBe('echo:ping');
    c.destroy();
  });

  it('null for a socket that is not connected', async () => {
    const c = new net.Socket();
    expect(await peerCredentials(c)).toBeNull();
  });
});
