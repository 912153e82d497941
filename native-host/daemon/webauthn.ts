/**
 * The authenticator's side of WebAuthn, pure apart from node:crypto (Node's built-in,
 * maintained ECDSA P-256 and Ed25519): client data, authenticator data, COSE keys, the
 * "none" attestation object, and signatures. CBOR comes from @levischuck/tiny-cbor, the
 * encoder @simplewebauthn/server itself decodes with.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { type CBORType, encodeCBOR } from '@levischuck/tiny-cbor';

export const FLAG_UP = 0x01;
export const FLAG_UV = 0x04;
export const FLAG_AT = 0x40;

export type PasskeyAlg = -7 | -8;

const sha256 = (b: Uint8Array | string): Buffer => createHash('sha256').update(b).digest();

/**
 * The client data the browser would make (WebAuthn L3 §5.8.1): built here from the origin
 * the extension saw, never from anything the page says except the challenge.
 */
export function clientDataJSON(type: 'webauthn.get' | 'webauthn.create', challenge: string, origin: string, crossOrigin: boolean, topOrigin?: string): Buffer {
  const o: Record<string, unknown> = { type, challenge, origin, crossOrigin };
  if (crossOrigin && topOrigin !== undefined) o.topOrigin = topOrigin;
  return Buffer.from(JSON.stringify(o), 'utf8');
}

/** rpIdHash ‖ flags ‖ signCount (big-endian u32) ‖ attested credential data. */
export function authenticatorData(rpId: string, flags: number, signCount: number, attested?: Buffer): Buffer {
  const head = Buffer.alloc(37);
  sha256(rpId).copy(head, 0);
  head[32] = flags;
  head.writeUInt32BE(signCount >>> 0, 33);
  return attested ? Buffer.concat([head, attested]) : head;
}

/** AAGUID (all zero: no attestation) ‖ credential id length ‖ id ‖ COSE public key. */
export function attestedCredentialData(credentialId: Buffer, cose: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(credentialId.length);
  return Buffer.concat([Buffer.alloc(16), len, credentialId, cose]);
}

/** The COSE_Key of a public key (RFC 9053): EC2 P-256 for ES256, OKP Ed25519 for EdDSA. */
export function coseKey(pub: KeyObject, alg: PasskeyAlg): Buffer {
  const jwk = pub.export({ format: 'jwk' });
  const m = new Map<number, number | Uint8Array>();
  if (alg === -7) {
    m.set(1, 2).set(3, -7).set(-1, 1).set(-2, Buffer.from(jwk.x!, 'base64url')).set(-3, Buffer.from(jwk.y!, 'base64url'));
  } else {
    m.set(1, 1).set(3, -8).set(-1, 6).set(-2, Buffer.from(jwk.x!, 'base64url'));
  }
  return Buffer.from(encodeCBOR(m));
}

/** `{fmt:"none", attStmt:{}, authData}`. */
export function attestationObject(authData: Buffer): Buffer {
  const m = new Map<string, CBORType>();
  m.set('fmt', 'none').set('attStmt', new Map<string, CBORType>()).set('authData', new Uint8Array(authData));
  return Buffer.from(encodeCBOR(m));
}

/** The algorithm of a PKCS#8 private key, or null when it is neither P-256 nor Ed25519 (or not a key). */
export function keyAlg(pkcs8: Buffer): PasskeyAlg | null {
  try {
    const k = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    if (k.asymmetricKeyType === 'ed25519') return -8;
    if (k.asymmetricKeyType === 'ec' && k.asymmetricKeyDetails?.namedCurve === 'prime256v1') return -7;
    return null;
  } catch {
    return null;
  }
}

/** A new key pair: PKCS#8 DER private key, SPKI DER and COSE public key. */
export function newKeyPair(alg: PasskeyAlg): { pkcs8: Buffer; spki: Buffer; cose: Buffer } {
  const { privateKey, publicKey } = alg === -7 ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  return {
    pkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }),
    spki: publicKey.export({ format: 'der', type: 'spki' }),
    cose: coseKey(publicKey, alg),
  };
}

/** The assertion signature over authenticatorData ‖ SHA-256(clientDataJSON) (ECDSA: DER, as WebAuthn wants). */
export function signAssertion(pkcs8: Buffer, authData: Buffer, clientData: Buffer): Buffer {
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  const data = Buffer.concat([authData, sha256(clientData)]);
  return key.asymmetricKeyType === 'ed25519' ? sign(null, data, key) : sign('sha256', data, key);
}

/** The SPKI DER of a private key's public half (for tests and the settings view, never secret). */
export function publicSpki(pkcs8: Buffer): Buffer {
  return createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' });
}
