/**
 * The daemon's vault: locked or unlocked, the only writer of the vault file. Every change
 * is sealed and written atomically before it takes effect in memory, so a failed write
 * loses nothing and leaves memory equal to disk.
 */
import { randomFillSync, timingSafeEqual } from 'node:crypto';
import { type Credential, type CredentialInput, normalizeCredential } from '../../shared/credential.js';
import { type ErrorCode, fail, type Failure, ok, type Result } from '../../shared/errors.js';
import type { Paths } from '../paths.js';
import { type AuditAnchor, auditKey, newVaultId, openVault, parseVault, sealVault, type SealHeader } from '../vault/format.js';
import { type KdfParams, deriveKey, newScryptParams } from '../vault/kdf.js';
import type { KeyStore } from '../vault/keychain.js';
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
}

export class VaultState {
  private open: Unlocked | null = null;
  private readonly changeListeners: Array<() => void> = [];

  constructor(private readonly deps: VaultDeps) {}

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

  async unlock(passphrase: Buffer | undefined): Promise<Result<{ credentials: number }>> {
    if (this.open) return ok({ credentials: this.open.creds.size });
    const file = readVaultFile(this.deps.paths.vault);
    if (!file.ok) return file;
    const parsed = parseVault(file.value);
    if (!parsed.ok) return parsed;
    const { header } = parsed.value;
    let key: Buffer;
    if (header.kdf.name === 'scrypt') {
      if (!passphrase || passphrase.length === 0) return fail('INVALID_REQUEST', 'this vault is protected by a passphrase: use --passphrase-stdin');
      key = await deriveKey(passphrase, header.kdf);
    } else {
      const got = (await this.deps.keyStore()).get(header.kdf.account);
      if (!got.ok) return got;
      if (got.value === null) return fail('KEYCHAIN_UNAVAILABLE', 'the OS keychain holds no key for this vault');
      key = got.value;
    }
    const plain = openVault(parsed.value, key);
    if (!plain.ok) {
      key.fill(0);
      return plain;
    }
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

  /** Check a passphrase against the open vault (re-authentication for widening changes). */
  async verifyPassphrase(passphrase: Buffer): Promise<boolean> {
    if (!this.open || this.open.kdf.name !== 'scrypt') return false;
    const key = await deriveKey(passphrase, this.open.kdf);
    const same = key.length === this.open.key.length && timingSafeEqual(key, this.open.key);
    key.fill(0);
    return same;
  }

  get keyMode(): KeyMode | null {
    return this.open ? modeOf(this.open.kdf) : null;
  }

  get(label: string): Result<HeldCredential> {
    if (!this.open) return lockedFailure();
    const c = this.open.creds.get(label);
    if (!c) return fail('UNKNOWN_LABEL', `no credential is labelled "${label}"`);
    return ok(c);
  }

  list(): Result<CredentialSummary[]> {
    if (!this.open) return lockedFailure();
    return ok([...this.open.creds.values()].map(summarize).sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0)));
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

/** Zero the old credential's secret Buffers that the new one does not share. */
function releaseReplaced(old: HeldCredential, now: HeldCredential): void {
  if (old.username && old.username !== now.username) old.username.fill(0);
  if (old.password && old.password !== now.password) old.password.fill(0);
  if (old.totp && old.totp.secret !== now.totp?.secret) old.totp.secret.fill(0);
}

function modeOf(kdf: KdfParams): KeyMode {
  return kdf.name === 'scrypt' ? 'passphrase' : 'keychain';
}

function lockedFailure(): Failure {
  return fail('VAULT_LOCKED' as ErrorCode, 'the vault is locked: run `blindfill unlock`');
}
