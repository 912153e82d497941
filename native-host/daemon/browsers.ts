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
  /** Only browsers whose profile directory is this one. */
  profile?: string | undefined;
  /** How long to wait for a browser when none fits. */
  waitMs: number;
}

export class BrowserRegistry {
  private entries: ConnectedBrowser[] = [];
  private waiters = new Set<() => void>();

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
    if (fit.some((e) => e.verified.guard)) {
      const mine = await o.lineage();
      const bound = fit.filter((e) => e.verified.guard && mine.has(e.verified.guard.parent));
      if (bound.length > 0) return bound[bound.length - 1]!;
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
