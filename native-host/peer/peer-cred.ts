/**
 * Who is on the other end of a Unix socket, as the kernel says (SO_PEERCRED), not as a
 * message claims. Node exposes no getsockopt, so the connected socket is handed to a
 * short-lived system Python as fd 3, which reads SO_PEERCRED and prints `pid uid gid`.
 * The interpreter is an absolute, root-owned path: never one found on PATH, which the
 * same user could shadow.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type net from 'node:net';

export interface PeerCred {
  pid: number;
  uid: number;
  gid: number;
}

const PYTHON_CANDIDATES = ['/usr/bin/python3', '/usr/local/bin/python3'];

const SCRIPT = [
  'import socket,struct,sys',
  's=socket.socket(fileno=3)',
  "print(*struct.unpack('3i',s.getsockopt(socket.SOL_SOCKET,socket.SO_PEERCRED,12)))",
  's.detach()',
].join('\n');

/** A Python the user cannot replace: owned by root, not writable by group or others. */
export function systemPython(candidates: readonly string[] = PYTHON_CANDIDATES): string | null {
  for (const p of candidates) {
    try {
      const real = fs.realpathSync(p);
      const st = fs.statSync(real);
      if (st.isFile() && st.uid === 0 && (st.mode & 0o022) === 0) return real;
    } catch {
      /* try the next */
    }
  }
  return null;
}

export function parsePeerLine(out: string): PeerCred | null {
  const m = /^(\d+) (\d+) (\d+)\s*$/.exec(out);
  if (!m) return null;
  const [pid, uid, gid] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return pid > 0 ? { pid, uid, gid } : null;
}

/** The peer's credentials at connect time, or null when they cannot be read (not Linux, no Python). */
export function peerCredentials(sock: net.Socket, timeoutMs = 5000): Promise<PeerCred | null> {
  if (process.platform !== 'linux') return Promise.resolve(null);
  const python = systemPython();
  if (python === null) return Promise.resolve(null);
  return new Promise((resolve) => {
    let out = '';
    let done = false;
    const finish = (v: PeerCred | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(v);
    };
    let child: ReturnType<typeof spawn>;
    try {
      // The descriptor, not the Socket: a Socket given as stdio is paused for good by spawn.
      const fd = (sock as unknown as { _handle?: { fd?: number } })._handle?.fd;
      if (typeof fd !== 'number' || fd < 0) {
        resolve(null);
        return;
      }
      child = spawn(python, ['-I', '-S', '-c', SCRIPT], { stdio: ['ignore', 'pipe', 'ignore', fd], env: {} });
    } catch {
      resolve(null);
      return;
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(null);
    }, timeoutMs);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (d: string) => {
      out += d;
    });
    child.on('error', () => finish(null));
    child.on('close', (code) => finish(code === 0 ? parsePeerLine(out) : null));
  });
}
