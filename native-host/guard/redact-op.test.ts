/** The daemon's `redact` op over a real VaultState: lock, vault changes, callers. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseClientRequest } from '../../shared/ipc.js';
import type { CallMeta, DaemonContext } from '../daemon/context.js';
import { redact, scrubberFor } from '../daemon/handlers/redact.js';
import { ATTACHMENT } from '../ipc/connection.js';
import { PeerState } from '../daemon/peers.js';
import { VaultState } from '../daemon/vault-state.js';
import { resolvePaths } from '../paths.js';
import { memoryKeyStore } from '../vault/keychain.js';

let dir: string;
let vault: VaultState;
let ctx: DaemonContext;
const meta = (caller: CallMeta['caller']) => ({ caller, peer: new PeerState(null, caller === 'extension' ? 'browser' : 'owner'), conn: null as never }) as CallMeta;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-redact-'));
  vault = new VaultState({ paths: resolvePaths({ BLINDFILL_HOME: path.join(dir, 'home') }), keyStore: () => memoryKeyStore(), onKey: () => undefined });
  expect((await vault.init('keychain', undefined)).ok).toBe(true);
  ctx = { vault, now: () => Date.now() } as unknown as DaemonContext;
});
afterEach(() => {
  vault.lock();
  fs.rmSync(dir, { recursive: true, force: true });
});

const call = async (body: Record<string, unknown>, caller: CallMeta['caller'] = 'cli', attachment?: Buffer, conn: object = {}) => {
  const parsed = parseClientRequest({ t: 'req', id: 1, caller, op: 'redact', ...body });
  if (!parsed.ok) throw new Error(parsed.where);
  return redact(parsed.request as never, ctx, { ...meta(caller), conn: conn as never, attachment });
};

describe('redact op', () => {
  it('bytes: raw pieces in and out, the tail held per connection and stream, split secrets caught', async () => {
    vault.add([{ label: 'bank', password: 'pa55-word-xyz' }]);
    const conn = {};
    const piece = async (bytes: Buffer, more: boolean, stream = 's1') => {
      const r = await call({ bytes: true, stream, more }, 'cli', bytes, conn);
      if (!r.ok) throw new Error(r.code);
      const v = r.value as { replaced: number; [ATTACHMENT]?: Buffer };
      expect(Object.keys(v)).toEqual(['replaced']); // nothing but the count in the JSON
      return v[ATTACHMENT]!;
    };
    const binary = Buffer.from([0x00, 0xff, 0x0a, 0x80]);
    const out = Buffer.concat([
      await piece(Buffer.concat([binary, Buffer.from(' pa55-wo')]), true),
      await piece(Buffer.from('x'), true, 's2'), // another stream on the same connection
      await piece(Buffer.from('rd-xyz end'), false),
    ]);
    expect(out.equals(Buffer.concat([binary, Buffer.from(' [blindfill:bank] end')]))).toBe(true);
    expect((await piece(Buffer.alloc(0), false, 's2')).toString()).toBe('x');
  });

  it('bytes: refused without the bytes, with text, or outside a stream', async () => {
    for (const [body, bytes] of [
      [{ bytes: true, stream: 's', more: true }, undefined],
      [{ bytes: true, stream: 's', more: true, text: 'x' }, Buffer.from('x')],
      [{ bytes: true, more: true }, Buffer.from('x')],
      [{ bytes: true, stream: 's' }, Buffer.from('x')],
    ] as const) {
      expect(await call(body, 'cli', bytes)).toMatchObject({ ok: false, code: 'INVALID_REQUEST' });
    }
    expect(await call({ bytes: true, stream: 's', more: true }, 'extension', Buffer.from('x'))).toMatchObject({ ok: false, code: 'DENIED' });
  });

  it('scrubs text and texts; unchanged texts come back as sent', async () => {
    vault.add([{ label: 'bank', password: 'pa55-word-xyz' }]);
    expect(await call({ text: 'a pa55-word-xyz b' })).toEqual({ ok: true, value: { text: 'a [blindfill:bank] b', replaced: 1 } });
    expect(await call({ texts: ['x', 'pa55-word-xyz', ''] })).toEqual({ ok: true, value: { texts: ['x', '[blindfill:bank]', ''], replaced: 1 } });
  });

  it('follows every vault change: add, update, remove', async () => {
    vault.add([{ label: 'a', password: 'first-secret-1' }]);
    expect(await call({ text: 'first-secret-1' })).toMatchObject({ value: { text: '[blindfill:a]' } });
    vault.add([{ label: 'b', password: 'second-secret-2' }]);
    expect(await call({ text: 'second-secret-2' })).toMatchObject({ value: { text: '[blindfill:b]' } });
    const held = vault.get('a');
    if (!held.ok) throw new Error('a');
    vault.replace('a', { ...held.value, password: Buffer.from('changed-secret-3') });
    expect(await call({ text: 'changed-secret-3' })).toMatchObject({ value: { text: '[blindfill:a]' } });
    vault.remove('b');
    expect(await call({ text: 'second-secret-2' })).toMatchObject({ value: { text: 'second-secret-2' } });
  });

  it('locked: VAULT_LOCKED, never the text, and the patterns are zeroed at lock time', async () => {
    vault.add([{ label: 'a', password: 'lock-me-secret' }]);
    await call({ text: 'warm' });
    const built = (scrubberFor(vault, Date.now) as unknown as { built: { fixed: { data: Uint8Array } } }).built;
    const data = built.fixed.data;
    vault.lock();
    expect(data.every((b) => b === 0)).toBe(true);
    const r = await call({ text: 'lock-me-secret' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('VAULT_LOCKED');
    expect(JSON.stringify(r)).not.toContain('lock-me');
    const s = await call({ text: '', more: false });
    expect(s.ok).toBe(false);
  });

  it('refuses the extension, and bad shapes', async () => {
    vault.add([{ label: 'a', password: 'ext-secret-12' }]);
    expect(await call({ text: 'x' }, 'extension')).toMatchObject({ ok: false, code: 'DENIED' });
    expect(await call({})).toMatchObject({ ok: false, code: 'INVALID_REQUEST' });
    expect(await call({ text: 'a', texts: ['b'] })).toMatchObject({ ok: false, code: 'INVALID_REQUEST' });
    expect(await call({ texts: ['b'], more: true })).toMatchObject({ ok: false, code: 'INVALID_REQUEST' });
  });

  it('streams with the tail kept in the daemon (per connection and stream id)', async () => {
    vault.add([{ label: 'a', password: 'piped-secret-77' }]);
    const conn = {} as never;
    const call2 = async (body: Record<string, unknown>, c: object) => {
      const parsed = parseClientRequest({ t: 'req', id: 1, caller: 'cli', op: 'redact', ...body });
      if (!parsed.ok) throw new Error(parsed.where);
      const r = await redact(parsed.request as never, ctx, { caller: 'cli', conn: c } as CallMeta);
      if (!r.ok) throw new Error(r.code);
      return (r.value as { text: string; rest?: string }).text;
    };
    const text = 'x piped-secret-77 y piped-secret-77 z';
    for (let i = 0; i <= text.length; i++) {
      const other = {} as never; // another connection's stream of the same id does not mix in
      await call2({ text: 'piped-sec', more: true, stream: 's' }, other);
      const out = (await call2({ text: text.slice(0, i), more: true, stream: 's' }, conn)) + (await call2({ text: text.slice(i), more: false, stream: 's' }, conn));
      expect(out, `split at ${i}`).toBe('x [blindfill:a] y [blindfill:a] z');
    }
    expect(await call({ text: 'a', stream: 's' })).toMatchObject({ ok: false, code: 'INVALID_REQUEST' });
  });

  it('streams with latin1: bytes 0-255 round-trip, a tail is held back', async () => {
    vault.add([{ label: 'a', password: 'stream-secret-99' }]);
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const text = Buffer.concat([bytes, Buffer.from('stream-secr')]).toString('latin1');
    const r1 = await call({ text, encoding: 'latin1', more: true });
    if (!r1.ok) throw new Error(r1.code);
    const v1 = r1.value as { text: string; rest: string };
    expect(Buffer.from(v1.text, 'latin1').equals(bytes.subarray(0, v1.text.length))).toBe(true);
    const r2 = await call({ text: `${v1.rest}et-99!`, encoding: 'latin1', more: false });
    if (!r2.ok) throw new Error(r2.code);
    expect(v1.text + (r2.value as { text: string }).text).toBe(`${bytes.toString('latin1')}[blindfill:a]!`);
  });
});
