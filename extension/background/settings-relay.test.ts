import { describe, expect, it, vi } from 'vitest';
import { EXTENSION_ID } from '../../shared/constants.js';
import type { LinkState } from '../../shared/settings-protocol.js';
import { createSettingsRelay } from './settings-relay.js';

const OPTIONS = { id: EXTENSION_ID, url: `chrome-extension://${EXTENSION_ID}/extension/options/options.html` };
const POPUP = { id: EXTENSION_ID, url: `chrome-extension://${EXTENSION_ID}/extension/popup/popup.html` };
const LINK: LinkState = { connected: true, daemon: true, version: '0.1.0', lastError: null };
const item = { label: 'a', origins: ['https://a.example'], windows: [], policy: 'auto', has_username: true, has_password: true, has_totp: false };

function relay(answer: (op: string, params: Record<string, unknown>) => unknown = () => ({ ok: true, result: { credentials: [item] } })) {
  const calls: Array<{ op: string; params: Record<string, unknown> }> = [];
  const reconnect = vi.fn();
  const r = createSettingsRelay({
    extensionId: EXTENSION_ID,
    call: async (op, params) => {
      calls.push({ op, params });
      const a = answer(op, params);
      if (a instanceof Error) throw a;
      return a;
    },
    link: () => LINK,
    reconnect,
  });
  return { r, calls, reconnect };
}

describe('settings relay', () => {
  it('relays an allowed op from the settings page, params unchanged, and the validated answer back', async () => {
    const { r, calls } = relay();
    expect(await r({ kind: 'daemon', op: 'list', params: {} }, OPTIONS)).toEqual({ ok: true, result: { credentials: [item] } });
    const params = { label: 'a', changes: { password: 'new-secret', origins: ['https://b.example'] }, passphrase: 'pp' };
    const u = relay(() => ({ ok: true, result: { updated: 'a', fields: ['origins', 'password'] } }));
    expect(await u.r({ kind: 'daemon', op: 'update', params }, OPTIONS)).toEqual({ ok: true, result: { updated: 'a', fields: ['origins', 'password'] } });
    expect(u.calls).toEqual([{ op: 'update', params }]);
    expect(calls).toEqual([{ op: 'list', params: {} }]);
  });

  it('does not answer senders that are not our pages (returns null, calls nothing)', () => {
    const { r, calls } = relay();
    for (const sender of [
      {},
      { id: EXTENSION_ID, url: 'https://evil.example/' },
      { id: 'abcdefghijklmnopabcdefghijklmnop', url: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/extension/options/options.html' },
      { id: EXTENSION_ID, url: `chrome-extension://${EXTENSION_ID}/page/filler.js` },
    ]) {
      expect(r({ kind: 'daemon', op: 'list', params: {} }, sender)).toBeNull();
      expect(r({ kind: 'link' }, sender)).toBeNull();
    }
    expect(calls).toEqual([]);
  });

  it('the popup gets status and lock, not list or update', async () => {
    const { r, calls } = relay((op) => (op === 'lock' ? { ok: true, result: { locked: true } } : { ok: true, result: { vault: 'locked', credentials: 0, browsers: [] } }));
    expect(await r({ kind: 'daemon', op: 'status', params: {} }, POPUP)).toMatchObject({ ok: true });
    expect(await r({ kind: 'daemon', op: 'lock', params: {} }, POPUP)).toEqual({ ok: true, result: { locked: true } });
    expect(await r({ kind: 'daemon', op: 'list', params: {} }, POPUP)).toMatchObject({ ok: false, code: 'INVALID_REQUEST' });
    expect(await r({ kind: 'daemon', op: 'update', params: { label: 'a', changes: {} } }, POPUP)).toMatchObject({ ok: false, code: 'INVALID_REQUEST' });
    expect(calls.map((c) => c.op)).toEqual(['status', 'lock']);
  });

  it('refuses malformed messages without quoting them', async () => {
    const { r, calls } = relay();
    const secret = 'Sup3r-secret-value';
    for (const m of [null, 'list', { kind: 'daemon', op: 'fill', params: { label: 'a' } }, { kind: 'daemon', op: 'add', params: { credentials: [{ label: 'BAD', password: secret }] } }]) {
      const a = (await r(m, OPTIONS)) as { ok: boolean; code: string; message: string };
      expect(a).toMatchObject({ ok: false, code: 'INVALID_REQUEST' });
      expect(a.message).not.toContain(secret);
    }
    expect(calls).toEqual([]);
  });

  it('passes failures through, and refuses results that do not validate (an extra field could be a secret)', async () => {
    const denied = relay(() => ({ ok: false, code: 'DENIED', message: 'widening needs the vault passphrase' }));
    expect(await denied.r({ kind: 'daemon', op: 'update', params: { label: 'a', changes: { origins: [] } } }, OPTIONS)).toEqual({
      ok: false,
      code: 'DENIED',
      message: 'widening needs the vault passphrase',
    });
    const leaky = relay(() => ({ ok: true, result: { credentials: [{ ...item, password: 'leaked' }] } }));
    const a = await leaky.r({ kind: 'daemon', op: 'list', params: {} }, OPTIONS);
    expect(a).toMatchObject({ ok: false, code: 'INTERNAL' });
    expect(JSON.stringify(a)).not.toContain('leaked');
  });

  it('a host that is not connected: DAEMON_UNAVAILABLE, and the link is asked to reconnect', async () => {
    const { r, reconnect } = relay(() => new Error('the native host is not connected'));
    expect(await r({ kind: 'daemon', op: 'status', params: {} }, OPTIONS)).toMatchObject({ ok: false, code: 'DAEMON_UNAVAILABLE' });
    expect(reconnect).toHaveBeenCalledOnce();
  });

  it('answers the link state', async () => {
    const { r } = relay();
    expect(await r({ kind: 'link' }, POPUP)).toEqual({ ok: true, result: LINK });
  });
});
