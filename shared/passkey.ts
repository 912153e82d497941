/**
 * Passkeys (CONTRACT §8): the stored passkey, the WebAuthn options a page hands over,
 * the answers that go back, and WebAuthn's rule for which origins may use an rp id.
 * Binary values travel as base64url text.
 */
import * as z from 'zod';
import { getDomain, getPublicSuffix } from 'tldts';
import { fail, ok, type Result } from './errors.js';
import { isIpHost, isLoopbackHost } from './origin-match.js';

export const B64URL_RE = /^[A-Za-z0-9_-]*$/;
const B64u = (max: number) => z.string().max(max).regex(B64URL_RE, 'base64url');

/** COSE algorithm ids blindfill can make keys for: ES256 and EdDSA (Ed25519). */
export const PASSKEY_ALGS = [-7, -8] as const;

/** The credential object's `passkey` (write-only, like a password). */
export const PasskeyInputSchema = z.strictObject({
  rp_id: z.string().min(1).max(253),
  credential_id: B64u(1366).min(1),
  user_handle: B64u(128),
  /** PKCS#8 DER, base64url: an EC P-256 or Ed25519 private key. */
  private_key: B64u(4096).min(1),
  sign_count: z.number().int().min(0).max(0xffffffff).optional(),
});
export type PasskeyInput = z.infer<typeof PasskeyInputSchema>;

export const CredentialDescriptorSchema = z.strictObject({ id: B64u(1366), type: z.string().max(40), transports: z.array(z.string().max(40)).max(10).optional() });

/** What the page shim forwards of `navigator.credentials.get({publicKey})`. */
export const GetOptionsSchema = z.strictObject({
  challenge: B64u(1366).min(1),
  rpId: z.string().max(253).optional(),
  allowCredentials: z.array(CredentialDescriptorSchema).max(64).optional(),
  userVerification: z.string().max(20).optional(),
});
export type GetOptions = z.infer<typeof GetOptionsSchema>;

/** What the page shim forwards of `navigator.credentials.create({publicKey})`. */
export const CreateOptionsSchema = z.strictObject({
  challenge: B64u(1366).min(1),
  rp: z.strictObject({ id: z.string().max(253).optional(), name: z.string().max(256).optional() }),
  user: z.strictObject({ id: B64u(128).min(1), name: z.string().max(256).optional(), displayName: z.string().max(256).optional() }),
  pubKeyCredParams: z.array(z.strictObject({ type: z.string().max(40), alg: z.number().int() })).max(32),
  excludeCredentials: z.array(CredentialDescriptorSchema).max(64).optional(),
  residentKey: z.string().max(20).optional(),
  requireResidentKey: z.boolean().optional(),
  userVerification: z.string().max(20).optional(),
  attestation: z.string().max(20).optional(),
});
export type CreateOptions = z.infer<typeof CreateOptionsSchema>;

/** An assertion: everything the page needs to build its PublicKeyCredential. */
export const AssertionSchema = z.strictObject({
  credential_id: B64u(1366),
  client_data_json: B64u(8192),
  authenticator_data: B64u(2048),
  signature: B64u(512),
  user_handle: B64u(128),
});
export type Assertion = z.infer<typeof AssertionSchema>;

/** A new credential (attestation "none"); public key as SPKI DER. */
export const AttestationSchema = z.strictObject({
  credential_id: B64u(1366),
  client_data_json: B64u(8192),
  attestation_object: B64u(4096),
  authenticator_data: B64u(2048),
  public_key: B64u(512),
  public_key_algorithm: z.number().int(),
  transports: z.array(z.string().max(20)).max(5),
  resident_key: z.boolean(),
});
export type Attestation = z.infer<typeof AttestationSchema>;

/** The effective domain of an origin: its host without port; IP hosts have none usable. */
function hostOf(origin: string): string | null {
  try {
    const u = new URL(origin);
    return u.hostname;
  } catch {
    return null;
  }
}

/** https, or http on a loopback host (browsers treat those as secure contexts; CONTRACT §4). */
export function passkeyOriginOk(origin: string): Result<void> {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return fail('INVALID_REQUEST', 'the caller origin is not a URL');
  }
  if (u.protocol === 'https:') return ok(undefined);
  if (u.protocol === 'http:' && isLoopbackHost(u.hostname)) return ok(undefined);
  return fail('INSECURE_ORIGIN', `passkeys are used only on https: pages, not ${u.origin}`);
}

/**
 * WebAuthn L3 §5.1.3/§5.1.4: `rpId` must equal the origin's effective domain or be a
 * registrable-domain suffix of it (Public Suffix List, private section included: an rp id
 * that is a public suffix is never allowed). Hosts compare in their ASCII form.
 */
export function rpIdAllowed(origin: string, rpId: string): boolean {
  const host = hostOf(origin);
  if (host === null || rpId.length === 0) return false;
  let rp: string;
  try {
    rp = new URL(`https://${rpId}`).hostname;
  } catch {
    return false;
  }
  if (rp !== rpId) return false; // upper case, ports, paths, credentials, or not ASCII: only the canonical form
  if (host === rp) return true;
  if (isIpHost(host) || isIpHost(rp)) return false;
  if (!host.endsWith(`.${rp}`)) return false;
  const opts = { allowPrivateDomains: true };
  if (getPublicSuffix(rp, opts) === rp) return false;
  const reg = getDomain(rp, opts);
  return reg !== null && (reg === rp || rp.endsWith(`.${reg}`));
}

/** The rp id a request names, or the origin's effective domain when it names none. */
export function effectiveRpId(origin: string, requested: string | undefined): string {
  return requested ?? hostOf(origin) ?? '';
}
