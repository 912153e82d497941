import { afterEach, describe, expect, it } from 'vitest';
import { ok } from '../../../shared/errors.js';
import type { AuditEvent } from '../../audit/chain.js';
import type { DesktopKeyboard, FocusedWindow, KeyStroke } from '../../desktop/desktop.js';
import type { WindowProgram } from '../../desktop/window-match.js';
import type { ConfirmOutcome } from '../confirm.js';
import type { CallMeta, DaemonContext } from '../context.js';
import { RateLimiter } from '../rate-limit.js';
import type { HeldCredential } from '../secret-credential.js';
import { setKeyboardOpenerForTests, type } from './type.js';

const SECRET = 'CANARY-type-pw';

class FakeKb implements DesktopKeyboard {
  readonly describe = 'a fake display';
  typed = '';
  active = 0;
  maxActive = 0;
  window: FocusedWindow | null = { id: '1', title: 'Acme VPN — Connect' };
  prog: WindowProgram = { classes: ['acme-vpn', 'Acme-vpn'], pid: 9, exe: '/opt/acme/vpn' };
  async focused() {
    return this.window;
  }
  async program() {
    return this.prog;
  }
  async keyboardStateAltered() {
    return false;
  }
  async untypeable(strokes: readonly KeyStroke[]) {
    return strokes.filter((k) => k.kind === 'char' && k.cp > 0x7e).length;
  }
  async tap(k: KeyStroke) {
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    await new Promise((r) => setTimeout(r, 1));
    this.typed += k.kind === 'char' ? String.fromCodePoint(k.cp) : k.kind === 'tab' ? '⇥' : '⏎';
    this.active--;
  }
  async close() {}
}

function setup(creds: Partial<HeldCredential>[], outcome: ConfirmOutcome = 'approved') {
  const held = new Map<string, HeldCredential>();
  for (const c of creds) {
    const h: HeldCredential = { label: 'x', origins: [], windows: ['acme vpn — connect'], policy: 'auto', ...c };
    held.set(h.label, h);
  }
  const audit: AuditEvent[] = [];
  const ctx = {
    vault: { get: (l: string) => (held.has(l) ? ok(held.get(l)!) : { ok: false, code: 'UNKNOWN_LABEL', message: `no credential is labelled "${l}"` }) },
    audit: { append: (e: AuditEvent) => audit.push(e) },
    autoLock: { touch: () => undefined },
    now: () => 59_000,
    rateLimiter: new RateLimiter(1000),
    confirmTimeoutMs: 1000,
    confirmer: { ask: async () => outcome },
  } as unknown as DaemonContext;
  const kb = new FakeKb();
  setKeyboardOpenerForTests(async () => ok(kb));
  const meta = { caller: 'mcp' } as CallMeta;
  const call = (label: string, extra: { field?: 'username' | 'password' | 'totp' | 'sequence'; submit?: boolean } = {}) =>
    type({ op: 'type', label, ...extra }, ctx, meta);
  return { ctx, kb, audit, call };
}
const b = (s: string) => Buffer.from(s);

afterEach(() => setKeyboardOpenerForTests(null));

describe('type handler', () => {
  it('field defaults to password without a sequence; --submit adds Enter; audited by window and field', async () => {
    const { kb, audit, call } = setup([{ label: 'vpn', username: b('alice'), password: b(SECRET) }]);
    expect(await call('vpn', { submit: true })).toEqual(ok({ ok: true, label: 'vpn', window: 'Acme VPN — Connect', field: 'password' }));
    expect(kb.typed).toBe(`${SECRET}⏎`);
    expect(audit).toEqual([{ event: 'type', label: 'vpn', target: 'Acme VPN — Connect', caller: 'mcp', detail: 'password' }]);
  });

  it('field defaults to the credential\'s sequence; submit does not press Enter twice', async () => {
    const { kb, call } = setup([{ label: 'vpn', username: b('alice'), password: b('pw'), sequence: 'user {USERNAME}{TAB}{PASSWORD}{ENTER}' }]);
    expect(await call('vpn', { submit: true })).toMatchObject({ ok: true, value: { field: 'sequence' } });
    expect(kb.typed).toBe('user alice⇥pw⏎');
  });

  it('field sequence without a sequence types KeePassXC\'s default', async () => {
    const { kb, call } = setup([{ label: 'vpn', username: b('alice'), password: b('pw') }]);
    expect(await call('vpn', { field: 'sequence' })).toMatchObject({ ok: true });
    expect(kb.typed).toBe('alice⇥pw⏎');
  });

  it('TOTP is typed as the code of the moment', async () => {
    const { kb, call } = setup([{ label: 'vpn', totp: { secret: b('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'), digits: 8, period: 30, algorithm: 'SHA1' } }]);
    expect(await call('vpn', { field: 'totp' })).toMatchObject({ ok: true });
    expect(kb.typed).toBe('94287082'); // RFC 6238 test vector at T = 59 s
  });

  it.each([
    ['nope', {}, 'UNKNOWN_LABEL'],
    ['nowin', {}, 'WINDOW_MISMATCH'],
    ['vpn', { field: 'username' as const }, 'NO_FILLABLE_FIELD'],
    ['vpn', { field: 'totp' as const }, 'NO_FILLABLE_FIELD'],
    ['badseq', {}, 'INVALID_REQUEST'],
    ['accent', {}, 'UNTYPEABLE'],
    ['guarded', {}, 'DENIED'],
  ])('%s %j → %s, audited, nothing typed, no value in the message', async (label, extra, code) => {
    const { kb, audit, call } = setup(
      [
        { label: 'vpn', password: b(SECRET) },
        { label: 'nowin', password: b(SECRET), windows: [] },
        { label: 'badseq', password: b(SECRET), sequence: '{PASSWORD}{F5}' },
        { label: 'accent', password: b(`${SECRET}é`) },
        { label: 'guarded', password: b(SECRET), policy: 'confirm' },
      ],
      'denied',
    );
    const r = await call(label, extra);
    expect(r).toMatchObject({ ok: false, code });
    expect(kb.typed).toBe('');
    expect(audit).toEqual([expect.objectContaining({ event: 'refusal', label, code, caller: 'mcp', detail: 'type' })]);
    expect(JSON.stringify([r, audit])).not.toContain('CANARY');
  });

  it('WINDOW_MISMATCH names the focused window when it does not match', async () => {
    const { kb, call } = setup([{ label: 'vpn', password: b(SECRET) }]);
    kb.window = { id: '2', title: 'Notes' };
    const r = await call('vpn');
    expect(r).toMatchObject({ ok: false, code: 'WINDOW_MISMATCH' });
    expect(!r.ok && r.message).toMatch(/"Notes" does not match the windows of "vpn" \("acme vpn — connect"\)/);
  });

  it('a browser window with the matching title is refused unless the entry names the browser', async () => {
    const { kb, audit, call } = setup([
      { label: 'vpn', password: b(SECRET) },
      { label: 'named', password: b(SECRET), windows: ['{class=chromium}Acme VPN — Connect'] },
    ]);
    kb.prog = { classes: ['chromium', 'Chromium'], pid: 9, exe: '/usr/lib/chromium/chromium' };
    const r = await call('vpn');
    expect(r).toMatchObject({ ok: false, code: 'WINDOW_MISMATCH' });
    expect(!r.ok && r.message).toMatch(/browser window \(chromium\)/);
    expect(kb.typed).toBe('');
    expect(await call('named')).toMatchObject({ ok: true });
    expect(kb.typed).toBe(SECRET);
    expect(JSON.stringify(audit)).not.toContain('CANARY');
  });

  it('titles are shown without control and bidi characters; the confirm dialog names the program', async () => {
    const asked: unknown[] = [];
    const { ctx, kb, audit, call } = setup([{ label: 'vpn', password: b(SECRET), windows: ['//^Acme//'], policy: 'confirm' }]);
    (ctx as { confirmer: unknown }).confirmer = { ask: async (q: unknown) => {
        asked.push(q);
        return 'approved';
      },
    };
    kb.window = { id: '1', title: 'Acme\u202e VPN\u0007' };
    const r = await call('vpn');
    expect(r).toMatchObject({ ok: true, value: { window: 'Acme VPN' } });
    expect(asked).toEqual([{ label: 'vpn', action: 'type', target: 'Acme VPN', program: 'acme-vpn/Acme-vpn (/opt/acme/vpn, pid 9)' }]);
    expect(audit).toEqual([expect.objectContaining({ event: 'type', target: 'Acme VPN' })]);
  });

  it('runs one type at a time: a second request waits for the first', async () => {
    const { kb, call } = setup([{ label: 'a', password: b('aaaaaaaa') }, { label: 'b', password: b('bbbbbbbb') }]);
    const [ra, rb] = await Promise.all([call('a'), call('b')]);
    expect(ra.ok && rb.ok).toBe(true);
    expect(kb.typed).toBe('aaaaaaaabbbbbbbb');
    expect(kb.maxActive).toBe(1);
  });
});
