/**
 * The authenticator core against a real relying-party library: @simplewebauthn/server
 * verifies what webauthn.ts makes (registration with attestation "none", then
 * assertions with a rising counter), for ES256 and EdDSA.
 */
import { randomBytes } from 'node:crypto';
import { verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import { describe, expect, it } from 'vitest';
import {
  attestationObject,
  attestedCredentialData,
  authenticatorData,
  clientDataJSON,
  FLAG_AT,
  FLAG_UP,
  FLAG_UV,
  keyAlg,
  newKeyPair,
  type PasskeyAlg,
  publicSpki,
  signAssertion,
} from './webauthn.js';

const b64u = (b: Buffer) => b.toString('base64url');
const ORIGIN = 'https://login.example.com';
const RP = 'example.com';

describe.each([-7, -8] as PasskeyAlg[])('alg %i', (alg) => {
  it('registers and signs in; the counter rises; a wrong origin or rp id fails verification', async () => {
    const keys = newKeyPair(alg);
    expect(keyAlg(keys.pkcs8)).toBe(alg);
    expect(publicSpki(keys.pkcs8).equals(keys.spki)).toBe(true);
    const id = randomBytes(16);
    const regChallenge = b64u(randomBytes(32));
    const cd = clientDataJSON('webauthn.create', regChallenge, ORIGIN, false);
    const authData = authenticatorData(RP, FLAG_UP | FLAG_AT, 0, attestedCredentialData(id, keys.cose));
    const reg = await verifyRegistrationResponse({
      response: {
        id: b64u(id),
        rawId: b64u(id),
        type: 'public-key',
        clientExtensionResults: {},
        response: { clientDataJSON: b64u(cd), attestationObject: b64u(attestationObject(authData)), transports: ['internal'] },
      },
      expectedChallenge: regChallenge,
      expectedOrigin: ORIGIN,
      expectedRPID: RP,
      requireUserVerification: false,
      supportedAlgorithmIDs: [alg],
    });
    expect(reg.verified).toBe(true);
    const info = reg.registrationInfo!;
    expect(info.credential.id).toBe(b64u(id));
    expect(info.fmt).toBe('none');

    let counter = 0;
    for (const uv of [false, true]) {
      const challenge = b64u(randomBytes(32));
      const count = counter + 1;
      const acd = clientDataJSON('webauthn.get', challenge, ORIGIN, false);
      const ad = authenticatorData(RP, FLAG_UP | (uv ? FLAG_UV : 0), count);
      const sig = signAssertion(keys.pkcs8, ad, acd);
      const response = { id: b64u(id), rawId: b64u(id), type: 'public-key' as const, clientExtensionResults: {}, response: { clientDataJSON: b64u(acd), authenticatorData: b64u(ad), signature: b64u(sig) } };
      const credential = { id: info.credential.id, publicKey: info.credential.publicKey, counter };
      const v = await verifyAuthenticationResponse({ response, expectedChallenge: challenge, expectedOrigin: ORIGIN, expectedRPID: RP, credential, requireUserVerification: uv });
      expect(v.verified).toBe(true);
      expect(v.authenticationInfo.newCounter).toBe(count);
      expect(v.authenticationInfo.userVerified).toBe(uv);
      counter = count;
      await expect(verifyAuthenticationResponse({ response, expectedChallenge: challenge, expectedOrigin: 'https://evil.example', expectedRPID: RP, credential })).rejects.toThrow();
      await expect(verifyAuthenticationResponse({ response, expectedChallenge: challenge, expectedOrigin: ORIGIN, expectedRPID: 'evil.example', credential })).rejects.toThrow();
    }
  });
});

it('keyAlg refuses what it cannot sign with', () => {
  expect(keyAlg(Buffer.from('not a key'))).toBeNull();
});
