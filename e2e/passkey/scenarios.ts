/**
 * The passkey scenarios both engines run alike (Chromium through Playwright, Firefox
 * through puppeteer-core over BiDi): a real relying party (@simplewebauthn/server, with
 * @simplewebauthn/browser on its page) verifies what blindfill signs; the agent's calls go
 * through the real `blindfill mcp`.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Home } from '../core/cli.js';
import { PASS } from '../core/cli.js';
import type { WebAuthnRp } from '../fixtures/webauthn-rp.js';
import { assertNoSecret, encodings } from '../harness/canary.js';
import { sampleCmdlines } from '../harness/procs.js';
import type { McpSession } from '../mcp/mcp-client.js';
import { coseKey } from '../../native-host/daemon/webauthn.js';

/** What a scenario needs of a browser page. Functions passed to evaluate take no arguments. */
export interface PasskeyPage {
  goto(url: string): Promise<void>;
  click(selector: string): Promise<void>;
  /** Evaluate an expression (a string of JavaScript) in the top document; awaits promises. */
  evaluate<T>(expr: string): Promise<T>;
  /** Evaluate in the first child frame whose URL starts with this. */
  evaluateInFrame<T>(urlPrefix: string, expr: string): Promise<T>;
  /** The page's HTML and the text of every frame. */
  content(): Promise<string>;
}

export interface PasskeyStack {
  rp: WebAuthnRp;
  home: Home;
  mcp: () => McpSession;
  page: () => PasskeyPage;
  /** Everything blindfill printed to the test through CLI calls. */
  outputs: string[];
}

/** #status once it is no longer "registering" / "signing in" / "signing out" (each set as the button is clicked). */
export async function finalStatus(page: PasskeyPage): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const s = await page.evaluate<string>(`document.getElementById('status').textContent`);
    if (s !== 'registering' && s !== 'signing in' && s !== 'signing out') return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the page never finished its WebAuthn call');
}

/** A page call of navigator.credentials.get/create, answered as "ok:<type>" or "NAME: message". */
export const GET_WITH = (rpId: string | null) =>
  `navigator.credentials.get({ publicKey: { challenge: new Uint8Array(32)${rpId === null ? '' : `, rpId: ${JSON.stringify(rpId)}`} } })` +
  `.then((c) => 'ok:' + c.type + ':' + new TextDecoder().decode(c.response.clientDataJSON), (e) => e.name + ': ' + e.message)`;
export const CREATE_WITH = (rpId: string, alg = -7) =>
  `navigator.credentials.create({ publicKey: { challenge: new Uint8Array(32), rp: { id: ${JSON.stringify(rpId)}, name: 'x' }, user: { id: new Uint8Array(8), name: 'x', displayName: 'x' }, pubKeyCredParams: [{ type: 'public-key', alg: ${alg} }] } })` +
  `.then((c) => 'ok:' + c.type, (e) => e.name + ': ' + e.message)`;

async function list(home: Home): Promise<Array<Record<string, unknown>>> {
  const r = await home.run(['list', '--json']);
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { credentials: Array<Record<string, unknown>> }).credentials;
}

async function audit(home: Home): Promise<string> {
  return home.readLogs();
}

/** Signed-in events so far: nothing else may have been signed when a refusal is tested. */
const signIns = (rp: WebAuthnRp) => rp.events.filter((e) => e.kind === 'login').length;

export function definePasskeyScenarios(s: () => PasskeyStack): void {
  it('registers with create_passkey, signs out, signs in twice with use_passkey: the RP verifies each, the counter rises', async () => {
    const { rp, home, mcp } = s();
    const page = s().page();
    await page.goto(rp.url('rp.test'));
    const armed = await mcp().call('create_passkey', { label: 'rp-alice' });
    expect(armed.isError, armed.text).toBe(false);
    expect(armed.structured).toMatchObject({ ok: true, label: 'rp-alice', origin: rp.origin('rp.test') });
    expect(armed.structured.armed_for_s).toBeGreaterThan(0);
    await page.click('#register');
    expect(await finalStatus(page)).toBe('registered alice');
    const reg = await rp.waitForEvent((e) => e.kind === 'register' && e.ok);
    expect(reg).toMatchObject({ host: 'rp.test', username: 'alice', userVerified: false });
    const entry = (await list(home)).find((c) => c.label === 'rp-alice');
    expect(entry).toMatchObject({ has_passkey: true, rp_id: 'rp.test', origins: [rp.origin('rp.test')], has_password: false });

    await page.click('#signout');
    expect(await finalStatus(page)).toBe('signed out');
    for (const n of [1, 2]) {
      const use = await mcp().call('use_passkey', { label: 'rp-alice' });
      expect(use.isError, use.text).toBe(false);
      expect(use.structured).toMatchObject({ ok: true, label: 'rp-alice', origin: rp.origin('rp.test') });
      await page.click('#signin');
      expect(await finalStatus(page)).toBe(`signed in alice counter ${n}`);
      await rp.waitForEvent((e) => e.kind === 'login' && e.ok && e.counter === n);
      await page.click('#signout');
      expect(await finalStatus(page)).toBe('signed out');
    }
    expect(await audit(home)).toMatch(/"event":"passkey".*signed in \(count 2\)/);
    // The RP listed EdDSA first: the key blindfill made is Ed25519.
    expect(await audit(home)).toMatch(/registered for rp\.test \(alg -8\)/);
  });

  it('a second registration for the same account is refused by the page\'s excludeCredentials (PASSKEY_EXISTS); nothing stored', async () => {
    const { rp, home, mcp } = s();
    const page = s().page();
    const armed = await mcp().call('create_passkey', { label: 'rp-alice-again' });
    expect(armed.isError, armed.text).toBe(false);
    const before = rp.events.length;
    await page.click('#register');
    expect(await finalStatus(page)).toMatch(/^error InvalidStateError: blindfill PASSKEY_EXISTS: /);
    expect(rp.events.length).toBe(before);
    expect((await list(home)).some((c) => c.label === 'rp-alice-again')).toBe(false);
    await page.click('#signout');
    expect(await finalStatus(page)).toBe('signed out');
  });

  it('a page that accepts neither ES256 nor EdDSA is refused (UNSUPPORTED_ALGORITHM)', async () => {
    const { mcp } = s();
    const page = s().page();
    expect((await mcp().call('create_passkey', { label: 'rsa-only' })).isError).toBe(false);
    expect(await page.evaluate<string>(CREATE_WITH('rp.test', -257))).toMatch(/^NotSupportedError: blindfill UNSUPPORTED_ALGORITHM: /);
  });

  it('a used arm is spent: the next sign-in is refused (PASSKEY_NOT_ARMED) and nothing is signed', async () => {
    const { rp } = s();
    const page = s().page();
    const before = signIns(rp);
    await page.click('#signin');
    expect(await finalStatus(page)).toMatch(/^error NotAllowedError: blindfill PASSKEY_NOT_ARMED: .*already used/);
    expect(signIns(rp)).toBe(before);
  });

  it('an expired arm is refused (PASSKEY_NOT_ARMED)', async () => {
    const { rp, mcp } = s();
    const page = s().page();
    const use = await mcp().call('use_passkey', { label: 'rp-alice' });
    expect(use.isError, use.text).toBe(false);
    // The arm lasts armed_for_s (BLINDFILL_PASSKEY_ARM_MS in these tests): let it pass.
    await new Promise((r) => setTimeout(r, Number(use.structured.armed_for_s) * 1000 + 600));
    const before = signIns(rp);
    await page.click('#signin');
    expect(await finalStatus(page)).toMatch(/blindfill PASSKEY_NOT_ARMED: .*expired/);
    expect(signIns(rp)).toBe(before);
  });

  it('an rp id the origin may not use is refused (RP_ID_MISMATCH), and so is a label whose passkey is for another site', async () => {
    const { rp, home, mcp } = s();
    const page = s().page();
    await page.goto(rp.url('rp.test'));
    expect((await mcp().call('use_passkey', { label: 'rp-alice' })).isError).toBe(false);
    expect(await page.evaluate<string>(GET_WITH('other.test'))).toMatch(/^SecurityError: blindfill RP_ID_MISMATCH: /);
    expect(await page.evaluate<string>(GET_WITH('rp.test'))).toMatch(/PASSKEY_NOT_ARMED/);
    // An rp id the origin may use, but not the armed passkey's: refused too.
    await page.goto(rp.url('login.rp.test'));
    expect((await mcp().call('use_passkey', { label: 'rp-alice' })).isError).toBe(false);
    expect(await page.evaluate<string>(GET_WITH('login.rp.test'))).toMatch(/^SecurityError: blindfill RP_ID_MISMATCH: .*"rp-alice" is for rp\.test/);

    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const other = {
      label: 'other-site',
      origins: [rp.origin('other.test')],
      passkey: { rp_id: 'other.test', credential_id: randomBytes(16).toString('base64url'), user_handle: 'dXNlcg', private_key: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url') },
    };
    expect((await home.run(['add', '--json-stdin'], JSON.stringify(other))).code).toBe(0);
    const wrong = await mcp().call('use_passkey', { label: 'other-site' });
    expect(wrong.isError).toBe(true);
    expect(wrong.structured).toMatchObject({ ok: false, code: 'RP_ID_MISMATCH' });
    expect(await audit(home)).toMatch(/"code":"RP_ID_MISMATCH"/);
  });

  it('a look-alike host is refused at arming and at the page call (RP_ID_MISMATCH); nothing is stored', async () => {
    const { rp, home, mcp } = s();
    const page = s().page();
    await page.goto(rp.url('rp.test.evil.test'));
    const use = await mcp().call('use_passkey', { label: 'rp-alice' });
    expect(use.structured).toMatchObject({ ok: false, code: 'RP_ID_MISMATCH' });
    const create = await mcp().call('create_passkey', { label: 'evil-copy' });
    expect(create.isError, create.text).toBe(false);
    expect(await page.evaluate<string>(CREATE_WITH('rp.test'))).toMatch(/^SecurityError: blindfill RP_ID_MISMATCH: /);
    expect((await list(home)).some((c) => c.label === 'evil-copy')).toBe(false);
  });

  it('an http page is refused (INSECURE_ORIGIN)', async () => {
    const { rp, mcp } = s();
    const page = s().page();
    await page.goto(rp.httpUrl('rp.test'));
    const use = await mcp().call('use_passkey', { label: 'rp-alice' });
    expect(use.structured).toMatchObject({ ok: false, code: 'INSECURE_ORIGIN' });
  });

  it('a cross-origin frame without the publickey-credentials-get permission is refused (FRAME_NOT_PERMITTED)', async () => {
    const { rp, mcp } = s();
    const page = s().page();
    const inner = rp.url('login.rp.test');
    await page.goto(rp.url('rp.test', `/frame?src=${encodeURIComponent(inner)}`));
    await page.evaluateInFrame<string>(inner, `document.readyState`);
    expect((await mcp().call('use_passkey', { label: 'rp-alice' })).isError).toBe(false);
    const before = signIns(rp);
    expect(await page.evaluateInFrame<string>(inner, GET_WITH('rp.test'))).toMatch(/^NotAllowedError: blindfill FRAME_NOT_PERMITTED: /);
    expect(signIns(rp)).toBe(before);
  });

  it('a locked vault refuses the armed call (VAULT_LOCKED)', async () => {
    const { rp, home, mcp } = s();
    const page = s().page();
    await page.goto(rp.url('rp.test'));
    expect((await mcp().call('use_passkey', { label: 'rp-alice' })).isError).toBe(false);
    expect((await home.run(['lock'])).code).toBe(0);
    const before = signIns(rp);
    await page.click('#signin');
    expect(await finalStatus(page)).toMatch(/blindfill VAULT_LOCKED: /);
    expect(signIns(rp)).toBe(before);
    expect((await home.run(['unlock', '--passphrase-stdin'], PASS)).code).toBe(0);
  });

  it('canary: an imported passkey signs in, and its private key is in no MCP result, page, log, audit entry or argv', async () => {
    const { rp, home, mcp, outputs } = s();
    const page = s().page();
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url');
    const d = privateKey.export({ format: 'jwk' }).d!;
    const credentialId = randomBytes(16).toString('base64url');
    const userHandle = Buffer.from('uid-carol').toString('base64url');
    rp.addCredential('carol', userHandle, { id: credentialId, publicKey: new Uint8Array(coseKey(publicKey, -7)), counter: 0 });
    const secrets = [pkcs8, d, ...encodings(pkcs8), ...encodings(d)];

    const flow = (async () => {
      const add = await home.run(['add', '--json-stdin'], JSON.stringify({ label: 'rp-carol', origins: [rp.origin('rp.test')], passkey: { rp_id: 'rp.test', credential_id: credentialId, user_handle: userHandle, private_key: pkcs8, sign_count: 7 } }));
      outputs.push(add.stdout, add.stderr);
      expect(add.code).toBe(0);
      await page.goto(rp.url('rp.test'));
      const use = await mcp().call('use_passkey', { label: 'rp-carol' });
      expect(use.isError, use.text).toBe(false);
      await page.click('#signin');
      expect(await finalStatus(page)).toBe('signed in carol counter 8');
    })();
    const argv = await sampleCmdlines(flow);
    await flow;
    const l = await home.run(['list', '--json']);
    outputs.push(l.stdout, l.stderr);
    assertNoSecret(mcp().transcript.join('\n'), secrets, 'MCP transcript');
    assertNoSecret(mcp().stderr(), secrets, 'MCP stderr');
    assertNoSecret(await page.content(), secrets, 'page');
    assertNoSecret(await page.evaluate<string>(`JSON.stringify(Object.keys(window)) + document.documentElement.outerHTML`), secrets, 'page JS');
    assertNoSecret(home.readLogs(), secrets, 'logs and audit');
    assertNoSecret(argv.join('\n'), secrets, 'argv');
    assertNoSecret(outputs.join('\n'), secrets, 'CLI output');
  });
}
