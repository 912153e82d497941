/**
 * Passkeys in the extension: which tabs are armed, and the relay of an armed page's
 * navigator.credentials call to the daemon. The frame's origin comes from the browser's
 * sender record and the top origin from its tab record, never from the page. A tab
 * nothing was armed for gets `passthrough`: the page shim then calls the browser's own
 * WebAuthn, unchanged.
 */
import * as z from 'zod';
import type { ErrorCode } from '../../shared/errors.js';
import { CreateOptionsSchema, GetOptionsSchema } from '../../shared/passkey.js';
import type { BrowserApi } from './api.js';

export type CeremonyKind = 'get' | 'create';

/** After an arm is used or expires, the tab's calls of that kind still go to the daemon this long (it says why they fail). */
export const SPENT_KEEP_MS = 5 * 60_000;

interface TabArm {
  expiresAt: number;
  spentAt: number | null;
}

/** The extension's mirror of the daemon's arms (the daemon's are authoritative). */
export class TabArms {
  private arms = new Map<string, TabArm>();
  constructor(private readonly now: () => number = Date.now) {}

  arm(tabId: number, kind: CeremonyKind, ttlMs: number): void {
    this.arms.set(`${tabId}:${kind}`, { expiresAt: this.now() + ttlMs, spentAt: null });
  }

  /** Relay this call to the daemon (and mark the arm spent), or let it pass to the browser. */
  route(tabId: number, kind: CeremonyKind): 'relay' | 'passthrough' {
    const k = `${tabId}:${kind}`;
    const a = this.arms.get(k);
    if (!a) return 'passthrough';
    const now = this.now();
    const spent = a.spentAt ?? (now > a.expiresAt ? a.expiresAt : null);
    if (spent !== null && now - spent > SPENT_KEEP_MS) {
      this.arms.delete(k);
      return 'passthrough';
    }
    if (a.spentAt === null) a.spentAt = now;
    return 'relay';
  }

  disarm(tabId: number, kind: CeremonyKind): void {
    this.arms.delete(`${tabId}:${kind}`);
  }

  forgetTab(tabId: number): void {
    for (const k of [...this.arms.keys()]) if (k.startsWith(`${tabId}:`)) this.arms.delete(k);
  }
}

/** What the isolated content script sends: the page's options, and the permission policy as the isolated world reads it. */
export const PasskeyMessageSchema = z.discriminatedUnion('kind', [
  z.strictObject({ blindfill_passkey: z.literal(1), kind: z.literal('get'), options: GetOptionsSchema, frame_allowed: z.boolean().nullable() }),
  z.strictObject({ blindfill_passkey: z.literal(1), kind: z.literal('create'), options: CreateOptionsSchema, frame_allowed: z.boolean().nullable() }),
]);

export interface PasskeySender {
  tab?: { id?: number | undefined } | undefined;
  frameId?: number | undefined;
  url?: string | undefined;
  origin?: string | undefined;
  id?: string | undefined;
}

export type PasskeyAnswer =
  | { passthrough: true }
  | { ok: true; result: unknown }
  | { ok: false; code: ErrorCode | string; message: string };

export interface PasskeyRelayDeps {
  extensionId: string;
  arms: TabArms;
  getTab: BrowserApi['getTab'];
  connectionProblem: BrowserApi['connectionProblem'];
  /** NativeLink.call: resolves with the host's `{ok, result | code, message}`. */
  call(op: string, params: Record<string, unknown>): Promise<unknown>;
}

function originOf(url: string | undefined): string | null {
  if (url === undefined) return null;
  try {
    const o = new URL(url).origin;
    return o === 'null' ? null : o;
  } catch {
    return null;
  }
}

/** Whether a runtime message is a passkey relay request (so the worker answers it here). */
export function isPasskeyMessage(m: unknown): boolean {
  return typeof m === 'object' && m !== null && (m as { blindfill_passkey?: unknown }).blindfill_passkey === 1;
}

export function createPasskeyRelay(d: PasskeyRelayDeps): (message: unknown, sender: PasskeySender) => Promise<PasskeyAnswer> {
  return async (message, sender) => {
    if (sender.id !== d.extensionId || sender.tab?.id === undefined) return { ok: false, code: 'UNTRUSTED_CALLER', message: 'not a content script of a tab' };
    const parsed = PasskeyMessageSchema.safeParse(message);
    if (!parsed.success) return { ok: false, code: 'INVALID_REQUEST', message: 'the page passed WebAuthn options blindfill does not understand' };
    const m = parsed.data;
    const tabId = sender.tab.id;
    if (d.arms.route(tabId, m.kind) === 'passthrough') return { passthrough: true };

    const frameOrigin = (typeof sender.origin === 'string' && sender.origin !== 'null' ? sender.origin : null) ?? originOf(sender.url);
    const tab = await d.getTab(tabId);
    const topOrigin = originOf(tab?.url);
    if (frameOrigin === null || topOrigin === null) return { ok: false, code: 'ORIGIN_MISMATCH', message: 'the calling frame has no origin blindfill can vouch for' };
    const frameId = sender.frameId ?? 0;
    const crossOrigin = frameId !== 0 && frameOrigin !== topOrigin;
    const problem = await d.connectionProblem(tabId, [{ frameId, origin: frameOrigin }], frameId !== 0 ? [topOrigin] : []);
    if (problem !== null) return { ok: false, code: 'INSECURE_CONNECTION', message: problem };

    const params = { tab_id: tabId, origin: frameOrigin, top_origin: topOrigin, cross_origin: crossOrigin, frame_allowed: crossOrigin ? m.frame_allowed : null, options: m.options };
    try {
      const res = (await d.call(m.kind === 'get' ? 'passkey_get' : 'passkey_create', params)) as { ok?: unknown; result?: unknown; code?: unknown; message?: unknown };
      if (res && res.ok === true) return { ok: true, result: res.result };
      return { ok: false, code: typeof res?.code === 'string' ? res.code : 'INTERNAL', message: typeof res?.message === 'string' ? res.message.slice(0, 500) : 'the daemon refused' };
    } catch {
      return { ok: false, code: 'NO_BROWSER', message: 'the blindfill daemon is not reachable' };
    }
  };
}
