/**
 * The settings page's and popup's only channel to blindfill: runtime messages to the
 * extension's service worker (shared/settings-protocol.ts), validated on the way out and
 * on the way back. Nothing is logged or stored; answers never carry a secret.
 */
import * as z from 'zod';
import {
  answerSchema,
  type DaemonAnswer,
  DaemonMessageSchema,
  type LinkAnswer,
  LinkAnswerSchema,
  type ParamsOf,
  type SettingsOp,
} from '../../shared/settings-protocol.js';

// MV3 extension pages forbid eval: tell zod not to probe for it.
z.config({ jitless: true });

async function send(message: unknown): Promise<unknown> {
  try {
    // Looked up on every call (not captured at load), so the runtime can be swapped.
    return await chrome.runtime.sendMessage(message);
  } catch {
    return { ok: false, code: 'DAEMON_UNAVAILABLE', message: "the extension's service worker did not answer" };
  }
}

/** One daemon op through the worker and the native host. */
export async function daemon<O extends SettingsOp>(op: O, params: ParamsOf<O>): Promise<DaemonAnswer<O>> {
  const message = { kind: 'daemon', op, params };
  if (!DaemonMessageSchema.safeParse(message).success) {
    return { ok: false, code: 'INVALID_REQUEST', message: `the page built a malformed ${op} request` };
  }
  const raw = await send(message);
  const parsed = answerSchema(op).safeParse(raw);
  if (!parsed.success) return { ok: false, code: 'INTERNAL', message: `malformed answer to ${op}` };
  return parsed.data as DaemonAnswer<O>;
}

/** The worker's native port: connected, daemon reachable, host version. */
export async function linkState(): Promise<LinkAnswer> {
  const parsed = LinkAnswerSchema.safeParse(await send({ kind: 'link' }));
  return parsed.success ? parsed.data : { ok: false, code: 'INTERNAL', message: 'malformed answer about the native host' };
}
