/**
 * How the unlocked daemon holds credentials: secrets in Buffers (zeroed on lock or
 * replacement), everything else as plain data. Conversion to and from the vault's JSON
 * plaintext lives here too.
 */
import * as z from 'zod';
import type { Credential, Policy } from '../../shared/credential.js';
import { LabelSchema, PolicySchema, summarize as summarizePlain, type CredentialSummary } from '../../shared/credential.js';
import { TOTP_ALGORITHMS, type TotpParams } from '../../shared/totp.js';

export interface HeldCredential {
  label: string;
  username?: Buffer;
  password?: Buffer;
  totp?: { secret: Buffer; digits: number; period: number; algorithm: TotpParams['algorithm'] };
  origins: string[];
  windows: string[];
  sequence?: string;
  policy: Policy;
  /** A sign-up stored before its fill, not yet accepted by the site: the owner's to confirm or remove. */
  pending?: true;
  /** A changed password not yet promoted (the change's outcome is not known to be a success). */
  newPassword?: Buffer;
  /** The password before a change, kept until the owner confirms. */
  previousPassword?: Buffer;
  passkey?: HeldPasskey;
}

/** A passkey held by the daemon: the private key (PKCS#8 DER) in a Buffer, zeroed like every secret. */
export interface HeldPasskey {
  rp_id: string;
  credential_id: string;
  user_handle: string;
  private_key: Buffer;
  sign_count: number;
}

const StoredCredentialSchema = z.strictObject({
  label: LabelSchema,
  username: z.string().optional(),
  password: z.string().optional(),
  totp: z
    .strictObject({ secret: z.string(), digits: z.number().int(), period: z.number().int(), algorithm: z.enum(TOTP_ALGORITHMS) })
    .optional(),
  origins: z.array(z.string()),
  windows: z.array(z.string()),
  sequence: z.string().optional(),
  policy: PolicySchema,
  // Account flows: written only while a flow's result awaits confirmation, so a vault
  // without one stays readable by builds that predate these fields.
  pending: z.literal(true).optional(),
  new_password: z.string().optional(),
  previous_password: z.string().optional(),
  passkey: z
    .strictObject({ rp_id: z.string(), credential_id: z.string(), user_handle: z.string(), private_key: z.string(), sign_count: z.number().int().min(0) })
    .optional(),
});
export const VaultPlaintextSchema = z.strictObject({
  version: z.literal(1),
  credentials: z.array(StoredCredentialSchema),
});

const buf = (s: string) => Buffer.from(s, 'utf8');

export function hold(c: Credential): HeldCredential {
  const h: HeldCredential = { label: c.label, origins: [...c.origins], windows: [...c.windows], policy: c.policy };
  if (c.username !== undefined) h.username = buf(c.username);
  if (c.password !== undefined) h.password = buf(c.password);
  if (c.totp !== undefined) h.totp = { secret: buf(c.totp.secret), digits: c.totp.digits, period: c.totp.period, algorithm: c.totp.algorithm };
  if (c.sequence !== undefined) h.sequence = c.sequence;
  if (c.passkey !== undefined) h.passkey = holdPasskey(c.passkey);
  return h;
}

function holdPasskey(p: { rp_id: string; credential_id: string; user_handle: string; private_key: string; sign_count: number }): HeldPasskey {
  return { rp_id: p.rp_id, credential_id: p.credential_id, user_handle: p.user_handle, private_key: Buffer.from(p.private_key, 'base64url'), sign_count: p.sign_count };
}

export function wipe(h: HeldCredential): void {
  h.username?.fill(0);
  h.password?.fill(0);
  h.newPassword?.fill(0);
  h.previousPassword?.fill(0);
  h.totp?.secret.fill(0);
  h.passkey?.private_key.fill(0);
}

export function totpParams(h: HeldCredential): TotpParams | undefined {
  if (!h.totp) return undefined;
  return { secret: h.totp.secret.toString('utf8'), digits: h.totp.digits, period: h.totp.period, algorithm: h.totp.algorithm };
}

export function summarize(h: HeldCredential): CredentialSummary {
  const s = summarizePlain({ label: h.label, origins: h.origins, windows: h.windows, policy: h.policy });
  const out: CredentialSummary = {
    ...s,
    has_username: (h.username?.length ?? 0) > 0,
    has_password: (h.password?.length ?? 0) > 0,
    has_totp: h.totp !== undefined,
    has_passkey: h.passkey !== undefined,
    ...(h.passkey !== undefined ? { rp_id: h.passkey.rp_id } : {}),
  };
  if (h.pending) out.pending = 'created';
  else if (h.newPassword) out.pending = 'new_password';
  if (h.previousPassword) out.has_previous_password = true;
  return out;
}

/** Serialize for sealing. The returned Buffer holds secrets: the caller zeroes it. */
export function serialize(creds: Iterable<HeldCredential>): Buffer {
  const parts: string[] = [];
  for (const h of creds) {
    const o: Record<string, unknown> = { label: h.label };
    if (h.username) o.username = h.username.toString('utf8');
    if (h.password) o.password = h.password.toString('utf8');
    if (h.totp) o.totp = { secret: h.totp.secret.toString('utf8'), digits: h.totp.digits, period: h.totp.period, algorithm: h.totp.algorithm };
    o.origins = h.origins;
    o.windows = h.windows;
    if (h.sequence !== undefined) o.sequence = h.sequence;
    o.policy = h.policy;
    if (h.pending) o.pending = true;
    if (h.newPassword) o.new_password = h.newPassword.toString('utf8');
    if (h.previousPassword) o.previous_password = h.previousPassword.toString('utf8');
    if (h.passkey) {
      const p = h.passkey;
      o.passkey = { rp_id: p.rp_id, credential_id: p.credential_id, user_handle: p.user_handle, private_key: p.private_key.toString('base64url'), sign_count: p.sign_count };
    }
    parts.push(JSON.stringify(o));
  }
  return Buffer.from(`{"version":1,"credentials":[${parts.join(',')}]}`, 'utf8');
}

/** Parse decrypted plaintext; null when its shape is wrong (a corrupt vault). */
export function deserialize(plaintext: Buffer): HeldCredential[] | null {
  let raw: unknown;
  try {
    raw = JSON.parse(plaintext.toString('utf8'));
  } catch {
    return null;
  }
  const parsed = VaultPlaintextSchema.safeParse(raw);
  if (!parsed.success) return null;
  return parsed.data.credentials.map((c) => {
    const h: HeldCredential = { label: c.label, origins: c.origins, windows: c.windows, policy: c.policy };
    if (c.username !== undefined) h.username = buf(c.username);
    if (c.password !== undefined) h.password = buf(c.password);
    if (c.totp) h.totp = { ...c.totp, secret: buf(c.totp.secret) };
    if (c.sequence !== undefined) h.sequence = c.sequence;
    if (c.pending) h.pending = true;
    if (c.new_password !== undefined) h.newPassword = buf(c.new_password);
    if (c.previous_password !== undefined) h.previousPassword = buf(c.previous_password);
    if (c.passkey) h.passkey = holdPasskey(c.passkey);
    return h;
  });
}
