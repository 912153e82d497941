/**
 * Honest flags: a passkey of a `confirm` credential is armed only after a person approves
 * in the OS dialog (zenity under Xvfb), and then the relying party sees user verification;
 * a denial arms nothing. An `auto` credential's assertion carries presence only (the other
 * scenarios: userVerified false).
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startXvfb, type Xvfb } from '../harness/display.js';
import { coseKey } from '../../native-host/daemon/webauthn.js';
import { adaptPlaywright, type PasskeyChromium, startPasskeyChromium } from './chromium-stack.js';
import { finalStatus } from './scenarios.js';

let x: Xvfb;
let s: PasskeyChromium;

beforeAll(async () => {
  x = await startXvfb();
  s = await startPasskeyChromium({ DISPLAY: x.display, BLINDFILL_CONFIRM_TIMEOUT_S: '10', BLINDFILL_PASSKEY_ARM_MS: '20000' });
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const id = randomBytes(16).toString('base64url');
  const uh = Buffer.from('uid-dora').toString('base64url');
  s.rp.addCredential('dora', uh, { id, publicKey: new Uint8Array(coseKey(publicKey, -7)), counter: 0 });
  const r = await s.home.run(['add', '--json-stdin'], JSON.stringify({
    label: 'rp-dora',
    origins: [s.rp.origin('rp.test')],
    policy: 'confirm',
    passkey: { rp_id: 'rp.test', credential_id: id, user_handle: uh, private_key: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url') },
  }));
  expect(r.code).toBe(0);
});
afterAll(async () => {
  await s?.close();
  await x?.stop();
});

/** Wait for the dialog, focus it, press a key (Return = Allow, Escape = Deny). */
async function answer(key: 'Return' | 'Escape'): Promise<void> {
  const env = { ...process.env, DISPLAY: x.display };
  for (let i = 0; i < 100; i++) {
    let ids = '';
    try {
      ids = execFileSync('xdotool', ['search', '--name', 'blindfill: approve'], { env }).toString().trim();
    } catch {
      /* not yet */
    }
    const id = ids.split('\n')[0];
    if (id) {
      execFileSync('xdotool', ['windowfocus', '--sync', id], { env });
      execFileSync('xdotool', ['key', key], { env });
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no confirmation dialog appeared');
}

it('a person denies: DENIED, nothing armed', async () => {
  await s.page.goto(s.rp.url('rp.test'));
  const [r] = await Promise.all([s.mcp.call('use_passkey', { label: 'rp-dora' }), answer('Escape')]);
  expect(r.structured).toMatchObject({ ok: false, code: 'DENIED' });
});

it('a person approves: armed, and the relying party sees user verification', async () => {
  await s.page.goto(s.rp.url('rp.test'));
  const [r] = await Promise.all([s.mcp.call('use_passkey', { label: 'rp-dora' }), answer('Return')]);
  expect(r.isError, r.text).toBe(false);
  await s.page.click('#signin');
  expect(await finalStatus(adaptPlaywright(s.page))).toBe('signed in dora counter 1');
  expect(s.rp.events.at(-1)).toMatchObject({ kind: 'login', ok: true, username: 'dora', userVerified: true });
});
