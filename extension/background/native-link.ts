/**
 * The native messaging port to the host (com.blindfill.host), kept open for the life of
 * the service worker (an open native port also keeps an MV3 worker alive, Chrome 105+).
 * On disconnect it reconnects with backoff: 250 ms doubling to 30 s, back to 250 ms once
 * a connection has stayed up for a minute. A host that exits or restarts is simply
 * reconnected to (Chrome starts a new host process for each connectNative).
 *
 * Frames (docs/ARCHITECTURE.md):
 *   host → extension  {t:"req", id, request}  answered with {t:"res", id, response}
 *   host → extension  {t:"hello", version, daemon}
 *   extension → host  {t:"req", id, op, ...}   answered with {t:"res", id, ok, ...}
 * Nothing here logs a message body: requests carry values.
 */

export interface PortLike {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(cb: (message: unknown) => void): void };
  onDisconnect: { addListener(cb: () => void): void };
}

export interface Timers {
  now(): number;
  setTimeout(cb: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface NativeLinkOptions {
  /** Opens a new port (chrome.runtime.connectNative). May throw. */
  connect: () => PortLike;
  /** Answers one host request (the BrowserRequest inside {t:"req"}); must not throw. */
  onRequest: (request: unknown) => Promise<unknown>;
  /** Called with the disconnect reason, if the browser gave one (chrome.runtime.lastError). */
  lastError?: () => string | undefined;
  timers?: Timers;
  minDelayMs?: number;
  maxDelayMs?: number;
  healthyMs?: number;
  /** Time allowed for an extension → host call (ms). */
  callTimeoutMs?: number;
}

export interface Hello {
  version?: string;
  daemon?: boolean;
}

export interface LinkState {
  connected: boolean;
  hello: Hello | null;
  /** Delay before the next reconnect attempt (ms), when not connected. */
  nextDelayMs: number;
  connects: number;
  lastError: string | null;
}

const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (cb, ms) => setTimeout(cb, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: unknown };

export class NativeLink {
  private port: PortLike | null = null;
  private connectedAt = 0;
  private delay: number;
  private retryTimer: unknown = null;
  private started = false;
  private hello: Hello | null = null;
  private connects = 0;
  private lastErr: string | null = null;
  private nextCallId = 1;
  private readonly pending = new Map<string, Pending>();
  private readonly timers: Timers;
  private readonly minDelay: number;
  private readonly maxDelay: number;
  private readonly healthyMs: number;
  private readonly callTimeoutMs: number;

  constructor(private readonly opts: NativeLinkOptions) {
    this.timers = opts.timers ?? realTimers;
    this.minDelay = opts.minDelayMs ?? 250;
    this.maxDelay = opts.maxDelayMs ?? 30_000;
    this.healthyMs = opts.healthyMs ?? 60_000;
    this.callTimeoutMs = opts.callTimeoutMs ?? 30_000;
    this.delay = this.minDelay;
  }

  /** Connect now unless connected or a reconnect is already scheduled. Idempotent. */
  start(): void {
    this.started = true;
    if (this.port || this.retryTimer !== null) return;
    this.open();
  }

  state(): LinkState {
    return { connected: this.port !== null, hello: this.hello, nextDelayMs: this.delay, connects: this.connects, lastError: this.lastErr };
  }

  /** Send a daemon op to the host (settings page, popup) and wait for its answer. */
  call(op: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const port = this.port;
    if (!port) return Promise.reject(new Error('the native host is not connected'));
    const id = `x${this.nextCallId++}`;
    return new Promise((resolve, reject) => {
      const timer = this.timers.setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`the native host did not answer ${op}`));
      }, this.callTimeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      try {
        port.postMessage({ ...params, t: 'req', id, op });
      } catch {
        this.timers.clearTimeout(timer);
        this.pending.delete(id);
        reject(new Error('the native host is not connected'));
      }
    });
  }

  private open(): void {
    this.retryTimer = null;
    let port: PortLike;
    try {
      port = this.opts.connect();
    } catch (e) {
      this.lastErr = e instanceof Error ? e.message.slice(0, 200) : 'connectNative failed';
      this.scheduleReconnect();
      return;
    }
    this.port = port;
    this.connects++;
    this.connectedAt = this.timers.now();
    port.onMessage.addListener((m) => {
      if (this.port === port) this.onMessage(port, m);
    });
    port.onDisconnect.addListener(() => {
      // Reading lastError marks it as checked (no "Unchecked runtime.lastError").
      const reason = this.opts.lastError?.();
      if (this.port !== port) return;
      this.lastErr = reason ? reason.slice(0, 200) : 'the native host disconnected';
      this.port = null;
      this.hello = null;
      for (const [id, p] of this.pending) {
        this.timers.clearTimeout(p.timer);
        p.reject(new Error('the native host disconnected'));
        this.pending.delete(id);
      }
      if (this.timers.now() - this.connectedAt >= this.healthyMs) this.delay = this.minDelay;
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    if (!this.started || this.retryTimer !== null) return;
    const wait = this.delay;
    this.delay = Math.min(this.delay * 2, this.maxDelay);
    this.retryTimer = this.timers.setTimeout(() => this.open(), wait);
  }

  private onMessage(port: PortLike, m: unknown): void {
    if (typeof m !== 'object' || m === null) return;
    const msg = m as Record<string, unknown>;
    if (msg.t === 'hello') {
      this.hello = {
        ...(typeof msg.version === 'string' ? { version: msg.version.slice(0, 50) } : {}),
        ...(typeof msg.daemon === 'boolean' ? { daemon: msg.daemon } : {}),
      };
      return;
    }
    if (msg.t === 'req' && (typeof msg.id === 'string' || typeof msg.id === 'number') && 'request' in msg) {
      const id = msg.id;
      void this.opts.onRequest(msg.request).then(
        (response) => this.post(port, { t: 'res', id, response }),
        () => this.post(port, { t: 'res', id, response: { ok: false, code: 'INTERNAL', message: 'the extension failed to handle a request' } }),
      );
      return;
    }
    if (msg.t === 'res' && typeof msg.id === 'string') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      this.timers.clearTimeout(p.timer);
      const { t: _t, id: _id, ...rest } = msg;
      p.resolve(rest);
    }
  }

  private post(port: PortLike, message: unknown): void {
    try {
      port.postMessage(message);
    } catch {
      // The port closed while the request was handled: the host is gone, so is the asker.
    }
  }
}
