/**
 * The browsers connected to the daemon through a native host. The daemon calls the most
 * recently connected one (the contract's "connected browser").
 */
import { BrowserResponseSchema, type BrowserRequest, type BrowserResponse } from '../../shared/browser-protocol.js';
import { fail, type Failure } from '../../shared/errors.js';
import type { Connection } from '../ipc/connection.js';

export interface BrowserInfo {
  browser: (typeof import('../../shared/ipc.js').BROWSER_NAMES)[number];
  extension_id: string;
  connected_at: string;
}

interface Entry {
  conn: Connection;
  info: BrowserInfo;
}

export class BrowserRegistry {
  private entries: Entry[] = [];

  add(conn: Connection, info: BrowserInfo): void {
    this.entries = this.entries.filter((e) => e.conn !== conn);
    this.entries.push({ conn, info });
    conn.onClosed(() => {
      this.entries = this.entries.filter((e) => e.conn !== conn);
    });
  }

  list(): BrowserInfo[] {
    return this.entries.map((e) => ({ ...e.info }));
  }

  get count(): number {
    return this.entries.length;
  }

  /** Send a request to the current browser; NO_BROWSER, TIMEOUT or the browser's own answer. */
  async call(request: BrowserRequest, timeoutMs: number): Promise<BrowserResponse | Failure> {
    const current = this.entries[this.entries.length - 1];
    if (!current) {
      return fail('NO_BROWSER', 'no browser with the blindfill extension is connected (open the browser; check `blindfill host install`)');
    }
    const res = await current.conn.request({ op: 'browser_call', request }, timeoutMs);
    if (!res.ok) {
      if (res.code === 'DAEMON_UNAVAILABLE') return fail('NO_BROWSER', 'the browser disconnected before it answered');
      return fail(res.code, res.message);
    }
    const parsed = BrowserResponseSchema.safeParse(res.result);
    if (!parsed.success) return fail('INTERNAL', 'the browser answered with a malformed message');
    return parsed.data;
  }
}
