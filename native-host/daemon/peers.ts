/**
 * What the daemon knows about each connection, decided from the connection itself: the
 * socket it arrived on, the kernel's peer credentials, and /proc. A message's own `caller`
 * is only a label for the audit log.
 *
 * - owner: the main socket (a 0700 directory: only the vault owner's uid reaches it).
 * - agent: the agent socket, after SO_PEERCRED showed an allowed agent uid.
 * - browser: an owner connection whose browser_hello passed verify-browser.ts.
 */
import type net from 'node:net';
import { AGENT_OPS, BROWSER_OPS, type IpcOp } from '../../shared/ipc.js';
import { peerCredentials, type PeerCred } from '../peer/peer-cred.js';
import { ancestry } from '../peer/proc.js';
import type { VerifiedBrowser } from '../peer/verify-browser.js';

export type Role = 'owner' | 'agent' | 'browser';

export class PeerState {
  role: Role;
  browser?: VerifiedBrowser;
  /** The OS user name and uid of an agent connection, once authorized. */
  agentUser?: string;
  agentUid?: number;
  private agentCheck: Promise<string | null> | undefined;
  private cred: Promise<PeerCred | null> | undefined;

  constructor(
    private readonly sock: net.Socket | null,
    role: Role,
  ) {
    this.role = role;
  }

  /**
   * Stop reading this connection and give its socket away (to a process the daemon
   * starts on it). The daemon's own handle is closed by the caller once the process holds it.
   */
  handOff(): net.Socket | null {
    const sock = this.sock;
    if (!sock) return null;
    sock.pause();
    sock.removeAllListeners('data');
    return sock;
  }

  /** The kernel's view of the peer, read once per connection on first use. */
  credentials(): Promise<PeerCred | null> {
    this.cred ??= this.sock ? peerCredentials(this.sock) : Promise.resolve(null);
    return this.cred;
  }

  /**
   * For the agent socket: the allowed user this connection's uid belongs to, or null.
   * Decided once, before the connection's first request is handled.
   */
  authorizeAgent(userOf: (uid: number) => string | undefined): Promise<string | null> {
    this.agentCheck ??= this.credentials().then((c) => {
      const user = c ? userOf(c.uid) : undefined;
      if (user === undefined || !c) return null;
      this.agentUser = user;
      this.agentUid = c.uid;
      return user;
    });
    return this.agentCheck;
  }

  /** Pids of the peer process and its ancestors (empty when unknown). */
  async lineage(): Promise<Set<number>> {
    const c = await this.credentials();
    return new Set(c ? ancestry(c.pid).map((p) => p.pid) : []);
  }

  /** The audit log's name for this peer: its role, and for browsers what was verified. */
  describe(declared?: string): string {
    if (this.role === 'browser' && this.browser) return `browser ${this.browser.browser} pid ${this.browser.hostPid} via ${this.browser.exe}`;
    if (this.role === 'agent') return `agent ${this.agentUser ?? '?'}`;
    return declared ?? 'cli';
  }
}

const AGENT: ReadonlySet<IpcOp> = new Set(AGENT_OPS);
const BROWSER: ReadonlySet<IpcOp> = new Set([...BROWSER_OPS, 'browser_hello']);

/** Whether a connection of this role may ask for this op. */
export function mayCall(role: Role, op: IpcOp): boolean {
  if (role === 'agent') return AGENT.has(op);
  if (role === 'browser') return BROWSER.has(op);
  return true;
}
