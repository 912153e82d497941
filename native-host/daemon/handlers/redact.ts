/**
 * redact: scrub every form of every vault secret (and the one-time codes valid now) from
 * text, for `blindfill guard` and `blindfill redact`. The secrets never leave the daemon:
 * callers send text and get it back with `[blindfill:LABEL]` where a secret was.
 *
 * The scrubber (native-host/guard/) is built from the vault on first use and dropped, its
 * patterns zeroed, on every vault change and on lock. Locked: VAULT_LOCKED, never the text
 * unchanged. Refused to the extension (the native host's allow-list excludes it too).
 * Not audited per call (a guard scrubs every tool result), and it does not count as a use
 * of the vault for the idle timer: a busy guard does not keep the vault unlocked.
 */
import { fail, ok } from '../../../shared/errors.js';
import type { RedactResult } from '../../../shared/ipc.js';
import { type ScrubCredential, SecretScrubber } from '../../guard/scrubber.js';
import { ATTACHMENT } from '../../ipc/connection.js';
import type { Handler } from '../context.js';
import type { VaultState } from '../vault-state.js';

const scrubbers = new WeakMap<VaultState, SecretScrubber>();
/** Undecided stream tails (the caller's own input), per connection and stream id. */
const streams = new WeakMap<object, Map<string, Buffer>>();

function credentialsOf(vault: VaultState): ScrubCredential[] | null {
  const list = vault.list();
  if (!list.ok) return null;
  const out: ScrubCredential[] = [];
  for (const s of list.value) {
    const h = vault.get(s.label);
    if (!h.ok) continue;
    const c = h.value;
    out.push({
      label: c.label,
      ...(c.password ? { password: c.password } : {}),
      ...(c.totp ? { totp: { secret: c.totp.secret, digits: c.totp.digits, period: c.totp.period, algorithm: c.totp.algorithm } } : {}),
    });
    // A changed password's other versions are secrets too.
    for (const other of [c.newPassword, c.previousPassword]) if (other) out.push({ label: c.label, password: other });
  }
  return out;
}

export function scrubberFor(vault: VaultState, now: () => number): SecretScrubber {
  let s = scrubbers.get(vault);
  if (!s) {
    const created = new SecretScrubber({
      source: () => credentialsOf(vault),
      unlocked: () => vault.isUnlocked,
      now,
      log: (m) => process.stderr.write(`blindfill-daemon[${process.pid}] ${m}\n`),
    });
    vault.onChange(() => created.invalidate());
    scrubbers.set(vault, created);
    s = created;
  }
  return s;
}

/** Raw bytes as a Buffer, without a copy. */
function asBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/** One piece of a stream whose tail this connection keeps under `stream`. */
function scrubHeld(scrubber: SecretScrubber, conn: object, stream: string, piece: Buffer, more: boolean, utf8: boolean) {
  const held = streams.get(conn) ?? new Map<string, Buffer>();
  streams.set(conn, held);
  const before = held.get(stream);
  const r = scrubber.scrubStream(before ? Buffer.concat([before, piece]) : piece, !more, utf8);
  if (!r.ok || !more) held.delete(stream);
  if (r.ok && more) held.set(stream, Buffer.from(r.value.rest));
  return r;
}

export const redact: Handler<'redact'> = async (req, ctx, meta) => {
  if (meta.caller === 'extension') return fail('DENIED', 'redact is not available to the browser extension');
  if (req.bytes === true) {
    // Raw bytes in, raw bytes out: no text, no JSON escaping, no copies for the wire.
    if (req.text !== undefined || req.texts !== undefined || req.stream === undefined || req.more === undefined || meta.attachment === undefined) {
      return fail('INVALID_REQUEST', 'redact: bytes needs stream, more and the bytes themselves (bin), and no text');
    }
    const r = scrubHeld(scrubberFor(ctx.vault, ctx.now), meta.conn, req.stream, meta.attachment, req.more, false);
    if (!r.ok) return r;
    return ok({ replaced: r.value.replaced, [ATTACHMENT]: asBuffer(r.value.out) });
  }
  const single = req.text !== undefined;
  if (single === (req.texts !== undefined)) return fail('INVALID_REQUEST', 'redact: give exactly one of text or texts');
  if (req.more && !single) return fail('INVALID_REQUEST', 'redact: more applies to text only');
  const enc: BufferEncoding = req.encoding === 'latin1' ? 'latin1' : 'utf8';
  const scrubber = scrubberFor(ctx.vault, ctx.now);

  if (req.stream !== undefined) {
    if (!single || req.more === undefined) return fail('INVALID_REQUEST', 'redact: stream needs text and more');
    // The held-back tail lives here, per connection and stream id: pieces can be pipelined.
    const r = scrubHeld(scrubber, meta.conn, req.stream, Buffer.from(req.text!, enc), req.more === true, enc === 'utf8');
    if (!r.ok) return r;
    const result: RedactResult = { text: Buffer.from(r.value.out).toString(enc), replaced: r.value.replaced };
    return ok(result);
  }
  if (single && req.more !== undefined) {
    const r = scrubber.scrubStream(Buffer.from(req.text!, enc), req.more !== true, enc === 'utf8');
    if (!r.ok) return r;
    const result: RedactResult = { text: Buffer.from(r.value.out).toString(enc), rest: Buffer.from(r.value.rest).toString(enc), replaced: r.value.replaced };
    return ok(result);
  }
  const inputs = single ? [req.text!] : req.texts!;
  const bufs = inputs.map((t) => Buffer.from(t, enc));
  const r = scrubber.scrub(bufs);
  if (!r.ok) return r;
  // Unchanged texts come back as the very strings that were sent.
  const outs = r.value.out.map((b, i) => (b === bufs[i] ? inputs[i]! : Buffer.from(b).toString(enc)));
  const result: RedactResult = single ? { text: outs[0]!, replaced: r.value.replaced } : { texts: outs, replaced: r.value.replaced };
  return ok(result);
};
