import { generateKeyPairSync } from 'node:crypto';
import { expect, it } from 'vitest';
import { parseBitwardenJson } from './bitwarden.js';
import { planImport } from './plan.js';

it('imports a Bitwarden passkey (login.fido2Credentials) as the credential\'s passkey', () => {
  const pkcs8 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url');
  const fido = {
    credentialId: '4f3c2e1d-0b9a-4c8d-8e7f-6a5b4c3d2e1f',
    keyType: 'public-key',
    keyAlgorithm: 'ECDSA',
    keyCurve: 'P-256',
    keyValue: pkcs8,
    rpId: 'example.com',
    userHandle: 'dXNlci0x',
    userName: 'alice',
    counter: '5',
    rpName: 'Example',
    discoverable: 'true',
  };
  const doc = {
    encrypted: false,
    items: [
      { type: 1, name: 'Example', login: { username: 'alice', uris: [{ uri: 'https://example.com/login' }], fido2Credentials: [fido] } },
      { type: 1, name: 'Passkey only', login: { fido2Credentials: [{ ...fido, rpId: 'passkeys.example.org', credentialId: 'b64.AQIDBA' }] } },
    ],
  };
  const entries = parseBitwardenJson(JSON.stringify(doc));
  expect(entries[0]!.passkey).toEqual({ rp_id: 'example.com', credential_id: 'TzwuHQuaTI2Of2pbTD0uHw', user_handle: 'dXNlci0x', private_key: pkcs8, sign_count: 5 });
  const plan = planImport(entries, []);
  expect(plan.skipped).toEqual([]);
  expect(plan.credentials[0]).toMatchObject({ origins: ['https://*.example.com'], username: 'alice', passkey: { rp_id: 'example.com', sign_count: 5 } });
  // No URL of its own: the rp id names the site.
  expect(plan.credentials[1]).toMatchObject({ origins: ['https://passkeys.example.org'], passkey: { credential_id: 'AQIDBA' } });
});
