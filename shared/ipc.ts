/**
 * The daemon's request/response protocol on its Unix socket: newline-delimited JSON,
 * one message a line. Either side may send requests (the daemon calls the browser
 * through a connected native host), so each message says whether it is a request or a
 * response. One schema per request op; every message is validated on receipt.
 */
import * as z from 'zod';
import { BrowserRequestSchema, BrowserResponseSchema } from './browser-protocol.js';
import { CredentialInputSchema, LabelSchema, PolicySchema } from './credential.js';
import { ErrorCodeSchema } from './errors.js';
import { OutcomeSchema } from './outcome.js';
import { CreateOptionsSchema, GetOptionsSchema } from './passkey.js';

export const PROTOCOL_VERSION = 1;
/** The `list` origin value that means "the active tab of the bound browser". */
export const LIST_ACTIVE_TAB = 'active_tab';
/** Largest line either side accepts (a 100,000-credential import fits). */
export const MAX_IPC_LINE = 64 * 1024 * 1024;

const Id = z.union([z.number().int().nonnegative(), z.string().min(1).max(64)]);

/** A POSIX user name. */
const AgentUser = z.string().regex(/^[a-z_][a-z0-9_.-]{0,31}$/i);
/** The name of a browser tool registered for an agent user. */
const GuardName = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/);
const Passphrase = z.string().min(1).max(4096);
const IdleTimeout = z.number().int().min(1).max(7 * 24 * 3600);
export const TYPE_FIELDS = ['username', 'password', 'totp', 'sequence'] as const;
export const TypeFieldSchema = z.enum(TYPE_FIELDS);
export const BROWSER_NAMES = ['chromium', 'chrome', 'brave', 'edge', 'vivaldi', 'firefox', 'unknown'] as const;
export type BrowserName = (typeof BROWSER_NAMES)[number];

/** What a connection of the agent socket may ask for (CONTRACT §6: label operations only). */
export const AGENT_OPS = ['ping', 'status', 'list', 'fill', 'type', 'create', 'change_password', 'guard', 'passkey_arm'] as const;
/** What a verified browser (the settings page and popup, through the native host) may ask for. */
export const BROWSER_OPS = ['ping', 'status', 'unlock', 'lock', 'list', 'add', 'update', 'remove', 'generate', 'passkey_get', 'passkey_create'] as const;

/** What the extension decided about the frame that called WebAuthn (never what the page said). */
const PasskeyCaller = {
  tab_id: z.number().int(),
  /** The calling frame's origin, from the browser's sender record. */
  origin: z.string().min(1).max(300),
  /** The tab's top-level origin, from the browser's tab record. */
  top_origin: z.string().min(1).max(300),
  /** The frame is not same-origin with its top-level page. */
  cross_origin: z.boolean(),
  /** For a cross-origin frame: the publickey-credentials-get/create permission policy, read in the isolated world (null: the browser cannot say). */
  frame_allowed: z.boolean().nullable(),
};

/** Who is asking: recorded in the audit log, and some ops are refused to some callers. */
export const CALLERS = ['cli', 'mcp', 'extension'] as const;
export const CallerSchema = z.enum(CALLERS);

/** A caller's display variables, sent with `type` and `fill` so the daemon types and asks for approvals on the caller's display. */
export const DisplaySessionSchema = z.strictObject({
  DISPLAY: z.string().min(1).max(4096).optional(),
  XAUTHORITY: z.string().min(1).max(4096).optional(),
  WAYLAND_DISPLAY: z.string().min(1).max(4096).optional(),
  XDG_SESSION_TYPE: z.string().min(1).max(4096).optional(),
});
export type DisplaySession = z.infer<typeof DisplaySessionSchema>;

/** Character classes a generated password may be asked to use (account flows). */
export const PASSWORD_CLASSES = ['lower', 'upper', 'digit', 'special'] as const;
const GenerateLength = z.number().int().min(8).max(128);
const GenerateClasses = z.array(z.enum(PASSWORD_CLASSES)).min(1).max(4);
/** Which password a `confirm_password` keeps as the current one. */
export const PASSWORD_VERSIONS = ['current', 'new', 'previous'] as const;
/** What `duplicates` compares: the identity of a login, never stored or answered back. */
export const DuplicateProbeSchema = z.strictObject({
  origins: z.array(z.string()).max(100).optional(),
  username: z.string().max(1024).optional(),
  password: z.string().max(4096).optional(),
  totp: z.string().max(4096).optional(),
});
export type DuplicateProbe = z.infer<typeof DuplicateProbeSchema>;

export const Requests = {
  ping: z.strictObject({ op: z.literal('ping') }),
  status: z.strictObject({ op: z.literal('status') }),
  init: z.strictObject({
    op: z.literal('init'),
    mode: z.enum(['passphrase', 'keychain']),
    passphrase: Passphrase.optional(),
    idle_timeout_s: IdleTimeout.optional(),
  }),
  unlock: z.strictObject({ op: z.literal('unlock'), passphrase: Passphrase.optional(), idle_timeout_s: IdleTimeout.optional() }),
  lock: z.strictObject({ op: z.literal('lock') }),
  add: z.strictObject({ op: z.literal('add'), credentials: z.array(CredentialInputSchema).min(1).max(100_000) }),
  update: z.strictObject({
    op: z.literal('update'),
    label: LabelSchema,
    /** Fields to replace; `null` clears an optional field. Secrets are write-only. */
    changes: z.strictObject({
      username: z.string().max(1024).nullable().optional(),
      password: z.string().max(4096).nullable().optional(),
      totp: z.union([z.string().max(4096), z.null()]).optional(),
      origins: z.array(z.string()).max(100).optional(),
      windows: z.array(z.string().min(1).max(256)).max(100).optional(),
      sequence: z.string().min(1).max(1024).nullable().optional(),
      policy: PolicySchema.optional(),
      /** `null` removes the passkey (CONTRACT §8); it is never replaced here. */
      passkey: z.null().optional(),
    }),
    /** Re-authentication from the browser for changes that widen where a secret may go or replace a stored value. */
    passphrase: Passphrase.optional(),
  }),
  generate: z.strictObject({
    op: z.literal('generate'),
    label: LabelSchema,
    length: z.number().int().min(12).max(128).optional(),
    /** Re-authentication from the browser when a stored password would be replaced. */
    passphrase: Passphrase.optional(),
  }),
  /** `usernames: true`: each item also carries its `username` (the owner's CLI and the
   *  settings page only; refused to agents, to the MCP server and to processes under
   *  `blindfill guard`). */
  list: z.strictObject({
    op: z.literal('list'),
    usernames: z.literal(true).optional(),
    /** Only the credentials that may fill this page: a URL (`https://host[:port]`, a path is
     *  ignored) or `active_tab` (the bound browser's active tab). See LIST_ACTIVE_TAB. */
    origin: z.string().min(1).max(2048).optional(),
    /** Paging, for callers with a size cap (the settings page): labels after this one … */
    after: LabelSchema.optional(),
    /** … and at most this many bytes of credential JSON (at least one credential). */
    max_bytes: z.number().int().min(1024).max(MAX_IPC_LINE).optional(),
  }),
  /** `passphrase`: re-authentication, needed when the browser asks. */
  remove: z.strictObject({ op: z.literal('remove'), label: LabelSchema, passphrase: Passphrase.optional() }),
  fill: z.strictObject({
    op: z.literal('fill'),
    label: LabelSchema,
    submit: z.boolean().optional(),
    totp_only: z.boolean().optional(),
    /** Fill only in a browser whose profile directory is this one. */
    browser_profile: z.string().min(1).max(4096).optional(),
    /** The caller runs under `blindfill guard`: only the browser that guard started fits. */
    guarded: z.literal(true).optional(),
    /** The caller's display variables: where a `confirm` credential's approval is asked. */
    session: DisplaySessionSchema.optional(),
  }),
  type: z.strictObject({
    op: z.literal('type'),
    label: LabelSchema,
    field: TypeFieldSchema.optional(),
    submit: z.boolean().optional(),
    /** The caller's display variables (native-host/desktop/display-session.ts). */
    session: DisplaySessionSchema.optional(),
  }),
  /** Sign-up (CONTRACT §7): generate a password, store it bound to the page's origin, fill it. */
  create: z.strictObject({
    op: z.literal('create'),
    label: LabelSchema,
    username: z.string().min(1).max(1024).optional(),
    submit: z.boolean().optional(),
    length: GenerateLength.optional(),
    classes: GenerateClasses.optional(),
    browser_profile: z.string().min(1).max(4096).optional(),
  }),
  /** Change-password form: current password in, a generated one into new + confirm. */
  change_password: z.strictObject({
    op: z.literal('change_password'),
    label: LabelSchema,
    submit: z.boolean().optional(),
    length: GenerateLength.optional(),
    classes: GenerateClasses.optional(),
    browser_profile: z.string().min(1).max(4096).optional(),
  }),
  /** Which password versions a credential holds (owner only; never a value). */
  versions: z.strictObject({ op: z.literal('versions'), label: LabelSchema }),
  /** End an account flow: keep one version as the password, drop the others; a pending sign-up becomes an ordinary credential (owner only). */
  confirm_password: z.strictObject({ op: z.literal('confirm_password'), label: LabelSchema, keep: z.enum(PASSWORD_VERSIONS).optional() }),
  audit_verify: z.strictObject({ op: z.literal('audit_verify') }),
  /** Scrub every form of every vault secret from text (the secret-echo guard); VAULT_LOCKED
   *  when locked. Exactly one of `text` / `texts`. Not for the extension. */
  redact: z.strictObject({
    op: z.literal('redact'),
    text: z.string().optional(),
    /** Several texts, each scrubbed on its own. */
    texts: z.array(z.string()).max(100_000).optional(),
    /** `latin1`: each character is one byte (binary-safe streams). Default `utf8`. */
    encoding: z.enum(['utf8', 'latin1']).optional(),
    /** Streaming (with `text`): more follows, so a tail that may begin a secret is held
     *  back and returned in `rest`, to be sent again in front of the next piece. */
    more: z.boolean().optional(),
    /** Streaming with the tail kept by the daemon for this connection and stream id (no
     *  `rest` in the answer), so a client may send the next piece before the answer. */
    stream: z.string().min(1).max(64).optional(),
    /** With `stream` and `more`, instead of `text`: the piece is the request's raw bytes
     *  (`bin`, see docs/PROTOCOL.md) and the scrubbed bytes come back the same way. */
    bytes: z.literal(true).optional(),
  }),
  browser_hello: z.strictObject({
    op: z.literal('browser_hello'),
    browser: z.enum(BROWSER_NAMES),
    extension_id: z.string().min(1).max(200),
    pid: z.number().int().optional(),
  }),
  shutdown: z.strictObject({ op: z.literal('shutdown') }),
  /** Let an OS user reach the agent socket for label operations (owner only). */
  agent_allow: z.strictObject({
    op: z.literal('agent_allow'),
    user: AgentUser,
    /** Register a browser tool this user may start through `blindfill guard --socket`; it runs as the owner. */
    guard: z.strictObject({ name: GuardName, command: z.string().min(1).max(4096), args: z.array(z.string().max(4096)).max(200), allow: z.array(z.string().min(1).max(200)).max(100) }).optional(),
  }),
  /** Agent socket only: start the owner's registered guard `name` on this connection, which
   *  then carries MCP JSON-RPC (the owner-side guard sends this request's answer). */
  guard: z.strictObject({ op: z.literal('guard'), name: GuardName }),
  agent_revoke: z.strictObject({ op: z.literal('agent_revoke'), user: AgentUser }),
  agent_list: z.strictObject({ op: z.literal('agent_list') }),
  /** Change how the vault key is protected: a new passphrase, or to/from the OS keychain.
   *  `passphrase` is the current one (passphrase vaults). Not for the extension. */
  passwd: z.strictObject({
    op: z.literal('passwd'),
    to: z.enum(['passphrase', 'keychain']),
    passphrase: Passphrase.optional(),
    new_passphrase: Passphrase.optional(),
  }),
  /** Give a credential a new label. Not for the extension. */
  rename: z.strictObject({ op: z.literal('rename'), label: LabelSchema, new_label: LabelSchema }),
  /** Arm one WebAuthn ceremony of a credential on the active tab (CONTRACT §8: use_passkey / create_passkey). */
  passkey_arm: z.strictObject({
    op: z.literal('passkey_arm'),
    label: LabelSchema,
    kind: z.enum(['get', 'create']),
    browser_profile: z.string().min(1).max(4096).optional(),
  }),
  /** The page's navigator.credentials.get(), relayed by a verified browser while armed. */
  passkey_get: z.strictObject({ op: z.literal('passkey_get'), ...PasskeyCaller, options: GetOptionsSchema }),
  /** The page's navigator.credentials.create(), relayed by a verified browser while armed. */
  passkey_create: z.strictObject({ op: z.literal('passkey_create'), ...PasskeyCaller, options: CreateOptionsSchema }),
  /** Groups of labels that share a password (compared by keyed hash inside the daemon). Not for the extension. */
  reused: z.strictObject({ op: z.literal('reused') }),
  /** For each entry, the label of a stored credential that is the same login (same username,
   *  password and TOTP seed, and a shared origin or none on both), or null. Owner only. */
  duplicates: z.strictObject({ op: z.literal('duplicates'), entries: z.array(DuplicateProbeSchema).max(100_000) }),
  /** Remote vaults (CONTRACT §9). Owner only. `secret_id` is the AppRole secret-id (kept sealed by the daemon). */
  remote_add: z.strictObject({
    op: z.literal('remote_add'),
    name: z.string().min(1).max(32),
    urls: z.array(z.string().min(1).max(512)).min(1).max(16),
    mount: z.string().min(1).max(256),
    path: z.string().max(256),
    role_id: z.string().min(1).max(256),
    secret_id: z.string().min(1).max(1024),
    ca: z.string().max(256 * 1024).optional(),
  }),
  remote_list: z.strictObject({ op: z.literal('remote_list') }),
  remote_sync: z.strictObject({ op: z.literal('remote_sync'), name: z.string().min(1).max(32) }),
  remote_remove: z.strictObject({ op: z.literal('remote_remove'), name: z.string().min(1).max(32) }),
  remote_put: z.strictObject({ op: z.literal('remote_put'), name: z.string().min(1).max(32), credential: CredentialInputSchema }),
  /** Clashes, invalid secrets and errors of the remotes (doctor). */
  remote_status: z.strictObject({ op: z.literal('remote_status') }),
} as const;

export const IpcRequestBodySchema = z.discriminatedUnion('op', [
  Requests.ping,
  Requests.status,
  Requests.init,
  Requests.unlock,
  Requests.lock,
  Requests.add,
  Requests.update,
  Requests.generate,
  Requests.list,
  Requests.remove,
  Requests.fill,
  Requests.type,
  Requests.audit_verify,
  Requests.redact,
  Requests.browser_hello,
  Requests.shutdown,
  Requests.reused,
  Requests.agent_allow,
  Requests.agent_revoke,
  Requests.agent_list,
  Requests.guard,
  Requests.passwd,
  Requests.rename,
  Requests.create,
  Requests.change_password,
  Requests.versions,
  Requests.confirm_password,
  Requests.passkey_arm,
  Requests.passkey_get,
  Requests.passkey_create,
  Requests.duplicates,
  Requests.remote_add,
  Requests.remote_list,
  Requests.remote_sync,
  Requests.remote_remove,
  Requests.remote_put,
  Requests.remote_status,
]);
export type IpcRequestBody = z.infer<typeof IpcRequestBodySchema>;
export type IpcOp = IpcRequestBody['op'];
export type IpcRequestOf<O extends IpcOp> = Extract<IpcRequestBody, { op: O }>;

/** The envelope of a request from a client (CLI, MCP server, native host) to the daemon. */
export const RequestEnvelopeSchema = z.looseObject({ t: z.literal('req'), id: Id, caller: CallerSchema.optional() });
export type ClientRequest = IpcRequestBody & { id: string | number; caller?: z.infer<typeof CallerSchema> };

/** Validate envelope and body; the body's schema is strict (unknown fields refused). */
export function parseClientRequest(message: unknown): { ok: true; request: ClientRequest } | { ok: false; where: string } {
  const env = RequestEnvelopeSchema.safeParse(message);
  if (!env.success) return { ok: false, where: 'envelope' };
  const { t: _t, id, caller, ...body } = env.data;
  const parsed = IpcRequestBodySchema.safeParse(body);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, where: first ? `${first.path.join('.') || 'request'}: ${first.message}` : 'malformed request' };
  }
  const request: ClientRequest = caller === undefined ? { ...parsed.data, id } : { ...parsed.data, id, caller };
  return { ok: true, request };
}

/** A request from the daemon to a connected browser (through its native host). */
export const BrowserCallSchema = z.strictObject({ t: z.literal('req'), id: Id, op: z.literal('browser_call'), request: BrowserRequestSchema });
export type BrowserCall = z.infer<typeof BrowserCallSchema>;

export const SuccessResponseSchema = z.strictObject({ t: z.literal('res'), id: Id, ok: z.literal(true), result: z.unknown() });
export const FailureResponseSchema = z.strictObject({
  t: z.literal('res'),
  id: Id,
  ok: z.literal(false),
  code: ErrorCodeSchema,
  message: z.string().max(2000),
});
export const ResponseSchema = z.union([SuccessResponseSchema, FailureResponseSchema]);
export type IpcResponse = z.infer<typeof ResponseSchema>;

/** The browser's answer to a browser_call. */
export const BrowserCallResultSchema = BrowserResponseSchema;

// ---- results ---------------------------------------------------------------------

export const BrowserInfoSchema = z.strictObject({
  browser: z.enum(BROWSER_NAMES),
  extension_id: z.string(),
  connected_at: z.string(),
  /** The browser's process id, as verified from the native host's parent. */
  pid: z.number().int().optional(),
  /** The profile directory on the browser's command line, when it names one. */
  profile: z.string().optional(),
  /** Started under `blindfill guard` (an agent's browser). */
  guarded: z.boolean().optional(),
});
export type BrowserInfo = z.infer<typeof BrowserInfoSchema>;
export const StatusResultSchema = z.strictObject({
  vault: z.enum(['locked', 'unlocked', 'absent']),
  credentials: z.number().int().nonnegative(),
  browsers: z.array(BrowserInfoSchema),
  key_mode: z.enum(['passphrase', 'keychain']).optional(),
  idle_timeout_s: z.number().int().optional(),
  locks_in_s: z.number().int().optional(),
});
export type StatusResult = z.infer<typeof StatusResultSchema>;

/** `redact`: the scrubbed text(s), `[blindfill:LABEL]` where a secret was. */
export const RedactResultSchema = z.strictObject({
  text: z.string().optional(),
  texts: z.array(z.string()).optional(),
  /** With `more`: the undecided tail (the caller's own input, not yet scrubbed). */
  rest: z.string().optional(),
  replaced: z.number().int().nonnegative(),
});
export type RedactResult = z.infer<typeof RedactResultSchema>;

export const FillCredentialResultSchema = z.strictObject({
  ok: z.literal(true),
  label: LabelSchema,
  origin: z.string(),
  filled: z.array(z.enum(['username', 'password', 'totp', 'new_password'])),
  submitted: z.boolean(),
  outcome: OutcomeSchema.optional(),
});
export type FillCredentialResult = z.infer<typeof FillCredentialResultSchema>;

export const TypeCredentialResultSchema = z.strictObject({
  ok: z.literal(true),
  label: LabelSchema,
  window: z.string(),
  field: TypeFieldSchema,
});
export type TypeCredentialResult = z.infer<typeof TypeCredentialResultSchema>;

export const AgentListResultSchema = z.strictObject({ agents: z.array(z.strictObject({ user: z.string(), since: z.string(), guards: z.array(z.string()).optional() })) });

/** use_passkey / create_passkey (CONTRACT §8). */
export const PasskeyArmResultSchema = z.strictObject({
  ok: z.literal(true),
  label: LabelSchema,
  origin: z.string(),
  armed_for_s: z.number().int().positive(),
});
export type PasskeyArmResult = z.infer<typeof PasskeyArmResultSchema>;

export type AgentListResult = z.infer<typeof AgentListResultSchema>;
export const AgentAllowResultSchema = z.strictObject({ user: z.string(), socket: z.string() });
export type AgentAllowResult = z.infer<typeof AgentAllowResultSchema>;

export const VersionsResultSchema = z.strictObject({
  label: LabelSchema,
  /** `created`: a sign-up not accepted (yet); `new_password`: a change awaiting confirmation. */
  pending: z.enum(['created', 'new_password']).optional(),
  versions: z.strictObject({ current: z.boolean(), new: z.boolean(), previous: z.boolean() }),
});
export type VersionsResult = z.infer<typeof VersionsResultSchema>;

export const AuditVerifyResultSchema = z.strictObject({ ok: z.literal(true), lines: z.number().int() });
export const AddResultSchema = z.strictObject({ added: z.array(LabelSchema) });
/** `reused`: each group holds two or more labels whose passwords are equal; never a password or hash. */
export const ReusedResultSchema = z.strictObject({ groups: z.array(z.array(LabelSchema).min(2)) });
export type ReusedResult = z.infer<typeof ReusedResultSchema>;
/** `duplicates`: one entry per probe, in order: the matching label or null. */
export const DuplicatesResultSchema = z.strictObject({ labels: z.array(LabelSchema.nullable()) });

export const RemoteListResultSchema = z.strictObject({
  remotes: z.array(
    z.strictObject({ name: z.string(), url: z.string(), mount: z.string(), path: z.string(), credentials: z.number().int().nonnegative(), last_sync: z.string().nullable() }),
  ),
});
export const RemoteStatusResultSchema = z.strictObject({
  problems: z.array(z.strictObject({ remote: z.string(), kind: z.enum(['clash', 'invalid', 'error']), label: z.string().optional(), message: z.string() })),
});
