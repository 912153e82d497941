/**
 * The daemon's remote vaults: while the local vault is unlocked, each remote logs in with
 * its AppRole, lists and reads the KV v2 secrets its policy lets it read, and holds them
 * in memory only (Buffers, zeroed on lock, removal, change or revocation). A refresh runs
 * every `refreshMs`; a fetched credential keeps working `graceMs` past the last refresh
 * that succeeded, then refuses with REMOTE_UNAVAILABLE. A refused identity (login or list
 * answered 400/401/403) drops every credential of that remote at once.
 *
 * Each refresh logs in again and revokes the token it replaces: a destroyed secret-id
 * takes effect on the next refresh, and no token outlives two refresh intervals.
 */
import type { CredentialSummary } from '../../shared/credential.js';
import { CredentialInputSchema, normalizeCredential } from '../../shared/credential.js';
import { fail, type Failure, ok, type Result } from '../../shared/errors.js';
import type { CredentialOverlay } from '../daemon/vault-state.js';
import { type HeldCredential, hold, summarize, wipe } from '../daemon/secret-credential.js';
import { type BaoAnswer, BaoClient, kvPaths } from './openbao-client.js';
import { credentialFromKv, kvFromInput } from './remote-entry.js';
import type { RemoteConfig } from './remote-store.js';

export interface RemoteOptions {
  refreshMs: number;
  graceMs: number;
  now: () => number;
  log: (line: string) => void;
}

interface Held {
  held: HeldCredential;
  /** KV current_version when read (-1: unknown, read again on every refresh). */
  version: number;
}

export interface RemoteInfo {
  name: string;
  url: string;
  mount: string;
  path: string;
  credentials: number;
  last_sync: string | null;
}

/** Parallel reads on a first sync (the server's request handling is the limit, not ours). */
const READ_CONCURRENCY = 16;
/** Paths per capabilities-self request. */
const CAPS_BATCH = 400;

class LiveRemote {
  readonly client: BaoClient;
  creds = new Map<string, Held>();
  /** Secrets that are not valid credentials: label → why (field names only). */
  invalid = new Map<string, string>();
  lastSync: number | null = null;
  lastError: Failure | null = null;
  /** Labels held before the identity was refused (names only), so fills say why. */
  refusedLabels = new Set<string>();
  token: string | null = null;
  timer: NodeJS.Timeout | null = null;
  running: Promise<Result<void>> | null = null;
  stopped = false;
  private readonly secretId: Buffer;

  constructor(readonly cfg: Omit<RemoteConfig, 'secret_id'>, secretId: string) {
    this.secretId = Buffer.from(secretId, 'utf8');
    this.client = new BaoClient({ urls: cfg.urls, ca: cfg.ca });
  }

  /** The secret-id as the config file stores it (only for sealing). */
  secretIdText(): string {
    return this.secretId.toString('utf8');
  }

  dropAll(): void {
    for (const h of this.creds.values()) wipe(h.held);
    this.creds.clear();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const t = this.token;
    this.token = null;
    // Best effort: the token would expire by itself.
    if (t !== null) void this.client.call('POST', 'auth/token/revoke-self', t).finally(() => this.client.close());
    else this.client.close();
    this.dropAll();
    this.secretId.fill(0);
  }

  async login(): Promise<Result<string>> {
    const ans = await this.client.call('POST', 'auth/approle/login', null, { role_id: this.cfg.role_id, secret_id: this.secretId.toString('utf8') });
    if (ans.kind === 'unreachable') return unreachable(this.cfg.name, ans.why);
    if (ans.status === 200) {
      const token = (ans.body as { auth?: { client_token?: unknown } } | null)?.auth?.client_token;
      if (typeof token === 'string' && token.length > 0) return ok(token);
      return fail('REMOTE_UNAVAILABLE', `remote "${this.cfg.name}": the login answer carries no token`);
    }
    if (ans.status === 400 || ans.status === 401 || ans.status === 403) return fail('DENIED', `remote "${this.cfg.name}" refused this agent's AppRole identity (HTTP ${ans.status})`);
    return fail('REMOTE_UNAVAILABLE', `remote "${this.cfg.name}" answered the login with HTTP ${ans.status}`);
  }
}

function unreachable(name: string, why: string): Failure {
  return fail('REMOTE_UNAVAILABLE', `remote "${name}" is unreachable (${why})`);
}

function httpFailure(name: string, what: string, ans: BaoAnswer): Failure {
  if (ans.kind === 'unreachable') return unreachable(name, ans.why);
  if (ans.status === 401 || ans.status === 403) return fail('DENIED', `remote "${name}" refused to ${what} (HTTP ${ans.status})`);
  return fail('REMOTE_UNAVAILABLE', `remote "${name}" answered ${what} with HTTP ${ans.status}`);
}

export class RemoteManager implements CredentialOverlay {
  private readonly remotes = new Map<string, LiveRemote>();

  constructor(private readonly opts: RemoteOptions) {}

  /** By name, so a clash between two remotes always resolves the same way. */
  private ordered(): LiveRemote[] {
    return [...this.remotes.values()].sort((a, b) => (a.cfg.name < b.cfg.name ? -1 : 1));
  }

  has(name: string): boolean {
    return this.remotes.has(name);
  }

  configs(): RemoteConfig[] {
    return this.ordered().map((r) => ({ ...r.cfg, secret_id: r.secretIdText() }));
  }

  /** Start holding a remote (after unlock or `remote add`); the first refresh is awaited. */
  async start(cfg: RemoteConfig): Promise<Result<void>> {
    const { secret_id, ...rest } = cfg;
    const r = new LiveRemote(rest, secret_id);
    this.remotes.get(cfg.name)?.stop();
    this.remotes.set(cfg.name, r);
    const first = await this.refresh(cfg.name);
    if (!r.stopped) {
      r.timer = setInterval(() => void this.refresh(cfg.name), this.opts.refreshMs);
      r.timer.unref();
    }
    return first;
  }

  remove(name: string): boolean {
    const r = this.remotes.get(name);
    if (!r) return false;
    r.stop();
    this.remotes.delete(name);
    return true;
  }

  /** Lock: every remote stops and its secrets are zeroed. */
  stopAll(): void {
    for (const r of this.remotes.values()) r.stop();
    this.remotes.clear();
  }

  /** Fetch now (one refresh at a time per remote; a caller during one waits for it). */
  refresh(name: string): Promise<Result<void>> {
    const r = this.remotes.get(name);
    if (!r) return Promise.resolve(fail('INVALID_REQUEST', `no remote is named "${name}"`));
    if (r.running) return r.running;
    r.running = this.doRefresh(r).finally(() => {
      r.running = null;
    });
    return r.running;
  }

  private async doRefresh(r: LiveRemote): Promise<Result<void>> {
    const res = await this.fetchAll(r);
    if (r.stopped) return res;
    if (res.ok) {
      r.lastSync = this.opts.now();
      r.lastError = null;
      r.refusedLabels.clear();
    } else {
      if (r.lastError?.message !== res.message) this.opts.log(`remote ${r.cfg.name}: ${res.code}: ${res.message}`);
      r.lastError = res;
      if (res.code === 'DENIED') {
        for (const l of r.creds.keys()) r.refusedLabels.add(l);
        r.dropAll();
        r.lastSync = null;
      }
    }
    return res;
  }

  private async fetchAll(r: LiveRemote): Promise<Result<void>> {
    const login = await r.login();
    if (!login.ok) return login;
    const old = r.token;
    r.token = login.value;
    if (old !== null) void r.client.call('POST', 'auth/token/revoke-self', old);
    const token = login.value;
    const kv = kvPaths(r.cfg.mount, r.cfg.path);

    // Labels and versions in one call (OpenBao's detailed-metadata); plain metadata LIST otherwise.
    let versions = new Map<string, number>();
    let listed = await r.client.call('LIST', kv.detailedList(), token);
    if (listed.kind === 'http' && listed.status === 200) {
      const info = (listed.body as { data?: { key_info?: Record<string, { current_version?: unknown }> } } | null)?.data?.key_info ?? {};
      for (const [k, v] of Object.entries(info)) if (!k.endsWith('/')) versions.set(k, typeof v?.current_version === 'number' ? v.current_version : -1);
    } else if (listed.kind === 'http' && (listed.status === 403 || listed.status === 404 || listed.status === 405)) {
      listed = await r.client.call('LIST', kv.list(), token);
      if (listed.kind === 'http' && listed.status === 200) {
        const keys = (listed.body as { data?: { keys?: unknown } } | null)?.data?.keys;
        if (Array.isArray(keys)) for (const k of keys) if (typeof k === 'string' && !k.endsWith('/')) versions.set(k, -1);
      } else if (!(listed.kind === 'http' && listed.status === 404)) {
        return httpFailure(r.cfg.name, 'list the secrets', listed);
      }
    } else {
      return httpFailure(r.cfg.name, 'list the secrets', listed);
    }

    // Read only what the policy allows (no 403 noise in the server's audit log).
    const labels = [...versions.keys()];
    if (labels.length > 0) {
      // In batches: the server caps the strings in one JSON request (1000 by default).
      const allowed = new Map<string, number>();
      let checked = true;
      for (let i = 0; i < labels.length && checked; i += CAPS_BATCH) {
        const batch = labels.slice(i, i + CAPS_BATCH);
        const caps = await r.client.call('POST', 'sys/capabilities-self', token, { paths: batch.map(kv.data) });
        if (caps.kind === 'unreachable') return unreachable(r.cfg.name, caps.why);
        if (caps.status !== 200) {
          checked = false;
          break;
        }
        const body = caps.body as Record<string, unknown>;
        for (const l of batch) {
          const c = body[kv.data(l)];
          if (Array.isArray(c) && (c.includes('read') || c.includes('root'))) allowed.set(l, versions.get(l)!);
        }
      }
      // Without an answer, read everything listed (a refused read drops the label).
      if (checked) versions = allowed;
    }

    const toRead = [...versions].filter(([l, v]) => v < 0 || r.creds.get(l)?.version !== v).map(([l]) => l);
    const fresh = new Map<string, Held | null>();
    let failure: Failure | null = null;
    let next = 0;
    const worker = async () => {
      while (failure === null && next < toRead.length) {
        const label = toRead[next++]!;
        const ans = await r.client.call('GET', kv.data(label), token);
        if (ans.kind === 'http' && ans.status === 200) {
          const d = (ans.body as { data?: { data?: unknown; metadata?: { version?: unknown } } } | null)?.data;
          const c = credentialFromKv(label, d?.data);
          if (!c.ok) {
            r.invalid.set(label, c.message);
            fresh.set(label, null);
            continue;
          }
          r.invalid.delete(label);
          fresh.set(label, { held: hold(c.value), version: typeof d?.metadata?.version === 'number' && versions.get(label)! >= 0 ? d.metadata.version : -1 });
        } else if (ans.kind === 'http' && (ans.status === 403 || ans.status === 404)) {
          fresh.set(label, null);
        } else {
          failure = httpFailure(r.cfg.name, `read "${label}"`, ans);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, toRead.length) }, worker));
    if (failure !== null || r.stopped) {
      for (const h of fresh.values()) if (h) wipe(h.held);
      return failure ?? ok(undefined);
    }
    // Swap in: new or changed entries replace old ones (zeroed); gone or refused ones are dropped.
    for (const [label, h] of fresh) {
      const prev = r.creds.get(label);
      if (prev) wipe(prev.held);
      if (h) r.creds.set(label, h);
      else r.creds.delete(label);
    }
    for (const [label, h] of r.creds) {
      if (!versions.has(label)) {
        wipe(h.held);
        r.creds.delete(label);
      }
    }
    for (const label of r.invalid.keys()) if (!versions.has(label)) r.invalid.delete(label);
    return ok(undefined);
  }

  // ---- CredentialOverlay ----------------------------------------------------------

  get(label: string): Result<HeldCredential> | null {
    for (const r of this.ordered()) {
      const h = r.creds.get(label);
      if (h) {
        const age = r.lastSync === null ? Infinity : this.opts.now() - r.lastSync;
        if (age > this.opts.graceMs) {
          const why = r.lastError ? `: ${r.lastError.message}` : '';
          return fail('REMOTE_UNAVAILABLE', `"${label}" comes from remote "${r.cfg.name}", not reached for ${Math.round(age / 1000)} s (grace ${Math.round(this.opts.graceMs / 1000)} s)${why}`);
        }
        return ok(h.held);
      }
      if (r.refusedLabels.has(label)) return fail('REMOTE_UNAVAILABLE', `"${label}" comes from remote "${r.cfg.name}", which refused this agent's identity`);
    }
    return null;
  }

  list(taken: ReadonlySet<string>): CredentialSummary[] {
    const seen = new Set(taken);
    const out: CredentialSummary[] = [];
    for (const r of this.ordered()) {
      for (const [label, h] of r.creds) {
        if (seen.has(label)) continue;
        seen.add(label);
        out.push({ ...summarize(h.held), source: r.cfg.name });
      }
    }
    return out;
  }

  sourceOf(label: string): string | undefined {
    for (const r of this.ordered()) if (r.creds.has(label)) return r.cfg.name;
    return undefined;
  }

  // ---- reports ---------------------------------------------------------------------

  info(taken: ReadonlySet<string>): RemoteInfo[] {
    const seen = new Set(taken);
    return this.ordered().map((r) => {
      let n = 0;
      for (const l of r.creds.keys()) {
        if (seen.has(l)) continue;
        seen.add(l);
        n++;
      }
      return { name: r.cfg.name, url: r.cfg.urls.join(','), mount: r.cfg.mount, path: r.cfg.path, credentials: n, last_sync: r.lastSync === null ? null : new Date(r.lastSync).toISOString() };
    });
  }

  /** For doctor: clashes (the remote entry refused), invalid secrets, the last error per remote. */
  problems(taken: ReadonlySet<string>): { remote: string; kind: 'clash' | 'invalid' | 'error'; label?: string; message: string }[] {
    const out: { remote: string; kind: 'clash' | 'invalid' | 'error'; label?: string; message: string }[] = [];
    const owner = new Map<string, string>([...taken].map((l) => [l, 'local']));
    for (const r of this.ordered()) {
      if (r.lastError) out.push({ remote: r.cfg.name, kind: 'error', message: `${r.lastError.code}: ${r.lastError.message}` });
      for (const label of r.creds.keys()) {
        const first = owner.get(label);
        if (first !== undefined) out.push({ remote: r.cfg.name, kind: 'clash', label, message: `"${label}" of remote "${r.cfg.name}" is refused: the label is already ${first === 'local' ? 'a local credential' : `in remote "${first}"`}` });
        else owner.set(label, r.cfg.name);
      }
      for (const [label, why] of r.invalid) out.push({ remote: r.cfg.name, kind: 'invalid', label, message: why });
    }
    return out;
  }

  /** Write one credential to the remote with this agent's identity (its policy must allow create/update). */
  async put(name: string, input: unknown): Promise<Result<{ label: string }>> {
    const r = this.remotes.get(name);
    if (!r) return fail('INVALID_REQUEST', `no remote is named "${name}"`);
    const parsed = CredentialInputSchema.safeParse(input);
    if (!parsed.success) return fail('INVALID_REQUEST', `invalid credential (${parsed.error.issues[0]?.path.join('.') ?? '?'})`);
    const n = normalizeCredential(parsed.data);
    if (!n.ok) return n;
    let token = r.token;
    if (token === null) {
      const login = await r.login();
      if (!login.ok) return login;
      token = r.token = login.value;
    }
    const ans = await r.client.call('POST', kvPaths(r.cfg.mount, r.cfg.path).data(parsed.data.label), token, { data: kvFromInput(parsed.data) });
    if (ans.kind === 'http' && (ans.status === 200 || ans.status === 204)) {
      await this.refresh(name);
      return ok({ label: parsed.data.label });
    }
    return httpFailure(name, `write "${parsed.data.label}"`, ans);
  }
}
