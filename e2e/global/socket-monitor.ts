/**
 * vitest globalSetup for the e2e project: while the whole e2e suite runs, every 200 ms,
 * check that no blindfill process (CLI, daemon, native host, MCP server) holds a TCP,
 * UDP or raw socket. Reads /proc/net/* and /proc/PID/fd. Fails the run on a violation.
 * The one exception: the daemon is a client of OpenBao (remote vaults), so a connected
 * (never listening) TCP socket whose peer port is one an OpenBao server (`bao server`)
 * on this machine listens on is allowed.
 */
import fs from 'node:fs';
import path from 'node:path';

const NET = ['tcp', 'tcp6', 'udp', 'udp6', 'raw', 'raw6', 'udplite', 'udplite6'];

interface NetSocket {
  kind: string;
  localPort: number;
  remotePort: number;
  listening: boolean;
}

const portOf = (addr: string | undefined) => (addr ? parseInt(addr.split(':').pop() ?? '0', 16) : 0);

function netSockets(): Map<string, NetSocket> {
  const out = new Map<string, NetSocket>();
  for (const kind of NET) {
    let text = '';
    try {
      text = fs.readFileSync(`/proc/net/${kind}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const inode = cols[9];
      if (inode && inode !== '0') out.set(inode, { kind, localPort: portOf(cols[1]), remotePort: portOf(cols[2]), listening: cols[3] === '0A' });
    }
  }
  return out;
}

/** The TCP ports OpenBao servers on this machine listen on. */
function baoPorts(sockets: Map<string, NetSocket>): Set<number> {
  const ports = new Set<number>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let argv: string[];
    try {
      argv = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (path.basename(argv[0] ?? '') !== 'bao' || argv[1] !== 'server') continue;
    let fds: string[] = [];
    try {
      fds = fs.readdirSync(`/proc/${name}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${name}/fd/${fd}`));
        const s = m ? sockets.get(m[1]!) : undefined;
        if (s?.listening && s.kind.startsWith('tcp')) ports.add(s.localPort);
      } catch {
        /* gone */
      }
    }
  }
  return ports;
}

function netInodes(): Map<string, string> {
  const out = new Map<string, string>();
  for (const kind of NET) {
    let text = '';
    try {
      text = fs.readFileSync(`/proc/net/${kind}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const inode = cols[9];
      if (inode && inode !== '0') out.set(inode, kind);
    }
  }
  return out;
}

export interface Scan {
  scans: number;
  blindfillProcessesSeen: number;
  violations: Array<{ pid: number; kind: string; cmd: string }>;
}

/** A blindfill process: one of whose argv elements is a file named blindfill.cjs. */
export const isBlindfill = (argv: string[]) => argv.some((a) => path.basename(a) === 'blindfill.cjs');

export function scanOnce(state: Scan, seen: Set<number>, match: (argv: string[]) => boolean = isBlindfill): void {
  state.scans += 1;
  const inodes = netInodes();
  const sockets = netSockets();
  let bao: Set<number> | undefined;
  const baoOf = (): Set<number> => {
    bao ??= baoPorts(sockets);
    return bao;
  };
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    let argv: string[];
    try {
      argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!match(argv)) continue;
    const cmd = argv.join(' ');
    if (!seen.has(pid)) {
      seen.add(pid);
      state.blindfillProcessesSeen += 1;
    }
    let fds: string[] = [];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target = '';
      try {
        target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      const kind = m ? inodes.get(m[1]!) : undefined;
      if (!kind) continue;
      const sock = sockets.get(m![1]!);
      if (sock && kind.startsWith('tcp') && !sock.listening && baoOf().has(sock.remotePort)) continue;
      state.violations.push({ pid, kind, cmd: cmd.slice(0, 120) });
    }
  }
}

export default function setup(): () => void {
  const state: Scan = { scans: 0, blindfillProcessesSeen: 0, violations: [] };
  const seen = new Set<number>();
  const timer = setInterval(() => scanOnce(state, seen), 200);
  return () => {
    clearInterval(timer);
    scanOnce(state, seen);
    const report = path.resolve('reports/socket-monitor.json');
    fs.mkdirSync(path.dirname(report), { recursive: true });
    fs.writeFileSync(report, `${JSON.stringify(state, null, 2)}\n`);
    process.stderr.write(`socket monitor: ${state.scans} scans, ${state.blindfillProcessesSeen} blindfill processes, ${state.violations.length} TCP/UDP sockets\n`);
    if (state.violations.length > 0) throw new Error(`blindfill processes held network sockets: ${JSON.stringify(state.violations.slice(0, 5))}`);
  };
}
