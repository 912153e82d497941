/**
 * The agent socket: other OS users the owner allowed (`blindfill agent allow --user NAME`)
 * reach the daemon here for label operations only. The socket sits in a directory of the
 * owner's that others may traverse but not list or write; the socket file itself is open
 * to all, because the daemon decides who is who from each connection's SO_PEERCRED uid,
 * not from file modes. The allow list lives in `agents.json` (0600) in BLINDFILL_HOME,
 * which an agent user cannot write.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as z from 'zod';
import { fail, ok, type Result } from '../../shared/errors.js';
import type { Paths } from '../paths.js';

/** A browser tool the owner registered for an agent user: run as the owner, behind the guard. */
export interface GuardSpec {
  command: string;
  args: string[];
  allow: string[];
}

export interface AgentRecord {
  user: string;
  uid: number;
  since: string;
  guards?: Record<string, GuardSpec>;
}

const GuardSpecSchema = z.strictObject({ command: z.string(), args: z.array(z.string()), allow: z.array(z.string()) });
const FileSchema = z.strictObject({
  agents: z.array(z.strictObject({ user: z.string(), uid: z.number().int().nonnegative(), since: z.string(), guards: z.record(z.string(), GuardSpecSchema).optional() })),
});

/**
 * Options that would open the browser to every local user (a DevTools port) or attach the
 * tool to a browser it did not start: refused when a guard is registered.
 */
const OPEN_BROWSER_ARGS = /^--?(cdp-endpoint|port|remote-debugging-port|remote-debugging-address|extension|browser-url|browserUrl|ws-endpoint|wsEndpoint)(=|$)/;

export function refusedGuardArg(args: readonly string[]): string | null {
  return args.find((a) => OPEN_BROWSER_ARGS.test(a)) ?? null;
}

/** Where the agent socket of this home lives (short enough for sun_path). */
export function agentSocketPath(paths: Paths, env: NodeJS.ProcessEnv = process.env): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const tag = createHash('sha256').update(paths.home).digest('hex').slice(0, 12);
  const base = env.BLINDFILL_AGENT_DIR && path.isAbsolute(env.BLINDFILL_AGENT_DIR) ? env.BLINDFILL_AGENT_DIR : os.tmpdir();
  return path.join(base, `blindfill-agents-${uid}-${tag}`, 'agent.sock');
}

/** The uid of an OS user, from the system's user database. */
export function lookupUid(user: string): number | null {
  try {
    const line = execFileSync('getent', ['passwd', user], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
    const uid = Number(line.split(':')[2]);
    return Number.isInteger(uid) ? uid : null;
  } catch {
    return null;
  }
}

/**
 * Make (or accept) the socket's directory: ours, a real directory (no symlink), not
 * writable by others, mode 0711. Anything else was put there by someone else: refused.
 */
export function ensureAgentDir(dir: string): Result<void> {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  try {
    fs.mkdirSync(dir, { mode: 0o711 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return fail('INSECURE_PERMISSIONS', `cannot create ${dir}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const st = fs.lstatSync(dir);
  if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o022) !== 0) {
    return fail('INSECURE_PERMISSIONS', `${dir} is not a directory of this user that only it can write; remove it and retry`);
  }
  if ((st.mode & 0o777) !== 0o711) fs.chmodSync(dir, 0o711);
  return ok(undefined);
}

export class AgentAccess {
  private agents: AgentRecord[] = [];
  private server: net.Server | null = null;
  private readonly conns = new Map<number, Set<{ close(): void }>>();
  readonly socket: string;

  constructor(
    private readonly paths: Paths,
    private readonly onSocket: (sock: net.Socket) => void,
    private readonly log: (msg: string) => void,
    private readonly uidOf: (user: string) => number | null = lookupUid,
  ) {
    this.socket = agentSocketPath(paths);
    this.agents = this.load();
  }

  private get file(): string {
    return path.join(this.paths.home, 'agents.json');
  }

  private load(): AgentRecord[] {
    try {
      const parsed = FileSchema.safeParse(JSON.parse(fs.readFileSync(this.file, 'utf8')));
      if (parsed.success) return parsed.data.agents;
      this.log('agents.json is malformed; no agent is allowed until it is rewritten');
    } catch {
      /* absent: no agents */
    }
    return [];
  }

  private save(): void {
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify({ agents: this.agents }, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }

  get count(): number {
    return this.agents.length;
  }

  list(): AgentRecord[] {
    return this.agents.map((a) => ({ ...a }));
  }

  /** The browser tool `name` registered for the agent of this uid. */
  guardOf(uid: number, name: string): GuardSpec | undefined {
    const g = this.byUid(uid)?.guards;
    return g && Object.hasOwn(g, name) ? g[name] : undefined;
  }

  /** How many open connections (and started guards) this uid has. */
  openCount(uid: number, kind: string): number {
    return [...(this.conns.get(uid) ?? [])].filter((c) => (c as { kind?: string }).kind === kind).length;
  }

  /** The allowed agent with this uid, if any. */
  byUid(uid: number): AgentRecord | undefined {
    return this.agents.find((a) => a.uid === uid);
  }

  async allow(user: string, now: Date, guard?: { name: string } & GuardSpec): Promise<Result<{ user: string; socket: string }>> {
    const uid = this.uidOf(user);
    if (uid === null) return fail('INVALID_REQUEST', `there is no OS user "${user}"`);
    const own = typeof process.getuid === 'function' ? process.getuid() : 0;
    if (uid === own) return fail('INVALID_REQUEST', `"${user}" is the vault owner; an agent must run as another user`);
    if (guard) {
      const bad = refusedGuardArg([guard.command, ...guard.args]);
      if (bad !== null) return fail('INVALID_REQUEST', `${bad}: a guarded browser tool must start its own browser with a private DevTools pipe, never a port or another browser`);
    }
    let rec = this.byUid(uid);
    if (!rec) {
      rec = { user, uid, since: now.toISOString() };
      this.agents.push(rec);
    }
    if (guard) rec.guards = { ...rec.guards, [guard.name]: { command: guard.command, args: [...guard.args], allow: [...guard.allow] } };
    this.save();
    const listening = await this.listen();
    if (!listening.ok) return listening;
    return ok({ user, socket: this.socket });
  }

  revoke(user: string): Result<{ user: string; revoked: boolean }> {
    const found = this.agents.find((a) => a.user === user);
    if (!found) return ok({ user, revoked: false });
    this.agents = this.agents.filter((a) => a !== found);
    this.save();
    for (const c of this.conns.get(found.uid) ?? []) c.close();
    this.conns.delete(found.uid);
    if (this.agents.length === 0) this.closeSocket();
    return ok({ user, revoked: true });
  }

  /** Remember an open agent connection, so a revoke ends it. */
  track(uid: number, conn: { close(): void; onClosed(cb: () => void): void; kind?: string }): void {
    const set = this.conns.get(uid) ?? new Set();
    this.conns.set(uid, set);
    set.add(conn);
    conn.onClosed(() => set.delete(conn));
  }

  /** Listen on the agent socket when any agent is allowed (at daemon start and on allow). */
  async listen(): Promise<Result<void>> {
    if (this.server !== null || this.agents.length === 0) return ok(undefined);
    const dir = ensureAgentDir(path.dirname(this.socket));
    if (!dir.ok) return dir;
    try {
      const st = fs.lstatSync(this.socket);
      if (!st.isSocket()) return fail('INSECURE_PERMISSIONS', `${this.socket} exists and is not a socket`);
      fs.unlinkSync(this.socket);
    } catch {
      /* no stale socket */
    }
    const server = net.createServer(this.onSocket);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.socket, () => resolve());
      });
    } catch (e) {
      return fail('INTERNAL', `cannot listen on the agent socket: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    // Connecting needs write permission on the socket file; who may talk is decided per connection.
    fs.chmodSync(this.socket, 0o666);
    server.on('error', (e) => this.log(`agent socket error: ${(e as NodeJS.ErrnoException).code ?? 'unknown'}`));
    this.server = server;
    this.log(`agent socket listening on ${this.socket}`);
    return ok(undefined);
  }

  closeSocket(): void {
    if (this.server === null) return;
    this.server.close();
    this.server = null;
    try {
      fs.unlinkSync(this.socket);
    } catch {
      /* gone */
    }
  }
}
