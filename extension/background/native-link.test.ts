import { describe, expect, it } from 'vitest';
import { NativeLink, type PortLike, type Timers } from './native-link.js';

class FakePort implements PortLike {
  sent: unknown[] = [];
  private msgListeners: Array<(m: unknown) => void> = [];
  private discListeners: Array<() => void> = [];
  closed = false;
  onMessage = { addListener: (cb: (m: unknown) => void) => void this.msgListeners.push(cb) };
  onDisconnect = { addListener: (cb: () => void) => void this.discListeners.push(cb) };
  postMessage(m: unknown): void {
    if (this.closed) throw new Error('Attempting to use a disconnected port object');
    this.sent.push(m);
  }
  disconnect(): void {
    this.closed = true;
  }
  /** The host sends a message. */
  receive(m: unknown): void {
    for (const l of this.msgListeners) l(m);
  }
  /** The host exits. */
  drop(): void {
    this.closed = true;
    for (const l of this.discListeners) l();
  }
}

class FakeTimers implements Timers {
  t = 0;
  private queue: Array<{ at: number; cb: () => void; id: number }> = [];
  private next = 1;
  now(): number {
    return this.t;
  }
  setTimeout(cb: () => void, ms: number): unknown {
    const id = this.next++;
    this.queue.push({ at: this.t + ms, cb, id });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.queue = this.queue.filter((q) => q.id !== h);
  }
  /** Advance time, running due timers in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const q = this.queue[0];
      if (!q || q.at > end) break;
      this.queue.shift();
      this.t = q.at;
      q.cb();
    }
    this.t = end;
  }
  pending(): number[] {
    return this.queue.map((q) => q.at - this.t).sort((a, b) => a - b);
  }
}

const flush = () => new Promise((r) => setTimeout(r, 0));

function setup(onRequest: (r: unknown) => Promise<unknown> = async () => ({ ok: true, version: 't' })) {
  const timers = new FakeTimers();
  const ports: FakePort[] = [];
  let refuse = false;
  const link = new NativeLink({
    connect: () => {
      if (refuse) throw new Error('Specified native messaging host not found.');
      const p = new FakePort();
      ports.push(p);
      return p;
    },
    onRequest,
    timers,
    lastError: () => 'Native host has exited.',
  });
  return { link, timers, ports, setRefuse: (v: boolean) => (refuse = v) };
}

describe('NativeLink', () => {
  it('connects once on start (idempotent) and records hello', () => {
    const { link, ports } = setup();
    link.start();
    link.start();
    expect(ports).toHaveLength(1);
    ports[0]!.receive({ t: 'hello', version: '0.1.0', daemon: true });
    expect(link.state()).toMatchObject({ connected: true, hello: { version: '0.1.0', daemon: true } });
  });

  it('answers {t:"req"} with {t:"res", id, response}', async () => {
    const seen: unknown[] = [];
    const { link, ports } = setup(async (r) => {
      seen.push(r);
      return { ok: true, version: 'x' };
    });
    link.start();
    ports[0]!.receive({ t: 'req', id: 42, request: { type: 'ping' } });
    await flush();
    expect(seen).toEqual([{ type: 'ping' }]);
    expect(ports[0]!.sent).toEqual([{ t: 'res', id: 42, response: { ok: true, version: 'x' } }]);
  });

  it('ignores malformed frames and requests without an id', async () => {
    const seen: unknown[] = [];
    const { link, ports } = setup(async (r) => {
      seen.push(r);
      return {};
    });
    link.start();
    for (const m of [null, 'x', { t: 'req', request: {} }, { t: 'req', id: {}, request: {} }, { t: 'zzz' }]) ports[0]!.receive(m);
    await flush();
    expect(seen).toEqual([]);
    expect(ports[0]!.sent).toEqual([]);
  });

  it('a handler that throws still gets an INTERNAL answer', async () => {
    const { link, ports } = setup(async () => {
      throw new Error('boom');
    });
    link.start();
    ports[0]!.receive({ t: 'req', id: 'a', request: {} });
    await flush();
    expect(ports[0]!.sent).toEqual([{ t: 'res', id: 'a', response: { ok: false, code: 'INTERNAL', message: expect.any(String) } }]);
  });

  it('reconnects with backoff 250 ms doubling to 30 s', () => {
    const { link, ports, timers } = setup();
    link.start();
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      ports[ports.length - 1]!.drop();
      const [d] = timers.pending();
      delays.push(d!);
      timers.advance(d!);
    }
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(ports).toHaveLength(11);
    expect(link.state().lastError).toBe('Native host has exited.');
  });

  it('resets the backoff after a healthy minute', () => {
    const { link, ports, timers } = setup();
    link.start();
    for (let i = 0; i < 4; i++) {
      ports[ports.length - 1]!.drop();
      timers.advance(timers.pending()[0]!);
    }
    expect(link.state().nextDelayMs).toBe(4000);
    timers.advance(60_000);
    ports[ports.length - 1]!.drop();
    expect(timers.pending()).toEqual([250]);
  });

  it('keeps retrying when connectNative itself throws, and recovers', () => {
    const { link, ports, timers, setRefuse } = setup();
    setRefuse(true);
    link.start();
    expect(link.state().connected).toBe(false);
    timers.advance(250);
    timers.advance(500);
    setRefuse(false);
    timers.advance(1000);
    expect(ports).toHaveLength(1);
    expect(link.state().connected).toBe(true);
  });

  it('survives the host restarting: requests on the new port are answered there', async () => {
    const { link, ports, timers } = setup();
    link.start();
    ports[0]!.drop();
    timers.advance(250);
    ports[1]!.receive({ t: 'req', id: 1, request: { type: 'ping' } });
    await flush();
    expect(ports[1]!.sent).toHaveLength(1);
    // Late messages from the dead port are ignored.
    ports[0]!.receive({ t: 'req', id: 2, request: { type: 'ping' } });
    await flush();
    expect(ports[0]!.sent).toEqual([]);
  });

  it('an answer for a port that closed meanwhile is dropped without throwing', async () => {
    let release: (v: unknown) => void = () => {};
    const { link, ports } = setup(() => new Promise((r) => (release = r)));
    link.start();
    ports[0]!.receive({ t: 'req', id: 1, request: {} });
    ports[0]!.drop();
    release({ ok: true });
    await flush();
    expect(ports[0]!.sent).toEqual([]);
  });

  it('call(): extension → host request, answered by {t:"res"}; rejected on disconnect', async () => {
    const { link, ports } = setup();
    link.start();
    const p = link.call('status');
    const sent = ports[0]!.sent[0] as { t: string; id: string; op: string };
    expect(sent).toMatchObject({ t: 'req', op: 'status' });
    ports[0]!.receive({ t: 'res', id: sent.id, ok: true, result: { vault: 'locked' } });
    await expect(p).resolves.toEqual({ ok: true, result: { vault: 'locked' } });
    const q = link.call('list');
    ports[0]!.drop();
    await expect(q).rejects.toThrow(/disconnected/);
    await expect(link.call('x')).rejects.toThrow(/not connected/);
  });
});
