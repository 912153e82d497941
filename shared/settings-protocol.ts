/**
 * Messages between the extension's own pages (settings page, toolbar popup) and its
 * service worker, over chrome.runtime.sendMessage. One zod schema per message type,
 * validated by the worker on receipt and by the page on the answer.
 *
 *   page → worker  {kind:"daemon", op, params}   a daemon op, relayed to the native host
 *   page → worker  {kind:"link"}                 the state of the worker's native port
 *   worker → page  {ok:true, result} | {ok:false, code, message}
 *
 * Requests may carry secrets (a new password, a TOTP seed, the passphrase); answers
 * never do: every result schema is strict and has no field that could hold one, so the
 * worker refuses to relay anything else. `list` may carry usernames (not secrets: shown to
 * the vault's owner on this page, never to an agent's tools).
 */
import * as z from 'zod';
import { LabelSchema, OwnerCredentialListSchema } from './credential.js';
import { ErrorCodeSchema } from './errors.js';
import { AddResultSchema, Requests, StatusResultSchema } from './ipc.js';

/** The extension pages that may talk to the worker, by path inside the package. */
export const OPTIONS_PAGE = 'extension/options/options.html';
export const POPUP_PAGE = 'extension/popup/popup.html';
export type SettingsPage = 'options' | 'popup';

/** Daemon ops the settings page may ask for (a subset of the host's EXTENSION_OPS). */
export const SETTINGS_OPS = ['status', 'unlock', 'lock', 'list', 'add', 'update', 'remove', 'generate'] as const;
export type SettingsOp = (typeof SETTINGS_OPS)[number];
/** The popup only shows state and locks. */
export const POPUP_OPS: readonly SettingsOp[] = ['status', 'lock'];

export function opsFor(page: SettingsPage): readonly SettingsOp[] {
  return page === 'options' ? SETTINGS_OPS : POPUP_OPS;
}

/** What each op takes: the daemon's own request schema without `op` (strict). */
export const ParamsSchemas = {
  status: Requests.status.omit({ op: true }),
  unlock: Requests.unlock.omit({ op: true }),
  lock: Requests.lock.omit({ op: true }),
  list: Requests.list.omit({ op: true }),
  add: Requests.add.omit({ op: true }),
  update: Requests.update.omit({ op: true }),
  remove: Requests.remove.omit({ op: true }),
  generate: Requests.generate.omit({ op: true }),
} as const satisfies Record<SettingsOp, z.ZodType>;
export type ParamsOf<O extends SettingsOp> = z.infer<(typeof ParamsSchemas)[O]>;

/** What each op answers with (strict: nothing else is relayed). */
export const ResultSchemas = {
  status: StatusResultSchema,
  unlock: z.strictObject({ credentials: z.number().int().nonnegative(), idle_timeout_s: z.number().int() }),
  lock: z.strictObject({ locked: z.literal(true) }),
  /** With `usernames: true` each item carries its username (the owner's page); never a secret. */
  list: OwnerCredentialListSchema,
  add: AddResultSchema,
  update: z.strictObject({ updated: LabelSchema, fields: z.array(z.enum(['origins', 'windows', 'policy', 'sequence', 'username', 'password', 'totp', 'passkey'])) }),
  remove: z.strictObject({ removed: LabelSchema }),
  generate: z.strictObject({ label: LabelSchema, generated: z.literal(true), length: z.number().int() }),
} as const satisfies Record<SettingsOp, z.ZodType>;
export type ResultOf<O extends SettingsOp> = z.infer<(typeof ResultSchemas)[O]>;

const daemonMessage = <O extends SettingsOp>(op: O) =>
  z.strictObject({ kind: z.literal('daemon'), op: z.literal(op), params: ParamsSchemas[op] });

export const DaemonMessageSchema = z.discriminatedUnion('op', [
  daemonMessage('status'),
  daemonMessage('unlock'),
  daemonMessage('lock'),
  daemonMessage('list'),
  daemonMessage('add'),
  daemonMessage('update'),
  daemonMessage('remove'),
  daemonMessage('generate'),
]);
export type DaemonMessage = z.infer<typeof DaemonMessageSchema>;

export const LinkMessageSchema = z.strictObject({ kind: z.literal('link') });
export type LinkMessage = z.infer<typeof LinkMessageSchema>;

export const SettingsMessageSchema = z.union([DaemonMessageSchema, LinkMessageSchema]);
export type SettingsMessage = z.infer<typeof SettingsMessageSchema>;

export const SettingsFailureSchema = z.strictObject({ ok: z.literal(false), code: ErrorCodeSchema, message: z.string().max(2000) });
export type SettingsFailure = z.infer<typeof SettingsFailureSchema>;

export function answerSchema<O extends SettingsOp>(op: O) {
  return z.union([z.strictObject({ ok: z.literal(true), result: ResultSchemas[op] }), SettingsFailureSchema]);
}
export type DaemonAnswer<O extends SettingsOp> = { ok: true; result: ResultOf<O> } | SettingsFailure;

/** The worker's native port, for the popup's "connected host". */
export const LinkStateSchema = z.strictObject({
  connected: z.boolean(),
  /** The host reached the daemon (its hello said so); null before any hello. */
  daemon: z.boolean().nullable(),
  version: z.string().max(50).nullable(),
  lastError: z.string().max(200).nullable(),
});
export type LinkState = z.infer<typeof LinkStateSchema>;
export const LinkAnswerSchema = z.union([z.strictObject({ ok: z.literal(true), result: LinkStateSchema }), SettingsFailureSchema]);
export type LinkAnswer = z.infer<typeof LinkAnswerSchema>;

/**
 * Which of the extension's pages sent a runtime message, or null when the sender is not
 * one of them (a content script or page script in a web page has the extension's id but
 * a web URL; other extensions have another id). `baseUrl` is the extension's own root
 * (runtime.getURL('')): `chrome-extension://ID/`, or `moz-extension://UUID/` in Firefox,
 * where the URL's host is not the extension's id.
 */
export function senderPage(
  sender: { id?: string | undefined; url?: string | undefined },
  extensionId: string,
  baseUrl = `chrome-extension://${extensionId}/`,
): SettingsPage | null {
  if (sender.id !== extensionId || typeof sender.url !== 'string') return null;
  let u: URL;
  let base: URL;
  try {
    u = new URL(sender.url);
    base = new URL(baseUrl);
  } catch {
    return null;
  }
  if (!/^(chrome|moz)-extension:$/.test(base.protocol) || u.protocol !== base.protocol || u.host === '' || u.host !== base.host) return null;
  if (u.pathname === `/${OPTIONS_PAGE}`) return 'options';
  if (u.pathname === `/${POPUP_PAGE}`) return 'popup';
  return null;
}
