/**
 * Where a `confirm` credential's approval is asked: on the caller's display (as typing
 * is), never on one an agent user names.
 */
import { describe, expect, it } from 'vitest';
import { ok } from '../../shared/errors.js';
import type { DisplaySession } from '../../shared/ipc.js';
import type { DesktopKeyboard } from '../desktop/desktop.js';
import { dialogEnv } from '../desktop/display-session.js';
import type { CallMeta, DaemonContext } from './context.js';
import { fill } from './handlers/fill.js';
import { setKeyboardOpenerForTests, type } from './handlers/type.js';
import { RateLimiter } from './rate-limit.js';
import type { HeldCredential } from './secret-credential.js';

function setup() {
  const cred: HeldCredential = {
    label: 'guarded',
    username: Buffer.from('alice'),
    password: Buffer.from('CANARY-confirm-display'),
    origins: ['https://bank.test'],
    windows: ['Acme VPN'],
    policy: 'confirm',
  };
  const asked: (DisplaySession | undefined)[] = [];
  const browser = { verified: { browser: 'chromium', browserPid: 1, hostPid: 2, exe: '/usr/bin/chromium' } };
  const ctx = {
    vault: { get: () => ok(cred) },
    audit: { append: () => undefined },
    autoLock: { touch: () => undefined },
    now: () => 0,
    rateLimiter: new RateLimiter(1000),
    confirmTimeoutMs: 1000,
    testFillDelayMs: 0,
    browserWaitMs: 0,
    browserTimeoutMs: 1000,
    browsers: {
      pick: async () => browser,
      call: async (_b: unknown, req: { type: string }) =>
        req.type === 'probe'
          ? { ok: true, tabId: 1, origin: 'https://bank.test', targets: [{ frameId: 0, documentId: 'd', fields: ['username', 'password'] }] }
          : { ok: true, origin: 'https://bank.test', filled: ['username', 'password'], submitted: false },
    },
    confirmer: {
      ask: async (_q: unknown, _t: number, session?: DisplaySession) => {
        asked.push(session);
        return 'approved' as const;
      },
    },
  } as unknown as DaemonContext;
  const meta = (role: 'owner' | 'agent') => ({ caller: 'cli', peer: { role, describe: (c: string) => c, lineage: () => [] } }) as unknown as CallMeta;
  return { ctx, asked, meta };
}

const session = { DISPLAY: ':42', XAUTHORITY: '/home/me/.Xauthority' };

describe('confirm on the caller\'s display', () => {
  it('fill: the owner\'s display goes to the dialog; an agent user\'s is ignored', async () => {
    const { ctx, asked, meta } = setup();
    expect((await fill({ op: 'fill', label: 'guarded', session }, ctx, meta('owner'))).ok).toBe(true);
    expect((await fill({ op: 'fill', label: 'guarded', session }, ctx, meta('agent'))).ok).toBe(true);
    expect(asked).toEqual([session, undefined]);
  });

  it('type: the same rule', async () => {
    const { ctx, asked, meta } = setup();
    const kb = {
      describe: 'fake',
      focused: async () => ({ id: '1', title: 'Acme VPN' }),
      program: async () => ({ classes: ['acme'], pid: 3, exe: '/opt/acme' }),
      keyboardStateAltered: async () => false,
      untypeable: async () => 0,
      tap: async () => undefined,
      close: async () => undefined,
    } as unknown as DesktopKeyboard;
    setKeyboardOpenerForTests(async () => ok(kb));
    try {
      await type({ op: 'type', label: 'guarded', session }, ctx, meta('owner'));
      await type({ op: 'type', label: 'guarded', session }, ctx, meta('agent'));
    } finally {
      setKeyboardOpenerForTests(null);
    }
    expect(asked).toEqual([session, undefined]);
  });

  it('dialogEnv keeps the daemon\'s PATH and D-Bus, and swaps in only the caller\'s display', () => {
    const own = { PATH: '/bin', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x', DISPLAY: ':1', XAUTHORITY: '/old' };
    expect(dialogEnv({ DISPLAY: ':42' }, own)).toEqual({ PATH: '/bin', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x', DISPLAY: ':42' });
    expect(dialogEnv(undefined, own)).toBe(own);
    expect(dialogEnv({}, own)).toBe(own);
  });
});
