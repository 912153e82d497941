import { describe, expect, it } from 'vitest';
import { fail, ok } from '../../../shared/errors.js';
import type { CallMeta, DaemonContext } from '../context.js';
import { type HeldCredential, summarize } from '../secret-credential.js';
import { reused } from './reused.js';

function fakeCtx(creds: HeldCredential[] | null) {
  const audit: unknown[] = [];
  const ctx = {
    vault: {
      list: () => (creds === null ? fail('VAULT_LOCKED', 'locked') : ok(creds.map(summarize))),
      get: (label: string) => {
        const c = creds?.find((x) => x.label === label);
        return c ? ok(c) : fail('UNKNOWN_LABEL', label);
      },
    },
    audit: { append: (e: unknown) => audit.push(e) },
    autoLock: { touch: () => undefined },
  } as unknown as DaemonContext;
  return { ctx, audit };
}

const held = (label: string, password?: string): HeldCredential => ({
  label,
  origins: ['https://x.test'],
  windows: [],
  policy: 'auto',
  ...(password !== undefined ? { password: Buffer.from(password) } : {}),
});
const meta = (caller: CallMeta['caller']) => ({ caller, conn: {} }) as unknown as CallMeta;

describe('reused', () => {
  it('groups labels sharing a password; never returns a password or hash', async () => {
    const { ctx } = fakeCtx([held('a', 'same-pw'), held('b', 'other'), held('c', 'same-pw'), held('d'), held('e', 'other'), held('f', 'unique')]);
    const r = await reused({ op: 'reused' }, ctx, meta('cli'));
    expect(r).toEqual({ ok: true, value: { groups: [['a', 'c'], ['b', 'e']] } });
    expect(JSON.stringify(r)).not.toMatch(/same-pw|other/);
  });
  it('is refused to the extension and audited', async () => {
    const { ctx, audit } = fakeCtx([held('a', 'x'), held('b', 'x')]);
    const r = await reused({ op: 'reused' }, ctx, meta('extension'));
    expect(r).toMatchObject({ ok: false, code: 'DENIED' });
    expect(audit).toEqual([{ event: 'refusal', caller: 'extension', code: 'DENIED', detail: 'reused' }]);
  });
  it('needs an unlocked vault', async () => {
    const { ctx } = fakeCtx(null);
    expect(await reused({ op: 'reused' }, ctx, meta('mcp'))).toMatchObject({ ok: false, code: 'VAULT_LOCKED' });
  });
});
