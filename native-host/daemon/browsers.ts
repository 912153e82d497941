/**
 * The browsers connected to the daemon, each through a native host that verify-browser.ts
 * accepted. A fill goes to one chosen browser for both its probe and its values:
 * - the browser the caller's own `blindfill guard` started (the guard's parent is an
 *   ancestor of the caller: the same agent), else
 * - a browser no guard started (the person's own), when exactly one fits;
 * - several that fit and nothing binds the caller to one: refused, never "the newest".
 * A caller may also name a profile directory; then only browsers of that profile fit.
 * With none connected, the choice waits a bounded time for one to connect.
 */
import { BrowserResponseSchema, type BrowserRequest, type BrowserResponse } from '../../shared/browser-protocol.js';
import { fail, type Failure } from '../../shared/errors.js';
import type { BrowserInfo } from '../../shared/ipc.js';
import type { Connection } from '../ipc/connection.js';
import type { VerifiedBrowser } from '../peer/verify-browser.js';

export interface ConnectedBrowser {
  readonly conn: Connection;
  readonly verified: VerifiedBrowser;
  readonly extensionId: string;
  readonly since: string;
}

export interface PickOptions {
  /** Pids of the caller and its ancestors (loaded only when a guard-started browser is connected). */
  lineage: () => Promise<Set<number>>;
  /** The caller says it runs under `blindfill guard`: only the browser its guard started fits
   *  (waited for), never a person's. A claim that only narrows, so it is taken as said. */
  guarded?: boolean | undefined;
  /** The caller is an agent connection of this uid: browsers of guards the daemon started for it are its own. */
  agentUid?: number | undefined;
  /** Only browsers whose profile directory is this one. */
  profile?: string | undefined;
  /** How long to wait for a browser when none fits. */
  waitMs: number;
}

export class BrowserRegistry {
  private entries: ConnectedBrowser[] = [];
  private waiters = new Set<() => void>();
  /** Guards the daemon itself started for agent users (guard pid → agent uid). */
  private readonly started = new Map<number, number>();

  /** Record a guard the daemon started for an agent user, until it exits. */
  guardStarted(pid: number, agentUid: number): void {
    this.started.set(pid, agentUid);
  }

  guardEnded(pid: number): void {
    this.started.delete(pid);
  }

  /**
   * Is this guard-started browser the caller's own? A caller under the guard (its own
   * tools, or a process the guard's parent started: the same agent) is bound to it. A
   * parent every process shares (init, the daemon, which starts guards for agent users)
   * binds nothing; a guard the daemon started belongs to its agent user's connections.
   */
  private boundTo(e: ConnectedBrowser, mine: Set<number>, agentUid: number | undefined): boolean {
    const g = e.verified.guard;
    if (!g) return false;
    if (mine.has(g.pid)) return true;
    const owner = this.started.get(g.pid);
    if (owner !== undefined) return agentUid === owner;
    return g.parent > 1 && g.parent !== process.pid && mine.has(g.parent);
  }

  add(conn: Connection, verified: VerifiedBrowser, extensionId: string, since: string): void {
    // A browser that reconnects (a restarted service worker) replaces its older host.
    this.entries = this.entries.filter((e) => e.conn !== conn && e.verified.browserPid !== verified.browserPid);
    this.entries.push({ conn, verified, extensionId, since });
    conn.onClosed(() => {
      this.entries = this.entries.filter((e) => e.conn !== conn);
    });
    for (const w of [...this.waiters]) w();
  }

  list(): BrowserInfo[] {
    return this.entries.map((e) => ({
      browser: e.verified.browser,
      extension_id: e.extensionId,
      connected_at: e.since,
      pid: e.verified.browserPid,
      ...(e.verified.profile !== undefined ? { profile: e.verified.profile } : {}),
      guarded: e.verified.guard !== undefined,
    }));
  }

  get count(): number {
    return this.entries.length;
  }

  /** The browser this caller's fill goes to; NO_BROWSER after waiting, or AMBIGUOUS_BROWSER. */
  async pick(o: PickOptions): Promise<ConnectedBrowser | Failure> {
    const deadline = Date.now() + o.waitMs;
    for (;;) {
      const chosen = await this.choose(o);
      if (chosen !== null) return chosen;
      const left = deadline - Date.now();
      if (left <= 0) {
        if (o.guarded && o.profile === undefined) return fail('NO_BROWSER', 'the browser this blindfill guard started has not connected (open a page with the browser tool first; check `blindfill host install` for its profile)');
        const why = o.profile !== undefined ? ` with the profile ${o.profile}` : '';
        return fail('NO_BROWSER', `no browser${why} with the blindfill extension is connected (open the browser; check \`blindfill host install\`)`);
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(t);
          this.waiters.delete(wake);
          resolve();
        };
        const t = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  private async choose(o: PickOptions): Promise<ConnectedBrowser | Failure | null> {
    let fit = o.profile !== undefined ? this.entries.filter((e) => e.verified.profile === o.profile) : this.entries;
    if (fit.length === 0) return null;
    // A named profile is the caller's explicit choice; otherwise a guarded caller gets only its own.
    const strict = o.guarded === true && o.profile === undefined;
    if (strict || fit.some((e) => e.verified.guard)) {
      const mine = await o.lineage();
      const bound = fit.filter((e) => this.boundTo(e, mine, o.agentUid));
      if (bound.length > 0) return bound[bound.length - 1]!;
      // A guarded caller's browser may still be starting: wait for it, never fall back to a person's.
      if (strict) return null;
      fit = fit.filter((e) => !e.verified.guard);
      if (fit.length === 0) return null;
    }
    if (fit.length === 1) return fit[0]!;
    return fail(
      'AMBIGUOUS_BROWSER',
      `${fit.length} browsers are connected and none is bound to this caller: run the agent's browser under \`blindfill guard\`, or name one with --browser-profile (see \`blindfill status\`)`,
    );
  }

  /** Send a request to one chosen browser; NO_BROWSER if it went away, TIMEOUT, or its answer. */
  async call(target: ConnectedBrowser, request: BrowserRequest, timeoutMs: number): Promise<BrowserResponse | Failure> {
    if (!this.entries.includes(target)) return fail('NO_BROWSER', 'the browser disconnected');
    const res = await target.conn.request({ op: 'browser_call', request }, timeoutMs);
    if (!res.ok) {
      if (res.code === 'DAEMON_UNAVAILABLE') return fail('NO_BROWSER', 'the browser disconnected before it answered');
      return fail(res.code, res.message);
    }
    const parsed = BrowserResponseSchema.safeParse(res.result);
    if (!parsed.success) return fail('INTERNAL', 'the browser answered with a malformed message');
    return parsed.data;
  }
}
