/**
 * The daemon's vault: locked or unlocked, the only writer of the vault file. Every change
 * is sealed and written atomically before it takes effect in memory, so a failed write
 * loses nothing and leaves memory equal to disk.
 */
import { randomFillSync, timingSafeEqual } from 'node:crypto';
import { type Credential, type CredentialInput, normalizeCredential } from '../../shared/credential.js';
import { type ErrorCode, fail, type Failure, ok, type Result } from '../../shared/errors.js';
import type { Paths } from '../paths.js';
import { type AuditAnchor, auditKey, remotesKey, newVaultId, openVault, parseVault, sealVault, type SealHeader } from '../vault/format.js';
import { type KdfParams, deriveKey, newScryptParams } from '../vault/kdf.js';
import { passphraseKey, wrapUnderPassphrase } from '../vault/key-wrap.js';
import type { KeyStore } from '../vault/keychain.js';
import { PassphraseThrottle } from './passphrase-throttle.js';
import { ensurePrivateDir, readVaultFile, writeVaultAtomic } from '../vault/store.js';
import { deserialize, type HeldCredential, hold, serialize, summarize, wipe } from './secret-credential.js';
import type { CredentialSummary } from '../../shared/credential.js';

export type KeyMode = 'passphrase' | 'keychain';

interface Unlocked {
  key: Buffer;
  vaultId: string;
  kdf: KdfParams;
  creds: Map<string, HeldCredential>;
  /** The audit entry the vault on disk binds (never moves back). */
  audit: AuditAnchor | undefined;
}

export interface VaultDeps {
  paths: Paths;
  /** The OS keychain, loaded on first use (its native addon is not needed by passphrase vaults). */
  keyStore: () => KeyStore | Promise<KeyStore>;
  /** Called with the audit key when the vault unlocks or is created, and the audit entry the vault binds. */
  onKey: (auditKey: Buffer, vaultId: string, anchor: AuditAnchor | null) => void;
  /**
   * The audit log's side of the binding: its last entry now (null: none, or another
   * vault's log), and the anchor a successful save has just written into the vault.
   */
  auditAnchor?: { current(vaultId: string): AuditAnchor | null; saved(anchor: AuditAnchor | null): void };
  /** The clock of the passphrase throttle (default Date.now). */
  now?: () => number;
}

/** Credentials from elsewhere (remote vaults), consulted after the local ones. */
export interface CredentialOverlay {
  /** null: no such label in any remote. */
  get(label: string): Result<HeldCredential> | null;
  /** Summaries with their source, leaving out labels in `taken` (a clash: the local one wins). */
  list(taken: ReadonlySet<string>): CredentialSummary[];
  /** The remote's name for a label it holds, else undefined. */
  sourceOf(label: string): string | undefined;
}

export class VaultState {
  private open: Unlocked | null = null;
  private overlay: CredentialOverlay | null = null;
  private readonly changeListeners: Array<() => void> = [];
  /** One for the daemon: every passphrase check, whoever asks, counts against it. */
  private readonly throttle = new PassphraseThrottle();

  constructor(private readonly deps: VaultDeps) {}

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** RATE_LIMITED while the throttle says wait, else null. */
  private throttled(): Failure | null {
    const wait = this.throttle.waitMs(this.now());
    if (wait === 0) return null;
    return fail('RATE_LIMITED', `too many wrong passphrases: the next check is allowed in ${Math.ceil(wait / 1000)} s`);
  }

  /** Derive the master key from a passphrase under the throttle; a wrong one counts. */
  private async keyFromPassphrase(passphrase: Buffer, kdf: KdfParams & { name: 'scrypt' }, vaultId: string): Promise<Result<Buffer>> {
    const t = this.throttled();
    if (t) return t;
    const k = await passphraseKey(passphrase, kdf, vaultId);
    if (!k.ok) this.throttle.failed(this.now());
    return k;
  }

  /** Call `fn` after every change of the unlocked contents or of the lock state (the
   *  secret-echo guard drops its patterns then). */
  onChange(fn: () => void): void {
    this.changeListeners.push(fn);
  }

  private changed(): void {
    for (const fn of this.changeListeners) fn();
  }

  get isUnlocked(): boolean {
    return this.open !== null;
  }

  /** absent / locked / unlocked, and how many credentials (from the header when locked). */
  status(): { vault: 'absent' | 'locked' | 'unlocked'; credentials: number; key_mode?: KeyMode } {
    if (this.open) return { vault: 'unlocked', credentials: this.open.creds.size, key_mode: modeOf(this.open.kdf) };
    const file = readVaultFile(this.deps.paths.vault);
    if (!file.ok) return { vault: file.code === 'VAULT_ABSENT' ? 'absent' : 'locked', credentials: 0 };
    const parsed = parseVault(file.value);
    if (!parsed.ok) return { vault: 'locked', credentials: 0 };
    return { vault: 'locked', credentials: parsed.value.header.credentials, key_mode: modeOf(parsed.value.header.kdf) };
  }

  async init(mode: KeyMode, passphrase: Buffer | undefined): Promise<Result<{ vault_id: string }>> {
    const dir = ensurePrivateDir(this.deps.paths.home);
    if (!dir.ok) return dir;
    const existing = readVaultFile(this.deps.paths.vault);
    if (existing.ok || existing.code !== 'VAULT_ABSENT') {
      return existing.ok ? fail('VAULT_EXISTS', `a vault already exists at ${this.deps.paths.vault}`) : existing;
    }
    const vaultId = newVaultId();
    let key: Buffer;
    let kdf: KdfParams;
    if (mode === 'passphrase') {
      if (!passphrase || passphrase.length === 0) return fail('INVALID_REQUEST', 'a passphrase is required');
      kdf = newScryptParams();
      key = await deriveKey(passphrase, kdf);
    } else {
      key = Buffer.alloc(32);
      randomFillSync(key);
      kdf = { name: 'keychain', service: 'blindfill', account: vaultId };
      const stored = (await this.deps.keyStore()).set(vaultId, key);
      if (!stored.ok) {
        key.fill(0);
        return stored;
      }
    }
    const candidate: Unlocked = { key, vaultId, kdf, creds: new Map(), audit: undefined };
    const saved = this.write(candidate, candidate.creds);
    if (!saved.ok) {
      key.fill(0);
      if (mode === 'keychain') (await this.deps.keyStore()).remove(vaultId);
      return saved;
    }
    this.lock();
    this.open = candidate;
    this.changed();
    this.deps.onKey(auditKey(key), vaultId, null);
    return ok({ vault_id: vaultId });
  }

  /**
   * Unlock; when already unlocked, a passphrase vault still checks the passphrase (a
   * wrong one changes nothing), so `unlock` cannot be used to skip it.
   */
  async unlock(passphrase: Buffer | undefined): Promise<Result<{ credentials: number }>> {
    if (this.open) {
      if (this.open.kdf.name === 'scrypt') {
        if (!passphrase || passphrase.length === 0) return fail('INVALID_REQUEST', 'this vault is protected by a passphrase: use --passphrase-stdin');
        const v = await this.verifyPassphrase(passphrase);
        if (!v.ok) return v;
      }
      return ok({ credentials: this.open.creds.size });
    }
    const file = readVaultFile(this.deps.paths.vault);
    if (!file.ok) return file;
    const parsed = parseVault(file.value);
    if (!parsed.ok) return parsed;
    const { header } = parsed.value;
    let key: Buffer;
    if (header.kdf.name === 'scrypt') {
      if (!passphrase || passphrase.length === 0) return fail('INVALID_REQUEST', 'this vault is protected by a passphrase: use --passphrase-stdin');
      const k = await this.keyFromPassphrase(passphrase, header.kdf, header.vault_id);
      if (!k.ok) return k;
      key = k.value;
    } else {
      const got = (await this.deps.keyStore()).get(header.kdf.account);
      if (!got.ok) return got;
      if (got.value === null) return fail('KEYCHAIN_UNAVAILABLE', 'the OS keychain holds no key for this vault');
      key = got.value;
    }
    const plain = openVault(parsed.value, key);
    if (!plain.ok) {
      key.fill(0);
      if (plain.code === 'BAD_PASSPHRASE' && header.kdf.name === 'scrypt') this.throttle.failed(this.now());
      return plain;
    }
    if (header.kdf.name === 'scrypt') this.throttle.succeeded();
    const creds = deserialize(plain.value);
    plain.value.fill(0);
    if (creds === null) {
      key.fill(0);
      return fail('VAULT_CORRUPT', 'the vault decrypted but its contents are not a valid credential list');
    }
    this.open = { key, vaultId: header.vault_id, kdf: header.kdf, creds: new Map(creds.map((c) => [c.label, c])), audit: header.audit };
    this.changed();
    this.deps.onKey(auditKey(key), header.vault_id, header.audit ?? null);
    return ok({ credentials: creds.length });
  }

  /** Drop the key and zero every secret Buffer. */
  lock(): void {
    const o = this.open;
    if (!o) return;
    this.open = null;
    for (const c of o.creds.values()) wipe(c);
    o.creds.clear();
    o.key.fill(0);
    this.changed();
  }

  /**
   * Check a passphrase against the open vault (re-authentication), under the throttle:
   * BAD_PASSPHRASE, RATE_LIMITED, or ok.
   */
  async verifyPassphrase(passphrase: Buffer): Promise<Result<void>> {
    const o = this.open;
    if (!o) return lockedFailure();
    if (o.kdf.name !== 'scrypt') return fail('INVALID_REQUEST', 'this vault has no passphrase: its key is in the OS keychain');
    const k = await this.keyFromPassphrase(passphrase, o.kdf, o.vaultId);
    if (!k.ok) return k;
    const same = k.value.length === o.key.length && timingSafeEqual(k.value, o.key);
    k.value.fill(0);
    if (!same) {
      this.throttle.failed(this.now());
      return fail('BAD_PASSPHRASE', 'wrong passphrase: nothing changed');
    }
    this.throttle.succeeded();
    return ok(undefined);
  }

  /**
   * Change how the master key is protected (passwd): a new passphrase, or the OS keychain,
   * or from the keychain to a passphrase. The master key itself stays (the audit chain is
   * keyed from it); the file is re-sealed and replaced atomically, so a crash leaves the
   * old file (the old protection opens it) or the new one. Works locked or unlocked and
   * leaves the lock state as it was. `old` is the current passphrase (passphrase vaults).
   */
  async changeKey(old: Buffer | undefined, to: KeyMode, next: Buffer | undefined): Promise<Result<{ key_mode: KeyMode }>> {
    const file = readVaultFile(this.deps.paths.vault);
    if (!file.ok) return file;
    const parsed = parseVault(file.value);
    if (!parsed.ok) return parsed;
    const { header } = parsed.value;
    const from = modeOf(header.kdf);
    if (from === 'keychain' && to === 'keychain') return fail('INVALID_REQUEST', 'the vault key is already in the OS keychain');
    if (to === 'passphrase' && (!next || next.length === 0)) return fail('INVALID_REQUEST', 'a new passphrase is required');
    let master: Buffer;
    if (header.kdf.name === 'scrypt') {
      if (!old || old.length === 0) return fail('INVALID_REQUEST', 'the current passphrase is required');
      const k = await this.keyFromPassphrase(old, header.kdf, header.vault_id);
      if (!k.ok) return k;
      master = k.value;
    } else {
      const got = (await this.deps.keyStore()).get(header.kdf.account);
      if (!got.ok) return got;
      if (got.value === null) return fail('KEYCHAIN_UNAVAILABLE', 'the OS keychain holds no key for this vault');
      master = got.value;
    }
    try {
      // The file on disk is what the new protection must open: read it with the old key.
      const plain = openVault(parsed.value, master);
      if (!plain.ok) {
        if (plain.code === 'BAD_PASSPHRASE' && header.kdf.name === 'scrypt') this.throttle.failed(this.now());
        return plain;
      }
      if (header.kdf.name === 'scrypt') this.throttle.succeeded();
      try {
        let kdf: KdfParams;
        if (to === 'keychain') {
          kdf = { name: 'keychain', service: 'blindfill', account: header.vault_id };
          // The keychain gets the key before the file names it: a crash in between leaves
          // the old file, which the old passphrase still opens.
          const stored = (await this.deps.keyStore()).set(header.vault_id, master);
          if (!stored.ok) return stored;
        } else {
          kdf = await wrapUnderPassphrase(master, next!, header.vault_id);
        }
        const bytes = sealVault({ format: 'blindfill-vault', vault_id: header.vault_id, kdf, credentials: header.credentials }, plain.value, master);
        const saved = writeVaultAtomic(this.deps.paths.vault, bytes);
        if (!saved.ok) {
          if (to === 'keychain') (await this.deps.keyStore()).remove(header.vault_id);
          return saved;
        }
        // The file no longer names the keychain entry: drop it (a leftover is harmless).
        if (from === 'keychain') (await this.deps.keyStore()).remove(header.kdf.name === 'keychain' ? header.kdf.account : header.vault_id);
        if (this.open && this.open.vaultId === header.vault_id) this.open.kdf = kdf;
        return ok({ key_mode: to });
      } finally {
        plain.value.fill(0);
      }
    } finally {
      master.fill(0);
    }
  }

  get keyMode(): KeyMode | null {
    return this.open ? modeOf(this.open.kdf) : null;
  }

  setOverlay(o: CredentialOverlay): void {
    this.overlay = o;
  }

  /** A local credential, else a remote one (a local label always wins a clash). */
  get(label: string): Result<HeldCredential> {
    if (!this.open) return lockedFailure();
    const c = this.open.creds.get(label);
    if (c) return ok(c);
    const r = this.overlay?.get(label);
    if (r) return r;
    return fail('UNKNOWN_LABEL', `no credential is labelled "${label}"`);
  }

  /** `local`, a remote's name, or undefined (no such label). */
  sourceOf(label: string): string | undefined {
    if (!this.open) return undefined;
    if (this.open.creds.has(label)) return 'local';
    return this.overlay?.sourceOf(label);
  }

  /** The labels of the local vault (for clash checks). */
  localLabels(): ReadonlySet<string> {
    return new Set(this.open ? this.open.creds.keys() : []);
  }

  /** A key derived from the master key for the sealed remotes file, or null when locked. The caller zeroes it. */
  remotesKey(): { key: Buffer; vaultId: string } | null {
    return this.open ? { key: remotesKey(this.open.key), vaultId: this.open.vaultId } : null;
  }

  list(): Result<CredentialSummary[]> {
    if (!this.open) return lockedFailure();
    const local = [...this.open.creds.values()].map((h) => ({ ...summarize(h), source: 'local' }));
    const remote = this.overlay ? this.overlay.list(new Set(this.open.creds.keys())) : [];
    return ok([...local, ...remote].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0)));
  }

  /** All or nothing: one invalid or duplicate entry refuses the whole batch. */
  add(inputs: CredentialInput[]): Result<string[]> {
    if (!this.open) return lockedFailure();
    const seen = new Set<string>();
    const normalized: Credential[] = [];
    for (const input of inputs) {
      if (this.open.creds.has(input.label) || seen.has(input.label)) {
        return fail('DUPLICATE_LABEL', `a credential labelled "${input.label}" already exists`);
      }
      seen.add(input.label);
      const n = normalizeCredential(input);
      if (!n.ok) return n;
      normalized.push(n.value);
    }
    const next = new Map(this.open.creds);
    const added = normalized.map(hold);
    for (const h of added) next.set(h.label, h);
    const saved = this.write(this.open, next);
    if (!saved.ok) {
      added.forEach(wipe);
      return saved;
    }
    this.open.creds = next;
    this.changed();
    return ok(added.map((h) => h.label));
  }

  /** Replace one credential (already validated and merged by the caller). */
  replace(label: string, updated: HeldCredential): Result<void> {
    if (!this.open) return lockedFailure();
    const old = this.open.creds.get(label);
    if (!old) return fail('UNKNOWN_LABEL', `no credential is labelled "${label}"`);
    const next = new Map(this.open.creds);
    next.set(label, updated);
    const saved = this.write(this.open, next);
    if (!saved.ok) return saved;
    this.open.creds = next;
    releaseReplaced(old, updated);
    this.changed();
    return ok(undefined);
  }

  remove(label: string): Result<void> {
    if (!this.open) return lockedFailure();
    const old = this.open.creds.get(label);
    if (!old) return fail('UNKNOWN_LABEL', `no credential is labelled "${label}"`);
    const next = new Map(this.open.creds);
    next.delete(label);
    const saved = this.write(this.open, next);
    if (!saved.ok) return saved;
    this.open.creds = next;
    wipe(old);
    this.changed();
    return ok(undefined);
  }

  /** Store a new credential built by the daemon (an account flow); DUPLICATE_LABEL if the label is taken. */
  insert(h: HeldCredential): Result<void> {
    if (!this.open) return lockedFailure();
    if (this.open.creds.has(h.label)) return fail('DUPLICATE_LABEL', `a credential labelled "${h.label}" already exists`);
    const next = new Map(this.open.creds);
    next.set(h.label, h);
    const saved = this.write(this.open, next);
    if (!saved.ok) return saved;
    this.open.creds = next;
    this.changed();
    return ok(undefined);
  }

  /** Give a credential a new label (unique), keeping its place in nothing but the map. */
  rename(label: string, newLabel: string): Result<void> {
    if (!this.open) return lockedFailure();
    const old = this.open.creds.get(label);
    if (!old) return fail('UNKNOWN_LABEL', `no credential is labelled "${label}"`);
    if (label === newLabel) return ok(undefined);
    if (this.open.creds.has(newLabel)) return fail('DUPLICATE_LABEL', `a credential labelled "${newLabel}" already exists`);
    const next = new Map(this.open.creds);
    next.delete(label);
    next.set(newLabel, { ...old, label: newLabel });
    const saved = this.write(this.open, next);
    if (!saved.ok) return saved;
    this.open.creds = next;
    this.changed();
    return ok(undefined);
  }

  private write(o: Unlocked, creds: Map<string, HeldCredential>): Result<void> {
    const plaintext = serialize(creds.values());
    try {
      // Bind the audit log as it is now; keep the previous anchor if the log cannot say
      // (a binding never moves back).
      const now = this.deps.auditAnchor?.current(o.vaultId) ?? null;
      const audit = now !== null && (o.audit === undefined || now.seq >= o.audit.seq) ? now : o.audit;
      const header: SealHeader = {
        format: 'blindfill-vault',
        vault_id: o.vaultId,
        kdf: o.kdf,
        credentials: creds.size,
        ...(audit ? { audit } : {}),
      };
      const bytes = sealVault(header, plaintext, o.key);
      const written = writeVaultAtomic(this.deps.paths.vault, bytes);
      if (written.ok) {
        o.audit = audit;
        this.deps.auditAnchor?.saved(audit ?? null);
      }
      return written;
    } finally {
      plaintext.fill(0);
    }
  }
}

/** Zero the old credential's secret Buffers that the new one does not hold (in any slot). */
function releaseReplaced(old: HeldCredential, now: HeldCredential): void {
  const kept = new Set([now.username, now.password, now.newPassword, now.previousPassword, now.totp?.secret].filter((b) => b !== undefined));
  for (const b of [old.username, old.password, old.newPassword, old.previousPassword, old.totp?.secret]) if (b && !kept.has(b)) b.fill(0);
  if (old.passkey && old.passkey.private_key !== now.passkey?.private_key) old.passkey.private_key.fill(0);
}

function modeOf(kdf: KdfParams): KeyMode {
  return kdf.name === 'scrypt' ? 'passphrase' : 'keychain';
}

function lockedFailure(): Failure {
  return fail('VAULT_LOCKED' as ErrorCode, 'the vault is locked: run `blindfill unlock`');
}
