/**
 * A throwaway BLINDFILL_HOME driven through the real built CLI, plus a direct socket
 * client for the requests whose process start we do not want to time.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readDaemonPid, terminate } from '../../e2e/core/pids.js';
import { alive, blindfill, type Timed } from './proc.js';

export const PASSPHRASE = 'bench passphrase: not a secret, only a benchmark';

export interface Home {
  dir: string;
  env: NodeJS.ProcessEnv;
  run(args: readonly string[], stdin?: string | Buffer): Promise<Timed>;
  /** run() that throws on a non-zero exit. */
  must(args: readonly string[], stdin?: string | Buffer): Promise<Timed>;
  daemonPid(): number | null;
  socketPath(): string;
  stopDaemon(): Promise<void>;
  remove(): Promise<void>;
}

export function makeHome(name: string): Home {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), `bf-bench-${name}-`));
  const dir = path.join(base, 'home');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'C.UTF-8',
    BLINDFILL_HOME: dir,
    BLINDFILL_DAEMON_LINGER_S: '30',
    // The daemon allows 30 uses of a label per minute by default: a benchmark is not abuse.
    BLINDFILL_RATE_PER_MINUTE: '1000000',
  };
  const home: Home = {
    dir,
    env,
    run: (args, stdin) => blindfill(env, args, stdin),
    async must(args, stdin) {
      const r = await blindfill(env, args, stdin);
      if (r.code !== 0) throw new Error(`blindfill ${args[0]} failed (${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
      return r;
    },
    daemonPid() {
      const pid = readDaemonPid(dir);
      return pid !== null && pid > 0 && alive(pid) ? pid : null;
    },
    socketPath: () => path.join(dir, 'run', 'daemon.sock'),
    async stopDaemon() {
      const pid = home.daemonPid();
      if (pid !== null) await terminate(pid, 150);
    },
    async remove() {
      await home.stopDaemon();
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
  return home;
}

export async function initHome(home: Home): Promise<void> {
  await home.must(['init', '--passphrase-stdin'], PASSPHRASE);
}

/** One NDJSON connection to the daemon socket (the protocol the CLI speaks). */
export class DaemonSocket {
  private buf = '';
  private nextId = 1;
  private readonly waiting = new Map<number, (v: Record<string, unknown>) => void>();

  private constructor(private readonly sock: net.Socket) {
    sock.on('data', (d: Buffer) => {
      this.buf += d.toString('utf8');
      for (let nl = this.buf.indexOf('\n'); nl >= 0; nl = this.buf.indexOf('\n')) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        let msg: Record<string, unknown>;
        try {
          msg = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue;
        }
        const w = this.waiting.get(msg.id as number);
        if (w) {
          this.waiting.delete(msg.id as number);
          w(msg);
        }
      }
    });
    sock.on('close', () => {
      for (const w of this.waiting.values()) w({ ok: false, code: 'DAEMON_UNAVAILABLE', message: 'closed' });
      this.waiting.clear();
    });
  }

  static connect(socketPath: string): Promise<DaemonSocket> {
    return new Promise((resolve, reject) => {
      const s = net.createConnection(socketPath);
      s.once('connect', () => resolve(new DaemonSocket(s)));
      s.once('error', reject);
    });
  }

  /** Send one request; resolves with the response and its round-trip time in ms. */
  request(body: Record<string, unknown>): Promise<{ res: Record<string, unknown>; ms: number }> {
    const id = this.nextId++;
    const t0 = performance.now();
    return new Promise((resolve) => {
      this.waiting.set(id, (res) => resolve({ res, ms: performance.now() - t0 }));
      this.sock.write(`${JSON.stringify({ t: 'req', id, caller: 'cli', ...body })}\n`);
    });
  }

  async must(body: Record<string, unknown>): Promise<{ result: unknown; ms: number }> {
    const { res, ms } = await this.request(body);
    if (res.ok !== true) throw new Error(`daemon ${String(body.op)} failed: ${String(res.code)}: ${String(res.message)}`);
    return { result: res.result, ms };
  }

  close(): void {
    this.sock.end();
  }
}
