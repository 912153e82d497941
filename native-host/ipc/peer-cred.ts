/**
 * The credentials (pid, uid, gid) of the process at the other end of a connected Unix
 * socket. Node exposes no SO_PEERCRED (libuv #2255), so a short Python child reads it: the
 * socket's descriptor is handed over as its fd 3, `getsockopt(SO_PEERCRED)` is read and the fd detached
 * (left open for us). Linux only; null when it cannot be told (another OS, no python3,
 * an error, or no answer within the timeout).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type net from 'node:net';

export interface PeerCredentials {
  pid: number;
  uid: number;
  gid: number;
}

const SCRIPT = [
  'import socket, struct',
  's = socket.socket(fileno=3)',
  'try:',
  "    print(*struct.unpack('3i', s.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)))",
  'finally:',
  '    s.detach()',
].join('\n');

/** The system python first: a PATH shim (pyenv) costs tens of milliseconds more. */
function python(): string {
  for (const p of ['/usr/bin/python3', '/usr/local/bin/python3']) {
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return 'python3';
}

export function peerCredentials(sock: net.Socket, timeoutMs = 3000): Promise<PeerCredentials | null> {
  if (process.platform !== 'linux') return Promise.resolve(null);
  // The descriptor, not the Socket: a Socket given as stdio is paused for good by spawn.
  const fd = (sock as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) return Promise.resolve(null);
  return new Promise((resolve) => {
    let out = '';
    let settled = false;
    const done = (v: PeerCredentials | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(v);
    };
    let child: ReturnType<typeof spawn>;
    try {
      // -I -S: no user site, no PYTHON* variables, no site module.
      child = spawn(python(), ['-I', '-S', '-c', SCRIPT], { stdio: ['ignore', 'pipe', 'ignore', fd], env: {} });
    } catch {
      return done(null);
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done(null);
    }, timeoutMs);
    child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.once('error', () => done(null));
    child.once('close', (code) => {
      const m = /^(\d+) (\d+) (\d+)\n?$/.exec(out);
      done(code === 0 && m ? { pid: Number(m[1]), uid: Number(m[2]), gid: Number(m[3]) } : null);
    });
  });
}
