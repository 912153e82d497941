/**
 * The worker's side of the settings protocol (shared/settings-protocol.ts): answers
 * runtime messages from the extension's own settings page and popup, and only those.
 * A daemon op is relayed to the native host only when the sender is one of our pages,
 * the op is allowed for that page and the message validates; the host's answer is
 * relayed back only when it validates against the op's strict result schema.
 * Nothing here logs or keeps a message: requests can carry a password or the passphrase.
 */
import {
  answerSchema,
  type LinkAnswer,
  type LinkState,
  opsFor,
  type SettingsFailure,
  SettingsMessageSchema,
  senderPage,
} from '../../shared/settings-protocol.js';

export interface RelayDeps {
  extensionId: string;
  /** runtime.getURL(''): the extension's own root URL (default chrome-extension://ID/). */
  baseUrl?: string;
  /** NativeLink.call: resolves with the host's `{ok, result | code, message}`. */
  call(op: string, params: Record<string, unknown>): Promise<unknown>;
  link(): LinkState;
  /** Ask the link to (re)connect now, e.g. after a failed call. */
  reconnect(): void;
}

export interface Sender {
  id?: string | undefined;
  url?: string | undefined;
}

const fail = (code: SettingsFailure['code'], message: string): SettingsFailure => ({ ok: false, code, message });

/**
 * Returns the answer for a message, or null when the sender is not one of the
 * extension's pages (the caller then does not answer at all).
 */
export function createSettingsRelay(deps: RelayDeps): (message: unknown, sender: Sender) => Promise<unknown> | null {
  return (message, sender) => {
    const page = senderPage(sender, deps.extensionId, deps.baseUrl);
    if (page === null) return null;
    return answer(message, page);
  };

  async function answer(message: unknown, page: 'options' | 'popup'): Promise<unknown> {
    const parsed = SettingsMessageSchema.safeParse(message);
    if (!parsed.success) {
      // Only the path of the first problem: zod's messages could quote the input.
      const where = parsed.error.issues[0]?.path.join('.') ?? '';
      return fail('INVALID_REQUEST', `malformed settings message${where ? ` (at ${where.slice(0, 80)})` : ''}`);
    }
    const msg = parsed.data;
    if (msg.kind === 'link') {
      const a: LinkAnswer = { ok: true, result: deps.link() };
      return a;
    }
    if (!opsFor(page).includes(msg.op)) return fail('INVALID_REQUEST', `this page may not ask for ${msg.op}`);
    let raw: unknown;
    try {
      raw = await deps.call(msg.op, msg.params as Record<string, unknown>);
    } catch (e) {
      deps.reconnect();
      const why = e instanceof Error ? e.message.slice(0, 200) : 'no answer';
      return fail('DAEMON_UNAVAILABLE', `blindfill's native host is not reachable: ${why}`);
    }
    const checked = answerSchema(msg.op).safeParse(raw);
    if (!checked.success) return fail('INTERNAL', `the native host answered ${msg.op} with a malformed result`);
    return checked.data;
  }
}
