/**
 * The remotes a vault knows (address, mount, path, AppRole role-id and secret-id, CA),
 * sealed in `remotes.sealed` beside the vault with a key derived from the vault's master
 * key: the secret-id is as safe at rest as the vault's own secrets and opens only when the
 * vault is unlocked.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { fail, ok, type Result } from '../../shared/errors.js';
import { gcmOpen, gcmSeal } from '../vault/format.js';
import { writeVaultAtomic } from '../vault/store.js';

export const REMOTE_NAME_RE = /^[a-z0-9][a-z0-9._-]{0,31}$/;
export const RemoteNameSchema = z.string().regex(REMOTE_NAME_RE, 'remote name: 1-32 characters of a-z 0-9 . _ - (not "local")').refine((n) => n !== 'local', 'remote name: "local" is reserved');
/** A KV mount or path: segments of safe characters, no `..`. */
export const KvPathSchema = z.string().max(256).regex(/^[A-Za-z0-9._-]*(\/[A-Za-z0-9._-]+)*\/?$/).refine((p) => !p.split('/').includes('..'), 'no ".." segments');

export const RemoteConfigSchema = z.strictObject({
  name: RemoteNameSchema,
  urls: z.array(z.string().max(512)).min(1).max(16),
  mount: KvPathSchema.refine((m) => m.replace(/\//g, '') !== '', 'a mount is required'),
  path: KvPathSchema,
  role_id: z.string().min(1).max(256),
  secret_id: z.string().min(1).max(1024),
  ca: z.string().max(256 * 1024).optional(),
});
export type RemoteConfig = z.infer<typeof RemoteConfigSchema>;
const FileSchema = z.strictObject({ version: z.literal(1), remotes: z.array(RemoteConfigSchema) });

const MAGIC = Buffer.from('blindfill-remotes v1\n', 'ascii');
const NONCE = 12;
const TAG = 16;

export function remotesFile(home: string): string {
  return path.join(home, 'remotes.sealed');
}

/** Base URLs: https anywhere, http only on loopback (tests against `bao server -dev`). */
export function checkUrl(u: string): Result<string> {
  let url: URL;
  try {
    url = new URL(u);
  } catch {
    return fail('INVALID_REQUEST', `not a URL: ${JSON.stringify(u.slice(0, 200))}`);
  }
  if (url.username || url.password || url.search || url.hash) return fail('INVALID_REQUEST', 'the OpenBao address takes no credentials, query or fragment');
  const loopback = url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (url.protocol === 'http:' && !loopback) return fail('INSECURE_ORIGIN', `http is allowed only on loopback; use https for ${url.host}`);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return fail('INVALID_REQUEST', 'the OpenBao address must be https://');
  return ok(url.origin);
}

export function loadRemotes(home: string, key: Buffer, vaultId: string): Result<RemoteConfig[]> {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(remotesFile(home));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return ok([]);
    return fail('WRITE_FAILED', `cannot read ${remotesFile(home)}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (bytes.length < MAGIC.length + NONCE + TAG || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return fail('VAULT_CORRUPT', 'remotes.sealed is not a blindfill remotes file');
  const body = bytes.subarray(MAGIC.length);
  const plain = gcmOpen(key, body.subarray(0, NONCE), body.subarray(NONCE, body.length - TAG), body.subarray(body.length - TAG), Buffer.from(vaultId, 'utf8'));
  if (plain === null) return fail('VAULT_CORRUPT', 'remotes.sealed does not open with this vault\'s key');
  try {
    const parsed = FileSchema.safeParse(JSON.parse(plain.toString('utf8')));
    if (!parsed.success) return fail('VAULT_CORRUPT', 'remotes.sealed holds an invalid remote list');
    return ok(parsed.data.remotes);
  } catch {
    return fail('VAULT_CORRUPT', 'remotes.sealed holds an invalid remote list');
  } finally {
    plain.fill(0);
  }
}

export function saveRemotes(home: string, key: Buffer, vaultId: string, remotes: RemoteConfig[]): Result<void> {
  const plain = Buffer.from(JSON.stringify({ version: 1, remotes }), 'utf8');
  try {
    const sealed = gcmSeal(key, plain, Buffer.from(vaultId, 'utf8'));
    return writeVaultAtomic(remotesFile(home), Buffer.concat([MAGIC, sealed]));
  } finally {
    plain.fill(0);
  }
}
