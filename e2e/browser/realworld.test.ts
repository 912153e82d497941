/**
 * `blindfill fill` against login pages shaped like the ones real sites serve
 * (e2e/fixtures/realworld.ts, `/rw/…`), through real Chromium, the real extension, native
 * host and daemon. Each login is confirmed server-side; where the right answer is to
 * refuse, the refusal code is checked and nothing may be filled. Fields that are not the
 * login's (search boxes, newsletter fields, sign-up forms, hidden and honeypot inputs)
 * must stay empty.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeCanary, namedEncodings } from '../harness/canary.js';
import { type McpSession, startMcp } from '../mcp/mcp-client.js';
import { allInputValues, type Stack, startStack } from './setup.js';

let s: Stack;
const HOST = 'shop.example.test';
const password = makeCanary({ charset: 'full' });
const username = 'alice@example.test';
const seed = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

beforeAll(async () => {
  // Many fills of one label within a minute: lift the per-label rate limit (default 30).
  s = await startStack({ homeEnv: { BLINDFILL_RATE_PER_MINUTE: '1000' } });
  const origin = s.server.origin(HOST);
  const creds = [
    { label: 'shop', username, password, origins: [origin] },
    { label: 'shop-2fa', username, password, totp: seed, origins: [origin] },
  ];
  const r = await s.home.run(['add', '--json-stdin'], JSON.stringify(creds));
  expect(r.code).toBe(0);
});
afterAll(async () => {
  await s?.close();
});
beforeEach(() => {
  s.server.reset();
  s.server.setAccount('*', { username, password });
});

const url = (path: string) => s.server.url(HOST, path);

async function open(path: string, ready?: string): Promise<void> {
  // A page of the previous test may still be navigating (a form it submitted itself, after
  // the fill answered): let that land, then go.
  for (let i = 0; ; i++) {
    try {
      await s.page.goto(url(path));
      break;
    } catch (e) {
      if (i >= 3 || !/interrupted by another navigation/.test(String(e))) throw e;
      await s.page.waitForLoadState('load');
    }
  }
  await s.page.waitForLoadState('load');
  if (ready) await s.page.waitForSelector(ready);
}

/** The server accepted the login (complete), and the browser shows the welcome page. */
async function loggedIn(page: string) {
  const login = await s.server.waitForLogin(HOST, { predicate: (l) => l.ok && l.complete });
  expect(login.page).toBe(page);
  expect(login.user).toBe(username);
  await s.page.waitForSelector('text=Welcome', { timeout: 10_000 });
  return login;
}

/** The values of the inputs the selectors name (light DOM of the top document). */
function values(...selectors: string[]): Promise<string[]> {
  return s.page.evaluate((sels) => sels.map((q) => (document.querySelector(q) as HTMLInputElement | null)?.value ?? '(missing)'), selectors);
}

/** A fill that must succeed; with submit, its outcome must be `outcome` (default signed_in). */
async function fillOk(label: string, filled: string[], o: { submit?: boolean; totp?: boolean; outcome?: string } = {}) {
  const r = await s.fill(label, { ...(o.submit ? { submit: true } : {}), ...(o.totp ? { totp: true } : {}) });
  expect(r.stderr).toBe('');
  const outcome = o.submit ? { outcome: o.outcome ?? 'signed_in' } : {};
  expect(r.json).toEqual({ ok: true, label, origin: s.server.origin(HOST), filled, submitted: o.submit === true, ...outcome });
  return r;
}

describe('the username, whatever identifies it', () => {
  it('type=email with neutral names', async () => {
    await open('/rw/email-type');
    await fillOk('shop', ['username', 'password'], { submit: true });
    await loggedIn('rw/email-type');
  });

  it('type=text autocomplete=username with neutral names', async () => {
    await open('/rw/ac-username');
    await fillOk('shop', ['username', 'password'], { submit: true });
    await loggedIn('rw/ac-username');
  });

  for (const n of ['login', 'user', 'email', 'identifier']) {
    it(`named "${n}" (name and id only)`, async () => {
      await open(`/rw/named?n=${n}`);
      await fillOk('shop', ['username', 'password'], { submit: true });
      expect((await loggedIn('rw/named')).variant).toBe(n);
    });
  }

  for (const by of ['aria', 'placeholder', 'label']) {
    it(`labelled only by ${by === 'label' ? '<label for>' : by === 'aria' ? 'aria-label' : 'placeholder'}: email first, password revealed after Continue`, async () => {
      await open(`/rw/labelled?by=${by}`);
      await fillOk('shop', ['username'], { submit: true, outcome: 'unknown' });
      await s.page.waitForSelector('#f1', { state: 'visible' });
      await fillOk('shop', ['username', 'password'], { submit: true });
      expect((await loggedIn('rw/labelled')).variant).toBe(by);
    });
  }
});

describe('how the form is submitted', () => {
  it('inputs outside any form; a button with a click handler that fetches and navigates', async () => {
    await open('/rw/noform');
    await fillOk('shop', ['username', 'password']);
    expect(await values('input[name=q]')).toEqual(['']);
    await fillOk('shop', ['username', 'password'], { submit: true });
    await loggedIn('rw/noform');
  });

  it('the submit button is outside the form (form= attribute)', async () => {
    await open('/rw/form-attr');
    await fillOk('shop', ['username', 'password'], { submit: true });
    await loggedIn('rw/form-attr');
  });

  it('the submit control is a <div role=button>', async () => {
    await open('/rw/div-button');
    await fillOk('shop', ['username', 'password'], { submit: true });
    await loggedIn('rw/div-button');
  });
});

describe('only the login form is filled', () => {
  for (const search of ['search', 'text']) {
    it(`a ${search === 'search' ? 'type=search' : 'type=text'} site search before the form, a newsletter field in the footer`, async () => {
      await open(`/rw/search-newsletter?search=${search}`);
      await fillOk('shop', ['username', 'password']);
      expect(await values(search === 'search' ? 'input[name=q]' : '#site-search', '#nl-email', '#login')).toEqual(['', '', username]);
      await fillOk('shop', ['username', 'password'], { submit: true });
      await loggedIn('rw/search-newsletter');
    });
  }

  it('the same page, email first: the login email, not the newsletter one', async () => {
    await open('/rw/search-newsletter?search=text&step=id');
    await fillOk('shop', ['username']);
    expect(await values('#site-search', '#nl-email', '#login')).toEqual(['', '', username]);
    await fillOk('shop', ['username'], { submit: true, outcome: 'unknown' });
    await s.page.waitForSelector('#password', { state: 'visible' });
    await fillOk('shop', ['username', 'password'], { submit: true });
    await loggedIn('rw/search-newsletter');
  });

  it('a page with a search box and a newsletter field but no login form: NO_FILLABLE_FIELD, nothing filled', async () => {
    await open('/rw/newsletter-only');
    const r = await s.fill('shop');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error NO_FILLABLE_FIELD: /);
    expect((await allInputValues(s.page)).filter((v) => v !== '')).toEqual([]);
  });

  for (const kind of ['dialog', 'div']) {
    it(`a login ${kind === 'dialog' ? '<dialog>' : 'overlay (aria-modal, page behind aria-hidden)'}: refused while closed, filled once open`, async () => {
      await open(`/rw/modal?kind=${kind}`);
      const closed = await s.fill('shop');
      expect(closed.stderr).toMatch(/^error NO_FILLABLE_FIELD: /);
      expect((await allInputValues(s.page)).filter((v) => v !== '')).toEqual([]);
      await s.page.click('#open-login');
      await s.page.waitForSelector('#m-pass', { state: 'visible' });
      await fillOk('shop', ['username', 'password']);
      expect(await values('input[name=q]', '#nl-email')).toEqual(['', '']);
      await fillOk('shop', ['username', 'password'], { submit: true });
      expect((await loggedIn('rw/modal')).variant).toBe(kind);
    });
  }

  for (const ac of [1, 0]) {
    it(`sign-up beside sign-in (${ac ? 'with' : 'without'} autocomplete tokens): the sign-in form`, async () => {
      await open(`/rw/signup-signin?ac=${ac}`);
      await fillOk('shop', ['username', 'password']);
      expect(await values('#su-name', '#su-email', '#su-pass', '#su-pass2', '#si-email')).toEqual(['', '', '', '', username]);
      await fillOk('shop', ['username', 'password'], { submit: true });
      expect((await loggedIn('rw/signup-signin')).variant).toBe(ac ? 'ac' : 'no-ac');
      expect(s.server.logins().filter((l) => l.page === 'rw/signup')).toEqual([]);
    });
  }

  it('honeypots (off-screen, clipped and aria-hidden, behind the card) next to the username stay empty', async () => {
    await open('/rw/honeypot');
    await fillOk('shop', ['username', 'password']);
    expect(await values('#email', '#website', '#login-trap')).toEqual(['', '', '']);
    await fillOk('shop', ['username', 'password'], { submit: true });
    await loggedIn('rw/honeypot');
  });
});

describe('identifier-first, the password step rendered by script', () => {
  for (const hidden of ['css', 'aria']) {
    it(`Google-style (step 1 holds a ${hidden === 'css' ? 'display:none' : 'aria-hidden'} password input that is never filled)`, async () => {
      await open(`/rw/idfirst-google?hidden=${hidden}`);
      await fillOk('shop', ['username']);
      expect(await values('#identifierId', '#hidden-pw')).toEqual([username, '']);
      await fillOk('shop', ['username'], { submit: true, outcome: 'unknown' });
      await s.page.waitForSelector('#pw', { state: 'visible' });
      expect(s.page.url()).toBe(url(`/rw/idfirst-google?hidden=${hidden}`));
      await fillOk('shop', ['password'], { submit: true });
      await loggedIn('rw/idfirst-google');
    });
  }

  it('Microsoft-style: the display:none password area is shown in place after Next', async () => {
    await open('/rw/idfirst-ms');
    await fillOk('shop', ['username'], { submit: true, outcome: 'unknown' });
    expect(await values('#i0118')).toEqual(['']);
    await s.page.waitForSelector('#i0118', { state: 'visible' });
    await fillOk('shop', ['password'], { submit: true });
    await loggedIn('rw/idfirst-ms');
  });
});

describe('components and frameworks', () => {
  it('fields two open shadow roots deep, submitted by a button in a third', async () => {
    await open('/rw/shadow');
    await fillOk('shop', ['username', 'password'], { submit: true });
    await loggedIn('rw/shadow');
  });

  it('React: name-less inputs, the submit button disabled until both have values', async () => {
    await open('/rw/react', 'input[type=password]');
    expect(await s.page.isDisabled('[data-testid=login-button]')).toBe(true);
    await fillOk('shop', ['username', 'password'], { submit: true });
    await loggedIn('rw/react');
  });

  it('Vue: inputs bound with v-model, the submit button disabled until both models have values', async () => {
    await open('/rw/vue', 'input[type=password]');
    expect(await s.page.isDisabled('[data-testid=login-button]')).toBe(true);
    await fillOk('shop', ['username', 'password'], { submit: true });
    await loggedIn('rw/vue');
  });
});

describe('one-time codes', () => {
  beforeEach(() => {
    s.server.setAccount('*', { username, password, totp: { secret: seed } });
  });
  const q = () => `user=${encodeURIComponent(username)}`;

  async function codeAccepted(page: string) {
    const login = await s.server.waitForLogin(HOST, { predicate: (l) => l.step === 'otp' });
    expect(login).toMatchObject({ page, ok: true, complete: true, reason: 'ok' });
    await s.page.waitForSelector('text=Welcome', { timeout: 10_000 });
    return login;
  }

  it('one field, inputmode=numeric autocomplete=one-time-code', async () => {
    await open(`/rw/otp-single?${q()}`);
    await fillOk('shop-2fa', ['totp'], { totp: true, submit: true });
    await codeAccepted('rw/otp-single');
  });

  it('after the password step of an account with a code', async () => {
    await open('/rw/email-type');
    await fillOk('shop-2fa', ['username', 'password'], { submit: true, outcome: 'needs_mfa' });
    await s.page.waitForURL(/\/rw\/otp-single/);
    await fillOk('shop-2fa', ['totp'], { totp: true, submit: true });
    await codeAccepted('rw/otp-single');
  });

  it('six maxlength=1 boxes that move the focus on', async () => {
    await open(`/rw/otp-boxes?${q()}`);
    await fillOk('shop-2fa', ['totp'], { totp: true, submit: true });
    await codeAccepted('rw/otp-boxes');
  });

  it('six boxes that submit themselves once full: one submission', async () => {
    await open(`/rw/otp-boxes?${q()}&autosubmit=1`);
    await fillOk('shop-2fa', ['totp'], { totp: true, submit: true });
    await codeAccepted('rw/otp-boxes');
    await new Promise((r) => setTimeout(r, 500));
    expect(s.server.logins(HOST).filter((l) => l.step === 'otp')).toHaveLength(1);
  });

  for (const n of ['code', 'otp', 'token']) {
    it(`a field named "${n}" without autocomplete`, async () => {
      await open(`/rw/otp-named?n=${n}&${q()}`);
      await fillOk('shop-2fa', ['totp'], { totp: true, submit: true });
      expect((await codeAccepted('rw/otp-named')).variant).toBe(n);
    });
  }
});

describe('the same through MCP (fill_credential, fill_totp)', () => {
  let agent: McpSession;
  beforeAll(async () => {
    agent = await startMcp(s.home.env);
  });
  afterAll(async () => {
    await agent?.close();
  });

  it('identifier-first with a script-rendered password step: two fill_credential calls', async () => {
    await open('/rw/idfirst-google?hidden=aria');
    const first = await agent.call('fill_credential', { label: 'shop', submit: true });
    expect(first.structured).toEqual({ ok: true, label: 'shop', origin: s.server.origin(HOST), filled: ['username'], submitted: true, outcome: 'unknown' });
    await s.page.waitForSelector('#pw', { state: 'visible' });
    expect(await values('#hidden-pw')).toEqual(['']);
    const second = await agent.call('fill_credential', { label: 'shop', submit: true });
    expect(second.structured).toMatchObject({ ok: true, filled: ['password'], submitted: true, outcome: 'signed_in' });
    await loggedIn('rw/idfirst-google');
  });

  it('a page with only a newsletter field: NO_FILLABLE_FIELD', async () => {
    await open('/rw/newsletter-only');
    const r = await agent.call('fill_credential', { label: 'shop' });
    expect(r.isError).toBe(true);
    expect(r.structured).toMatchObject({ ok: false, code: 'NO_FILLABLE_FIELD' });
    expect((await allInputValues(s.page)).filter((v) => v !== '')).toEqual([]);
  });

  it('fill_totp into one box per digit', async () => {
    s.server.setAccount('*', { username, password, totp: { secret: seed } });
    await open(`/rw/otp-boxes?user=${encodeURIComponent(username)}`);
    const r = await agent.call('fill_totp', { label: 'shop-2fa', submit: true });
    expect(r.structured).toEqual({ ok: true, label: 'shop-2fa', origin: s.server.origin(HOST), filled: ['totp'], submitted: true, outcome: 'signed_in' });
    expect(await s.server.waitForLogin(HOST, { predicate: (l) => l.step === 'otp' })).toMatchObject({ page: 'rw/otp-boxes', ok: true, complete: true });
  });

  it('the transcript holds no secret', () => {
    const all = `${agent.transcript.join('\n')}\n${agent.stderr()}`;
    for (const secret of [password, seed]) for (const e of namedEncodings(secret)) expect(all.includes(e.value), e.form).toBe(false);
  });
});

describe('secrets stay out of every log and output', () => {
  it('host log, daemon log, audit, CLI output', () => {
    const logs = `${s.home.readLogs()}\n${s.outputs.join('\n')}`;
    expect(s.outputs.length).toBeGreaterThan(20);
    for (const secret of [password, seed]) for (const e of namedEncodings(secret)) expect(logs.includes(e.value), e.form).toBe(false);
  });
});

describe('fields that are not the login password or username', () => {
  const q = () => `user=${encodeURIComponent(username)}`;
  const refused = async (code: string, label = 'shop') => {
    const r = await s.fill(label, { submit: true });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^error ${code}: `));
    return r.stderr;
  };

  it('a masked "Verification code" field (hardware token): never the password; fill_totp fills and sends the code', async () => {
    s.server.setAccount('*', { username, password, totp: { secret: seed } });
    await open(`/rw/masked-code?${q()}`);
    const why = await refused('NO_FILLABLE_FIELD', 'shop-2fa');
    expect(why).toMatch(/verification code/);
    expect(await values('#tokencode')).toEqual(['']);
    expect(s.server.posted(HOST)).toEqual([]);
    await fillOk('shop-2fa', ['totp'], { totp: true, submit: true });
    const login = await s.server.waitForLogin(HOST, { predicate: (l) => l.step === 'otp' });
    expect(login).toMatchObject({ page: 'rw/masked-code', ok: true, complete: true });
    expect(s.server.posted(HOST).map((p) => p.fields)).toEqual([{ user: 'username', tokencode: 'totp' }]);
  });

  it('change password (current + new + confirm): only the current field gets the password', async () => {
    await open('/rw/change-password?v=current');
    await fillOk('shop', ['password'], { submit: true, outcome: 'rejected' });
    await s.page.waitForSelector('text=do not match');
    expect(s.server.posted(HOST).map((p) => p.fields)).toEqual([{ current_password: 'password', pw_a: 'empty', pw_b: 'empty' }]);
  });

  for (const v of ['pair', 'step']) {
    it(`change password (${v === 'pair' ? 'new + confirm alone' : 'a later step: "New password" alone'}): NO_FILLABLE_FIELD saying why, nothing filled or sent`, async () => {
      await open(`/rw/change-password?v=${v}`);
      expect(await refused('NO_FILLABLE_FIELD')).toMatch(/new password/);
      expect((await allInputValues(s.page)).filter((x) => x !== '')).toEqual([]);
      expect(s.server.posted(HOST)).toEqual([]);
    });
  }

  it('update e-mail: the new address the agent typed stays; the confirming password goes in', async () => {
    await open('/rw/update-email');
    await s.page.fill('#email', 'alice.new@example.org');
    // Not a login: the page answers with the same form and a status note.
    await fillOk('shop', ['password'], { submit: true, outcome: 'unknown' });
    await s.page.waitForSelector('text=Check your inbox');
    expect(s.server.posted(HOST)).toMatchObject([{ page: 'rw/update-email', fields: { email: 'other', password: 'password' }, plain: { email: 'alice.new@example.org' } }]);
  });

  it('a required field left empty blocks the submit: submitted false, nothing reaches the server', async () => {
    await open('/rw/required');
    await fillOk('shop', ['username', 'password'], { submit: false });
    const r = await s.fill('shop', { submit: true });
    expect(r.json).toEqual({ ok: true, label: 'shop', origin: s.server.origin(HOST), filled: ['username', 'password'], submitted: false });
    expect(s.server.posted(HOST)).toEqual([]);
    await s.page.check('input[name=human]');
    await fillOk('shop', ['username', 'password'], { submit: true });
    await loggedIn('rw/required');
  });

  it('a Sign in button whose formaction sends to another origin: ORIGIN_MISMATCH, nothing filled', async () => {
    await open('/rw/formaction?m=action');
    expect(await refused('ORIGIN_MISMATCH')).toMatch(/collect\.example\.test/);
    expect(await values('#login', '#password')).toEqual(['', '']);
  });

  it('a Sign in button with formmethod=get (the password would go into the URL): NO_FILLABLE_FIELD, nothing filled or sent', async () => {
    await open('/rw/formaction?m=get');
    expect(await refused('NO_FILLABLE_FIELD')).toMatch(/method=get/);
    expect(await values('#login', '#password')).toEqual(['', '']);
    expect(s.server.posted(HOST)).toEqual([]);
  });

  it('an opaque banner with pointer-events:none over the form: NO_FILLABLE_FIELD, nothing filled', async () => {
    await open('/rw/cover');
    await refused('NO_FILLABLE_FIELD');
    expect(await values('#login', '#password')).toEqual(['', '']);
  });

  it("the site's own Show toggle pressed long after the fill empties the password first", async () => {
    await open('/rw/show-toggle');
    await fillOk('shop', ['username', 'password']);
    // Past the old 5 s watch.
    await new Promise((r) => setTimeout(r, 5_500));
    await s.page.click('#show');
    await s.page.waitForFunction(() => (document.getElementById('password') as HTMLInputElement).type === 'text');
    expect(await values('#password')).toEqual(['']);
  });
});
