/**
 * `blindfill import --format bitwarden` brings a passkey from Bitwarden's unencrypted JSON
 * export (login.fido2Credentials) into the real vault: `list` shows it, and its private
 * key appears in no output or log. A key blindfill cannot sign with is refused whole.
 */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Home, initVault, makeHome } from '../core/cli.js';
import { assertNoSecret, encodings } from '../harness/canary.js';

let home: Home;
beforeAll(async () => {
  home = makeHome();
  await initVault(home);
});
afterAll(async () => {
  await home?.stop();
});

const exportWith = (keyValue: string) => ({
  encrypted: false,
  items: [
    {
      type: 1,
      name: 'Example',
      login: {
        username: 'alice',
        uris: [{ uri: 'https://example.com/login' }],
        fido2Credentials: [{ credentialId: '4f3c2e1d-0b9a-4c8d-8e7f-6a5b4c3d2e1f', keyType: 'public-key', keyAlgorithm: 'ECDSA', keyCurve: 'P-256', keyValue, rpId: 'example.com', userHandle: 'dXNlci0x', counter: '3' }],
      },
    },
  ],
});

it('imports the passkey; list shows has_passkey and rp_id; the key is nowhere in output or logs', async () => {
  const pkcs8 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url');
  const file = path.join(path.dirname(home.dir), 'bitwarden.json');
  fs.writeFileSync(file, JSON.stringify(exportWith(pkcs8)));
  const r = await home.run(['import', '--format', 'bitwarden', file]);
  expect(r.code, r.stderr).toBe(0);
  const list = await home.run(['list', '--json']);
  expect(JSON.parse(list.stdout).credentials).toEqual([
    { label: 'example', origins: ['https://*.example.com'], windows: [], policy: 'auto', has_username: true, has_password: false, has_totp: false, has_passkey: true, rp_id: 'example.com', source: 'local' },
  ]);
  const secrets = [pkcs8, ...encodings(pkcs8)];
  assertNoSecret([r.stdout, r.stderr, list.stdout, list.stderr].join('\n'), secrets, 'CLI output');
  assertNoSecret(home.readLogs(), secrets, 'logs and audit');
});

it('a private key that is not P-256 or Ed25519 is refused (INVALID_REQUEST), nothing imported', async () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url');
  const doc = exportWith(rsa);
  doc.items[0]!.name = 'RSA';
  // Another account, so the entry is not skipped as a duplicate of the one imported above.
  doc.items[0]!.login.username = 'bob';
  const file = path.join(path.dirname(home.dir), 'bitwarden-rsa.json');
  fs.writeFileSync(file, JSON.stringify(doc));
  const r = await home.run(['import', '--format', 'bitwarden', file]);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/^error INVALID_REQUEST: .*not a PKCS#8 P-256 or Ed25519 key/);
  expect(JSON.parse((await home.run(['list', '--json'])).stdout).credentials.map((c: { label: string }) => c.label)).toEqual(['example']);
});
