/**
 * Where a keychain-mode vault keeps its random 256-bit master key: the OS keychain
 * (@napi-rs/keyring; on Linux pinned to the Secret Service, because the kernel keyring
 * fallback does not survive a reboot and would lose the vault), or memory for tests.
 * The key is stored as base64 of its 32 bytes.
 */
import { Entry } from '@napi-rs/keyring';
import { fail, ok, type Result } from '../../shared/errors.js';
import { KEY_BYTES } from './kdf.js';

export interface KeyStore {
  /** The key, or null when the keychain has none for this account. The caller owns the Buffer. */
  get(account: string): Result<Buffer | null>;
  set(account: string, key: Buffer): Result<void>;
  /** Removing an absent entry succeeds. */
  remove(account: string): Result<void>;
}

export const DEFAULT_SERVICE = 'blindfill';
const ENTRY_OPTIONS = { linux: { store: 'secret-service' as const } };
const BASE64_KEY_RE = /^[A-Za-z0-9+/]{43}=$/;

/** The thrown reason, stripped of anything that could be key material. */
function reasonOf(e: unknown, secrets: string[]): string {
  let msg = e instanceof Error ? e.message : String(e);
  for (const s of secrets) if (s) msg = msg.split(s).join('[redacted]');
  msg = msg.replace(/[A-Za-z0-9+/]{40,}={0,2}/g, '[redacted]').replace(/\b[0-9a-fA-F]{64,}\b/g, '[redacted]');
  return msg.replace(/\s+/g, ' ').trim().slice(0, 200) || 'unknown error';
}

function unavailable(e: unknown, secrets: string[] = []): Result<never> {
  return fail('KEYCHAIN_UNAVAILABLE', `no OS keychain (Secret Service) is reachable: ${reasonOf(e, secrets)}; use 'blindfill init --passphrase-stdin' instead`);
}

function decodeKey(service: string, account: string, stored: string): Result<Buffer> {
  if (!BASE64_KEY_RE.test(stored)) return fail('VAULT_CORRUPT', `the keychain entry ${service}/${account} does not hold a ${KEY_BYTES}-byte key`);
  const key = Buffer.alloc(KEY_BYTES);
  key.write(stored, 'base64');
  return ok(key);
}

export function osKeyStore(service: string = DEFAULT_SERVICE): KeyStore {
  const entry = (account: string): Entry => new Entry(service, account, ENTRY_OPTIONS);
  return {
    get(account) {
      let stored: string | null;
      try {
        stored = entry(account).getPassword();
      } catch (e) {
        return unavailable(e);
      }
      return stored === null ? ok(null) : decodeKey(service, account, stored);
    },
    set(account, key) {
      if (key.length !== KEY_BYTES) throw new Error(`keychain keys must be ${KEY_BYTES} bytes`);
      const encoded = key.toString('base64');
      try {
        entry(account).setPassword(encoded);
        return ok(undefined);
      } catch (e) {
        return unavailable(e, [encoded, key.toString('hex')]);
      }
    },
    remove(account) {
      try {
        entry(account).deleteCredential();
        return ok(undefined);
      } catch (e) {
        return unavailable(e);
      }
    },
  };
}

/** An in-memory KeyStore for unit tests of other modules. Keys are copied in and out. */
export function memoryKeyStore(): KeyStore {
  const keys = new Map<string, Buffer>();
  return {
    get(account) {
      const k = keys.get(account);
      if (!k) return ok(null);
      const copy = Buffer.alloc(KEY_BYTES);
      k.copy(copy);
      return ok(copy);
    },
    set(account, key) {
      if (key.length !== KEY_BYTES) throw new Error(`keychain keys must be ${KEY_BYTES} bytes`);
      keys.get(account)?.fill(0);
      const copy = Buffer.alloc(KEY_BYTES);
      key.copy(copy);
      keys.set(account, copy);
      return ok(undefined);
    },
    remove(account) {
      keys.get(account)?.fill(0);
      keys.delete(account);
      return ok(undefined);
    },
  };
}
