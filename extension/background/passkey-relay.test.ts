import { describe, expect, it } from 'vitest';
import { createPasskeyRelay, SPENT_KEEP_MS, TabArms } from './passkey-relay.js';

const GET = { blindfill_passkey: 1, kind: 'get', options: { challenge: 'AAAA', rpId: 'example.com' }, frame_allowed: false };

function setup(now = { t: 1_000 }) {
  const arms = new TabArms(() => now.t);
  const calls: Array<{ op: string; params: Record<string, unknown> }> = [];
  const relay = createPasskeyRelay({
    extensionId: 'ext',
    arms,
    getTab: async (id) => ({ id, url: 'https://www.example.com/login' }),
    connectionProblem: async () => null,
    call: async (op, params) => {
      calls.push({ op, params });
      return { ok: true, result: { signed: true } };
    },
  });
  return { arms, calls, relay, now };
}

describe('TabArms', () => {
  it('relays while armed, keeps relaying a spent or expired arm for a while (the daemon says why), then passes through', () => {
    const now = { t: 0 };
    const a = new TabArms(() => now.t);
    expect(a.route(1, 'get')).toBe('passthrough');
    a.arm(1, 'get', 1_000);
    expect(a.route(1, 'create')).toBe('passthrough');
    expect(a.route(2, 'get')).toBe('passthrough');
    expect(a.route(1, 'get')).toBe('relay');
    expect(a.route(1, 'get')).toBe('relay');
    now.t = SPENT_KEEP_MS + 1;
    expect(a.route(1, 'get')).toBe('passthrough');
    a.arm(1, 'get', 1_000);
    a.disarm(1, 'get');
    expect(a.route(1, 'get')).toBe('passthrough');
  });
});

describe('passkey relay', () => {
  it('passes an unarmed tab through without calling the daemon', async () => {
    const { relay, calls } = setup();
    expect(await relay(GET, { id: 'ext', tab: { id: 3 }, frameId: 0, url: 'https://www.example.com/login', origin: 'https://www.example.com' })).toEqual({ passthrough: true });
    expect(calls).toHaveLength(0);
  });

  it('takes the origins from the sender and the tab, and marks a child frame of another origin cross-origin', async () => {
    const { relay, calls, arms } = setup();
    arms.arm(3, 'get', 60_000);
    const r = await relay(GET, { id: 'ext', tab: { id: 3 }, frameId: 5, url: 'https://auth.example.com/frame', origin: 'https://auth.example.com' });
    expect(r).toEqual({ ok: true, result: { signed: true } });
    expect(calls[0]).toEqual({
      op: 'passkey_get',
      params: { tab_id: 3, origin: 'https://auth.example.com', top_origin: 'https://www.example.com', cross_origin: true, frame_allowed: false, options: GET.options },
    });
  });

  it('refuses other senders and unknown fields', async () => {
    const { relay, arms } = setup();
    arms.arm(3, 'get', 60_000);
    expect(await relay(GET, { id: 'other', tab: { id: 3 }, url: 'https://www.example.com/' })).toMatchObject({ ok: false, code: 'UNTRUSTED_CALLER' });
    expect(await relay({ ...GET, origin: 'https://bank.example' }, { id: 'ext', tab: { id: 3 }, url: 'https://www.example.com/' })).toMatchObject({ ok: false, code: 'INVALID_REQUEST' });
  });
});

describe('passkey_arm in the request handler', () => {
  it('arms the active tab (origin from the tab, never a secret), refuses a bad TLS state, and disarms', async () => {
    const { createHandler } = await import('./handler.js');
    const arms = new TabArms();
    let bad = false;
    const api = {
      activeTab: async () => ({ id: 9, url: 'https://www.example.com/signin?x=1' }),
      getTab: async () => null,
      injectFile: async () => [],
      callGlobal: async () => [],
      connectionProblem: async () => (bad ? 'certificate error' : null),
      watchTab: () => () => undefined,
    };
    const handle = createHandler(api, { passkeyArms: arms });
    expect(await handle({ type: 'passkey_arm', kind: 'get', ttl_ms: 60_000 })).toEqual({ ok: true, tabId: 9, origin: 'https://www.example.com', armed: 'get' });
    expect(arms.route(9, 'get')).toBe('relay');
    await handle({ type: 'passkey_disarm', tabId: 9, kind: 'get' });
    expect(arms.route(9, 'get')).toBe('passthrough');
    bad = true;
    expect(await handle({ type: 'passkey_arm', kind: 'create', ttl_ms: 60_000 })).toMatchObject({ ok: false, code: 'INSECURE_CONNECTION' });
    expect(arms.route(9, 'create')).toBe('passthrough');
  });
});
