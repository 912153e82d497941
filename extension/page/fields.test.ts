/**
 * Field detection in real Chromium: fixture pages from a loopback server, the detection
 * code bundled to IIFE and added with page.addScriptTag.
 */
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { html, launchBrowser, serve, type Site, shippedPageScripts, testPageScript } from '../testing/harness.js';

interface Found {
  username: string | null;
  password: string | null;
  totp: string[] | null;
}

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

async function load(body: string, head = ''): Promise<void> {
  await page.goto(site.origin + site.add(html(body, head)));
  await page.addScriptTag({ content: probeScript });
}

async function found(body: string, head = ''): Promise<Found> {
  await load(body, head);
  return page.evaluate(() => (globalThis as unknown as { __bfTest: { found(): Found } }).__bfTest.found());
}

const LOGIN = (extraUser = '', extraPw = '') =>
  `<form action="/x"><label>Email <input id=u name=email ${extraUser}></label><label>Password <input id=p type=password name=pw ${extraPw}></label><button type=submit>Sign in</button></form>`;

describe('login forms', () => {
  it('plain form: username before the password in the same form', async () => {
    expect(await found(LOGIN())).toEqual({ username: 'u', password: 'p', totp: null });
  });

  it('the shipped detector reports kinds and frame facts, never values', async () => {
    await load(LOGIN('value="alice@example.com"', 'value="hunter2-secret"'));
    await page.addScriptTag({ content: shipped });
    const r = await page.evaluate(() => (globalThis as unknown as { __blindfillDetect(): unknown }).__blindfillDetect());
    expect(r).toEqual({ origin: site.origin, protocol: 'http:', ancestors: [], fields: ['username', 'password'] });
    expect(JSON.stringify(r)).not.toContain('hunter2');
  });

  it('identifier-first page: only the username-like field', async () => {
    expect(await found(`<form><input id=ident type=email autocomplete=username placeholder="Email"><button>Next</button></form>`)).toEqual({
      username: 'ident',
      password: null,
      totp: null,
    });
  });

  it('identifier-first needs a field that says it is the identifier', async () => {
    expect(await found(`<form><input id=what name=q2 placeholder="Anything"><button>Next</button></form>`)).toEqual({ username: null, password: null, totp: null });
  });

  it('a search box before the login form is not the username', async () => {
    const r = await found(`<header><input id=search type=search name=q></header><form><input id=u name=login><input id=p type=password></form>`);
    expect(r).toEqual({ username: 'u', password: 'p', totp: null });
  });

  it('prefers current-password over new-password', async () => {
    const r = await found(`<form><input id=u autocomplete=username><input id=np type=password autocomplete=new-password><input id=cp type=password autocomplete=current-password></form>`);
    expect(r.password).toBe('cp');
  });

  it('type=text named "password" is not a password field (nor a username)', async () => {
    expect(await found(`<form><input id=fake type=text name=password></form>`)).toEqual({ username: null, password: null, totp: null });
  });

  it('honeypot: a hidden password beside the visible one does not count', async () => {
    const r = await found(
      `<form><input id=u name=user><input id=trap type=password name=pw2 style="position:absolute;left:-5000px"><input id=trap2 type=password style="display:none"><input id=p type=password name=pw></form>`,
    );
    expect(r).toEqual({ username: 'u', password: 'p', totp: null });
  });

  it('a field below the fold is found (the page scrolls to it)', async () => {
    const r = await found(`<div style="height:2500px"></div>${LOGIN()}`);
    expect(r).toEqual({ username: 'u', password: 'p', totp: null });
  });

  it('formless login: nearby username before password', async () => {
    const r = await found(`<div><div><input id=u name=username></div><div><input id=p type=password></div><div role=button>Log in</div></div>`);
    expect(r).toEqual({ username: 'u', password: 'p', totp: null });
  });
});

describe('shadow DOM', () => {
  it('finds fields inside an open shadow root', async () => {
    const r = await found(
      `<login-box></login-box><script>
        const host = document.querySelector('login-box');
        host.attachShadow({mode:'open'}).innerHTML = '<form><input id=u name=email><input id=p type=password><button>Sign in</button></form>';
      </script>`,
    );
    expect(r).toEqual({ username: 'u', password: 'p', totp: null });
  });

  it('finds fields in nested open shadow roots', async () => {
    const r = await found(
      `<outer-el></outer-el><script>
        const a = document.querySelector('outer-el').attachShadow({mode:'open'});
        a.innerHTML = '<inner-el></inner-el>';
        a.querySelector('inner-el').attachShadow({mode:'open'}).innerHTML = '<input id=u autocomplete=username><input id=p type=password>';
      </script>`,
    );
    expect(r).toEqual({ username: 'u', password: 'p', totp: null });
  });

  it('does not see into closed shadow roots', async () => {
    const r = await found(
      `<x-closed></x-closed><script>document.querySelector('x-closed').attachShadow({mode:'closed'}).innerHTML = '<input id=p type=password>';</script>`,
    );
    expect(r.password).toBeNull();
  });
});

describe('one-time codes', () => {
  it('a single code field (autocomplete=one-time-code)', async () => {
    expect(await found(`<form><input id=c autocomplete=one-time-code inputmode=numeric><button>Verify</button></form>`)).toEqual({
      username: null,
      password: null,
      totp: ['c'],
    });
  });

  it('a single code field by name, and by inputmode+maxlength', async () => {
    expect((await found(`<form><input id=c name=otp></form>`)).totp).toEqual(['c']);
    expect((await found(`<form><input id=c name=x inputmode=numeric maxlength=6></form>`)).totp).toEqual(['c']);
    expect((await found(`<form><input id=c name=totpCode></form>`)).totp).toEqual(['c']);
  });

  it('a postal code is not a one-time code', async () => {
    expect((await found(`<form><input id=zip name=postal_code></form>`)).totp).toBeNull();
  });

  it('one box per digit: six maxlength=1 inputs in one container', async () => {
    const boxes = Array.from({ length: 6 }, (_, i) => `<div class=cell><input id=d${i} maxlength=1 inputmode=numeric></div>`).join('');
    expect((await found(`<form><div class=otp>${boxes}</div><button>Verify</button></form>`)).totp).toEqual(['d0', 'd1', 'd2', 'd3', 'd4', 'd5']);
  });

  it('three boxes are not a code', async () => {
    const boxes = Array.from({ length: 3 }, (_, i) => `<input id=d${i} maxlength=1>`).join('');
    expect((await found(`<form>${boxes}</form>`)).totp).toBeNull();
  });

  it('username + password + code on one page', async () => {
    expect(await found(`<form><input id=u name=user><input id=p type=password><input id=c autocomplete=one-time-code></form>`)).toEqual({
      username: 'u',
      password: 'p',
      totp: ['c'],
    });
  });
});

describe('fields a person cannot see or use are refused', () => {
  const refused: Array<[string, string]> = [
    ['display:none', `<form><input id=p type=password style="display:none"></form>`],
    ['display:none ancestor', `<form><div style="display:none"><input id=p type=password></div></form>`],
    ['visibility:hidden', `<form><input id=p type=password style="visibility:hidden"></form>`],
    ['opacity 0.001', `<form><input id=p type=password style="opacity:0.001"></form>`],
    ['ancestor opacity 0.5', `<form><div style="opacity:0.5"><input id=p type=password></div></form>`],
    ['opacity 0.8 × 0.8 along the chain', `<form style="opacity:0.8"><div style="opacity:0.8"><input id=p type=password></div></form>`],
    ['1×1 px', `<form><input id=p type=password style="width:1px;height:1px;padding:0;border:0"></form>`],
    ['off-screen left:-9999px', `<form><input id=p type=password style="position:absolute;left:-9999px;top:10px"></form>`],
    ['off-screen top:-9999px', `<form><input id=p type=password style="position:absolute;top:-9999px"></form>`],
    ['far right on a page that cannot scroll sideways', `<style>html,body{overflow-x:hidden}</style><form><input id=p type=password style="position:absolute;left:5000px;top:10px"></form>`],
    ['clip-path inset(50%)', `<form><input id=p type=password style="clip-path:inset(50%)"></form>`],
    ['clip rect(0 0 0 0) (sr-only)', `<form><input id=p type=password style="position:absolute;clip:rect(0 0 0 0);width:100px;height:20px"></form>`],
    ['overflow:hidden parent of size 0', `<form><div style="overflow:hidden;width:0;height:0"><input id=p type=password></div></form>`],
    ['overflow:hidden parent scrolled away', `<form><div style="overflow:hidden;width:200px;height:30px"><div style="height:300px"></div><input id=p type=password></div></form>`],
    [
      'covered by another element',
      `<form style="position:relative"><input id=p type=password style="width:200px;height:30px"><div style="position:absolute;left:0;top:0;width:300px;height:60px;background:white"></div></form>`,
    ],
    ['disabled', `<form><input id=p type=password disabled></form>`],
    ['disabled fieldset', `<form><fieldset disabled><input id=p type=password></fieldset></form>`],
    ['readonly', `<form><input id=p type=password readonly></form>`],
  ];
  for (const [name, body] of refused) {
    it(name, async () => {
      expect((await found(body)).password).toBeNull();
    });
  }

  it('the same inputs without the trick are found (control)', async () => {
    expect((await found(`<form><div style="opacity:0.9"><input id=p type=password></div></form>`)).password).toBe('p');
    expect((await found(`<form><label for=p style="position:absolute">Password</label><input id=p type=password></form>`)).password).toBe('p');
  });

  it('a label placed over its own field does not count as covering it', async () => {
    const r = await found(
      `<form style="position:relative"><input id=p type=password style="width:200px;height:30px"><label for=p style="position:absolute;left:0;top:0;width:200px;height:30px">Password</label></form>`,
    );
    expect(r.password).toBe('p');
  });

  it('a hidden username is not used', async () => {
    const r = await found(`<form><input id=u name=email style="display:none"><input id=p type=password></form>`);
    expect(r).toEqual({ username: null, password: 'p', totp: null });
  });
});

describe('login pages as real sites build them', () => {
  it('identifier-first: a field named only by its <label for> or aria-labelledby', async () => {
    expect((await found(`<form><label for=f0>Email address</label><input id=f0 name=f0><button>Continue</button></form>`)).username).toBe('f0');
    expect((await found(`<form><span id=lbl>Username</span><input id=f0 name=f0 aria-labelledby=lbl><button>Next</button></form>`)).username).toBe('f0');
    // A label that says nothing about an account still does not make a field the identifier.
    expect((await found(`<form><label for=f0>Favourite colour</label><input id=f0 name=f0><button>Next</button></form>`)).username).toBeNull();
  });

  it('a newsletter field is not the identifier: by its form, its button, its name, or the footer', async () => {
    const NL = `<form class=newsletter><input id=nl type=email name=email placeholder="you@example.com"><button>Subscribe</button></form>`;
    expect(await found(`<main><h1>Blog</h1></main>${NL}`)).toEqual({ username: null, password: null, totp: null });
    expect((await found(`<div><input id=nl type=email name=newsletter_email><button>Go</button></div>`)).username).toBeNull();
    expect((await found(`<footer><form><input id=nl type=email name=email><button>OK</button></form></footer>`)).username).toBeNull();
    // Before the login form in the page, and still not chosen.
    expect((await found(`${NL}<form id=login><input id=u type=email name=email><button>Continue</button></form>`)).username).toBe('u');
  });

  it('a site search is not the identifier: placeholder, aria-label or a search landmark', async () => {
    expect((await found(`<div><input id=s name=s placeholder="Search products"></div><form><input id=u type=email><button>Next</button></form>`)).username).toBe('u');
    expect((await found(`<div role=search><input id=s type=email name=email></div>`)).username).toBeNull();
    expect((await found(`<search><form><input id=s name=user_query_text aria-label="Search users"></form></search>`)).username).toBeNull();
  });

  it('a form that posts to a URL containing "search" is still a login form', async () => {
    expect(await found(`<form action="/login?return=/search"><input id=u name=login><input id=p type=password><button>Sign in</button></form>`)).toEqual({
      username: 'u',
      password: 'p',
      totp: null,
    });
  });

  it('sign-up beside sign-in without autocomplete tokens: the sign-in pair', async () => {
    const r = await found(`<form id=signup><input id=sn name=name><input id=se type=email name=email><input id=sp type=password name=password>
      <input id=sp2 type=password name=password_confirmation><button>Create account</button></form>
      <form id=signin><input id=ie type=email name=email><input id=ip type=password name=password><button>Sign in</button></form>`);
    expect(r).toEqual({ username: 'ie', password: 'ip', totp: null });
  });

  it('sign-up beside sign-in, sign-in second and named like sign-up fields: still the sign-in pair', async () => {
    const r = await found(`<form><input id=se type=email><input id=sp type=password><input id=sp2 type=password placeholder="Repeat password"><button>Join</button></form>
      <form><input id=ie type=email><input id=ip type=password><button>Log in</button></form>`);
    expect(r).toEqual({ username: 'ie', password: 'ip', totp: null });
  });

  it('two one-password forms that both say "Continue": the one titled sign-in, not the one titled create account', async () => {
    const r = await found(`<section><h2>Create your account</h2><form><input id=se type=email><input id=sp type=password><button>Continue</button></form></section>
      <section><h2>Sign in</h2><form><input id=ie type=email><input id=ip type=password><button>Continue</button></form></section>`);
    expect(r).toEqual({ username: 'ie', password: 'ip', totp: null });
  });

  it('a new/confirm pair is never given the stored password, nor its e-mail the username, even as the only form', async () => {
    expect(await found(`<form><input id=u type=email><input id=np type=password name=password><input id=cp type=password name=confirm_password><button>Sign up</button></form>`)).toEqual({
      username: null,
      password: null,
      totp: null,
    });
  });

  it('a sign-up pair beside an identifier-first sign-in: the identifier, no password', async () => {
    const r = await found(`<form><input id=ie type=email autocomplete=username><button>Continue</button></form>
      <form><input id=se type=email><input id=sp type=password autocomplete=new-password><input id=sp2 type=password autocomplete=new-password><button>Create account</button></form>`);
    expect(r).toEqual({ username: 'ie', password: null, totp: null });
  });

  it('aria-hidden or inert fields (or ancestors) are not for people', async () => {
    expect((await found(`<form><input id=u type=email><div aria-hidden=true><input id=p type=password tabindex=-1></div><button>Next</button></form>`)).password).toBeNull();
    expect((await found(`<form><input id=u type=email><input id=p type=password aria-hidden=true></form>`)).password).toBeNull();
    expect((await found(`<form inert><input id=u type=email><input id=p type=password></form>`)).password).toBeNull();
    expect((await found(`<form><input id=u type=email><input id=p type=password aria-hidden=false></form>`)).password).toBe('p');
  });

  it('a login overlay: the page behind it is aria-hidden, the dialog is found', async () => {
    const r = await found(`<div id=app aria-hidden=true><form><input id=nl type=email name=email><input id=bp type=password></form></div>
      <div role=dialog aria-modal=true><form><input id=u type=email><input id=p type=password><button>Log in</button></form></div>`);
    expect(r).toEqual({ username: 'u', password: 'p', totp: null });
  });

  it('one-time code named "token", or labelled as a code; not a CSRF token or an employee code', async () => {
    expect((await found(`<form><input id=t name=token><button>Verify</button></form>`)).totp).toEqual(['t']);
    expect((await found(`<form><label for=c>Verification code</label><input id=c name=f3><button>Verify</button></form>`)).totp).toEqual(['c']);
    expect((await found(`<form><input id=t name=csrf_token></form>`)).totp).toBeNull();
    expect((await found(`<form><label for=c>Employee code</label><input id=c name=f3></form>`)).totp).toBeNull();
    expect((await found(`<form><input id=z name=zip inputmode=numeric maxlength=6></form>`)).totp).toBeNull();
  });
});
