/**
 * Filling and submitting in real Chromium, through the shipped filler script
 * (page/filler.js as the build bundles it). React 19 is bundled into a tiny app.
 */
import type { Browser, Frame, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleApp, html, launchBrowser, serve, type Site, shippedPageScripts } from '../testing/harness.js';

let browser: Browser;
let page: Page;
let site: Site;
let shipped: string;
let reactApp: string;

const USER = 'alice@example.com';
const PASS = 'correct horse battery staple ✓';

interface Reply {
  ok: boolean;
  filled?: string[];
  submitted?: boolean;
  code?: string;
  message?: string;
}

const REACT_APP = `
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
function App() {
  const [user, setUser] = useState('');
  const [pw, setPw] = useState('');
  const [locked] = useState('fixed');
  return (
    <form id="f" onSubmit={(e) => { e.preventDefault(); (window as any).__submitted = { user, pwLength: pw.length }; }}>
      <input id="u" name="username" autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} />
      <input id="p" type="password" autoComplete="current-password" value={pw} onChange={(e) => setPw(e.target.value)} />
      <span id="echo">{user}</span>
      <span id="pwlen">{pw.length}</span>
      <input id="locked" name="otp" value={locked} onChange={() => {}} />
      <button type="submit">Sign in</button>
    </form>
  );
}
createRoot(document.getElementById('root')!).render(<App />);
`;

beforeAll(async () => {
  [browser, site, shipped, reactApp] = await Promise.all([launchBrowser(), serve(), shippedPageScripts(), bundleApp(REACT_APP)]);
  page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function open(body: string, head = ''): Promise<void> {
  await page.goto(site.origin + site.add(html(body, head)));
  await page.addScriptTag({ content: shipped });
}

function fill(target: Page | Frame, args: { origins: string[]; values: Record<string, string>; submit: boolean }): Promise<Reply> {
  return target.evaluate((a) => (globalThis as unknown as { __blindfillFill(x: unknown): Promise<Reply> }).__blindfillFill(a), args);
}

const val = (sel: string) => page.$eval(sel, (e) => (e as HTMLInputElement).value);

describe('setting values', () => {
  it('plain form: fills username and password and fires the typing events', async () => {
    await open(`<form><input id=u name=email><input id=p type=password name=pw></form>
      <script>
        window.__events = [];
        for (const id of ['u','p']) for (const t of ['focus','beforeinput','input','change','blur'])
          document.getElementById(id).addEventListener(t, (e) => __events.push(id + ':' + t + (e.inputType ? '/' + e.inputType : '')));
      </script>`);
    const r = await fill(page, { origins: [site.origin], values: { username: USER, password: PASS }, submit: false });
    expect(r).toEqual({ ok: true, filled: ['username', 'password'], submitted: false });
    expect(await val('#u')).toBe(USER);
    expect(await val('#p')).toBe(PASS);
    expect(await page.evaluate(() => (window as unknown as { __events: string[] }).__events)).toEqual([
      'u:focus',
      'u:beforeinput/insertText',
      'u:input/insertText',
      'u:change',
      'u:blur',
      'p:focus',
      'p:beforeinput/insertText',
      'p:input/insertText',
      'p:change',
      'p:blur',
    ]);
    expect(JSON.stringify(r)).not.toContain(PASS);
    expect(JSON.stringify(r)).not.toContain(USER);
  });

  it('identifier-first: fills the username only', async () => {
    await open(`<form><input id=u type=email autocomplete=username><button id=next>Next</button></form>`);
    const r = await fill(page, { origins: [site.origin], values: { username: USER, password: PASS }, submit: false });
    expect(r).toEqual({ ok: true, filled: ['username'], submitted: false });
    expect(await val('#u')).toBe(USER);
  });

  it('React 19 controlled inputs see the values (state, render, submit handler)', async () => {
    await page.goto(site.origin + site.add(html(`<div id=root></div>`)));
    await page.addScriptTag({ content: reactApp });
    await page.waitForSelector('#u');
    await page.addScriptTag({ content: shipped });
    const r = await fill(page, { origins: [site.origin], values: { username: USER, password: PASS }, submit: true });
    expect(r).toEqual({ ok: true, filled: ['username', 'password'], submitted: true });
    expect(await page.textContent('#echo')).toBe(USER);
    expect(await page.textContent('#pwlen')).toBe(String(PASS.length));
    expect(await page.evaluate(() => (window as unknown as { __submitted: unknown }).__submitted)).toEqual({ user: USER, pwLength: PASS.length });
  });

  it('React: one state object updated from a render-time copy ({...form, [name]: value}) keeps both values', async () => {
    const app = await bundleApp(`
      import { useState } from 'react';
      import { createRoot } from 'react-dom/client';
      function App() {
        const [form, setForm] = useState({ email: '', password: '' });
        const change = (e) => setForm({ ...form, [e.target.name]: e.target.value });
        return (
          <form id="f" onSubmit={(e) => { e.preventDefault(); (window as any).__submitted = { email: form.email, pwLength: form.password.length }; }}>
            <input id="u" name="email" type="email" value={form.email} onChange={change} />
            <input id="p" name="password" type="password" value={form.password} onChange={change} />
            <button type="submit" disabled={!form.email || !form.password}>Log in</button>
          </form>
        );
      }
      createRoot(document.getElementById('root')!).render(<App />);
    `);
    await page.goto(site.origin + site.add(html(`<div id=root></div>`)));
    await page.addScriptTag({ content: app });
    await page.waitForSelector('#p');
    await page.addScriptTag({ content: shipped });
    const r = await fill(page, { origins: [site.origin], values: { username: USER, password: PASS }, submit: true });
    expect(r).toEqual({ ok: true, filled: ['username', 'password'], submitted: true });
    expect(await page.evaluate(() => (window as unknown as { __submitted: unknown }).__submitted)).toEqual({ email: USER, pwLength: PASS.length });
  });

  it('React: one box per digit whose handler copies the code from the last render', async () => {
    const app = await bundleApp(`
      import { useRef, useState } from 'react';
      import { createRoot } from 'react-dom/client';
      function App() {
        const [code, setCode] = useState(['', '', '', '', '', '']);
        const refs = useRef([]);
        const change = (i, v) => {
          const next = [...code];
          next[i] = v.slice(-1);
          setCode(next);
          if (v && i < 5) refs.current[i + 1].focus();
        };
        return (
          <form id="f" onSubmit={(e) => { e.preventDefault(); (window as any).__code = code.join(''); }}>
            <div className="otp">{code.map((d, i) => (
              <input key={i} ref={(el) => { refs.current[i] = el; }} maxLength={1} inputMode="numeric" value={d} onChange={(e) => change(i, e.target.value)} />
            ))}</div>
            <button type="submit">Verify</button>
          </form>
        );
      }
      createRoot(document.getElementById('root')!).render(<App />);
    `);
    await page.goto(site.origin + site.add(html(`<div id=root></div>`)));
    await page.addScriptTag({ content: app });
    await page.waitForSelector('.otp input');
    await page.addScriptTag({ content: shipped });
    const r = await fill(page, { origins: [site.origin], values: { totp: '904217' }, submit: true });
    expect(r).toEqual({ ok: true, filled: ['totp'], submitted: true });
    expect(await page.evaluate(() => (window as unknown as { __code: string }).__code)).toBe('904217');
  });

  it('control: a plain `el.value =` assignment is not seen by React (why the native setter matters)', async () => {
    await page.goto(site.origin + site.add(html(`<div id=root></div>`)));
    await page.addScriptTag({ content: reactApp });
    await page.waitForSelector('#u');
    await page.evaluate((v) => {
      const el = document.getElementById('u') as HTMLInputElement;
      el.value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, USER);
    await page.waitForTimeout(50);
    expect(await page.textContent('#echo')).toBe('');
  });

  it('a controlled input that rejects the change is not reported as filled', async () => {
    await page.goto(site.origin + site.add(html(`<div id=root></div>`)));
    await page.addScriptTag({ content: reactApp });
    await page.waitForSelector('#locked');
    await page.addScriptTag({ content: shipped });
    const r = await fill(page, { origins: [site.origin], values: { totp: '123456' }, submit: false });
    expect(r).toEqual({ ok: true, filled: [], submitted: false });
    expect(await val('#locked')).toBe('fixed');
  });

  it.each([
    ['in the input listener', 'el.value = rewrite(el.value)'],
    ['in a microtask', 'queueMicrotask(() => { el.value = rewrite(el.value); })'],
    ['in the next task (MessageChannel)', 'const c = new MessageChannel(); c.port1.onmessage = () => { el.value = rewrite(el.value); }; c.port2.postMessage(0)'],
    ['in the next task (setTimeout 0)', 'setTimeout(() => { el.value = rewrite(el.value); }, 0)'],
  ])('a page that clears or rewrites the values %s: they are not reported as filled', async (_when, code) => {
    await open(`<form><input id=u name=email><input id=p type=password><button type=submit>Sign in</button></form>
      <script>
        window.__sub = false;
        document.querySelector('form').addEventListener('submit', (e) => { e.preventDefault(); window.__sub = true; });
        const rewrite = (v) => v.slice(0, 3);
        for (const el of document.querySelectorAll('input')) el.addEventListener('input', () => { ${code}; });
      </script>`);
    const r = await fill(page, { origins: [site.origin], values: { username: USER, password: PASS }, submit: true });
    expect(r).toEqual({ ok: true, filled: [], submitted: false });
    expect(await page.evaluate(() => (window as unknown as { __sub: boolean }).__sub)).toBe(false);
  });

  it('a page that clears only the password in the next task: only the username is reported, and submitted from there', async () => {
    await open(`<form><input id=u name=email><input id=p type=password><button type=submit>Sign in</button></form>
      <script>
        document.querySelector('form').addEventListener('submit', (e) => e.preventDefault());
        const p = document.getElementById('p');
        p.addEventListener('input', () => setTimeout(() => { p.value = ''; }, 0));
      </script>`);
    const r = await fill(page, { origins: [site.origin], values: { username: USER, password: PASS }, submit: true });
    expect(r).toEqual({ ok: true, filled: ['username'], submitted: true });
    expect(await val('#p')).toBe('');
  });

  it('open shadow DOM form', async () => {
    await open(`<login-box></login-box><script>
      document.querySelector('login-box').attachShadow({mode:'open'}).innerHTML =
        '<form><input id=u name=email><input id=p type=password><button type=submit>Sign in</button></form>';
      document.querySelector('login-box').shadowRoot.querySelector('form').addEventListener('submit', (e) => { e.preventDefault(); window.__sub = true; });
    </script>`);
    const r = await fill(page, { origins: [site.origin], values: { username: USER, password: PASS }, submit: true });
    expect(r).toEqual({ ok: true, filled: ['username', 'password'], submitted: true });
    const inside = await page.evaluate(() => {
      const root = document.querySelector('login-box')!.shadowRoot!;
      return [(root.getElementById('u') as HTMLInputElement).value.length, (root.getElementById('p') as HTMLInputElement).value.length, (window as unknown as { __sub: boolean }).__sub];
    });
    expect(inside).toEqual([USER.length, PASS.length, true]);
  });

  it('one box per digit, with an auto-advancing widget', async () => {
    const boxes = Array.from({ length: 6 }, (_, i) => `<input id=d${i} maxlength=1 inputmode=numeric>`).join('');
    await open(`<form><div class=otp>${boxes}</div><button type=submit>Verify</button></form><script>
      const all = [...document.querySelectorAll('.otp input')];
      all.forEach((el, i) => el.addEventListener('input', () => { if (el.value && all[i+1]) all[i+1].focus(); }));
    </script>`);
    const r = await fill(page, { origins: [site.origin], values: { totp: '904217' }, submit: false });
    expect(r).toEqual({ ok: true, filled: ['totp'], submitted: false });
    expect(await page.$$eval('.otp input', (els) => els.map((e) => (e as HTMLInputElement).value).join(''))).toBe('904217');
  });

  it('boxes that do not match the code length are left alone', async () => {
    const boxes = Array.from({ length: 8 }, (_, i) => `<input id=d${i} maxlength=1>`).join('');
    await open(`<form><div class=otp>${boxes}</div></form>`);
    const r = await fill(page, { origins: [site.origin], values: { totp: '904217' }, submit: false });
    expect(r).toEqual({ ok: true, filled: [], submitted: false });
  });

  it('a single one-time-code field', async () => {
    await open(`<form><input id=c autocomplete=one-time-code></form>`);
    const r = await fill(page, { origins: [site.origin], values: { totp: '31415926' }, submit: false });
    expect(r).toEqual({ ok: true, filled: ['totp'], submitted: false });
    expect(await val('#c')).toBe('31415926');
  });

  it('a hidden honeypot password stays empty', async () => {
    await open(`<form><input id=u name=user><input id=trap type=password style="position:absolute;left:-5000px"><input id=p type=password></form>`);
    await fill(page, { origins: [site.origin], values: { username: USER, password: PASS }, submit: false });
    expect(await val('#trap')).toBe('');
    expect(await val('#p')).toBe(PASS);
  });

  it('a password never goes into a type=text field named "password"', async () => {
    await open(`<form><input id=u name=email><input id=fake type=text name=password></form>`);
    const r = await fill(page, { origins: [site.origin], values: { username: USER, password: PASS }, submit: false });
    expect(r.filled).not.toContain('password');
    expect(await val('#fake')).toBe('');
  });

  it('covered, transparent and disabled fields are not filled', async () => {
    await open(`<form style="position:relative">
      <input id=p type=password style="width:200px;height:30px">
      <div style="position:absolute;left:0;top:0;width:300px;height:60px;background:white"></div>
      <input id=u name=email style="opacity:0.3"><input id=c autocomplete=one-time-code disabled></form>`);
    const r = await fill(page, { origins: [site.origin], values: { username: USER, password: PASS, totp: '123456' }, submit: false });
    expect(r).toEqual({ ok: true, filled: [], submitted: false });
    expect([await val('#p'), await val('#u'), await val('#c')]).toEqual(['', '', '']);
  });
});

describe('origin re-check inside the page', () => {
  it('refuses, and sets nothing, when this page is not one of the origins', async () => {
    await open(`<form><input id=u name=email><input id=p type=password></form>`);
    const r = await fill(page, { origins: ['https://example.com'], values: { username: USER, password: PASS }, submit: true });
    expect(r.ok).toBe(false);
    expect(r.code).toBe('ORIGIN_MISMATCH');
    expect([await val('#u'), await val('#p')]).toEqual(['', '']);
  });

  it('a matching frame inside a non-matching top page is refused; with the top matching too it fills', async () => {
    const inner = site.add(html(`<form><input id=u name=email><input id=p type=password></form>`));
    await page.goto(site.origin + site.add(html(`<iframe src="${site.altOrigin}${inner}" width=600 height=300></iframe>`)));
    const frame = page.frames().find((f) => f.url().startsWith(site.altOrigin))!;
    await frame.waitForSelector('#p');
    await frame.addScriptTag({ content: shipped });
    const refused = await fill(frame, { origins: [site.altOrigin], values: { username: USER, password: PASS }, submit: false });
    expect(refused.ok).toBe(false);
    expect(refused.code).toBe('ORIGIN_MISMATCH');
    expect(await frame.$eval('#p', (e) => (e as HTMLInputElement).value)).toBe('');
    const ok = await fill(frame, { origins: [site.altOrigin, site.origin], values: { username: USER, password: PASS }, submit: false });
    expect(ok).toEqual({ ok: true, filled: ['username', 'password'], submitted: false });
  });

  it('refuses malformed arguments', async () => {
    await open(`<form><input id=p type=password></form>`);
    const r = await page.evaluate(() => (globalThis as unknown as { __blindfillFill(x: unknown): Promise<Reply> }).__blindfillFill({ origins: 'x' }));
    expect(r.ok).toBe(false);
    expect(await val('#p')).toBe('');
  });
});

describe('submitting', () => {
  const recorder = `<script>
    window.__sub = [];
    document.addEventListener('submit', (e) => { e.preventDefault(); __sub.push('submit:' + (e.submitter ? e.submitter.id : 'none')); }, true);
  </script>`;
  const subs = () => page.evaluate(() => (window as unknown as { __sub: string[] }).__sub);

  it('clicks the submit button (not "forgot password" or social buttons)', async () => {
    await open(`<form><input id=u name=email><input id=p type=password>
      <button type=button id=google>Sign in with Google</button><a href="#forgot" id=forgot>Forgot password?</a>
      <button id=go type=submit>Sign in</button></form>${recorder}`);
    const r = await fill(page, { origins: [site.origin], values: { username: USER, password: PASS }, submit: true });
    expect(r).toEqual({ ok: true, filled: ['username', 'password'], submitted: true });
    expect(await subs()).toEqual(['submit:go']);
  });

  it('uses form.requestSubmit() when the form has no button', async () => {
    await open(`<form><input id=u name=email><input id=p type=password></form>${recorder}`);
    const r = await fill(page, { origins: [site.origin], values: { username: USER, password: PASS }, submit: true });
    expect(r).toEqual({ ok: true, filled: ['username', 'password'], submitted: true });
    expect(await subs()).toEqual(['submit:none']);
  });

  it('requestSubmit on a form that fails validation does not count as submitted', async () => {
    await open(`<form><input id=u name=email><input id=p type=password><input type=checkbox required id=tos></form>${recorder}`);
    const r = await fill(page, { origins: [site.origin], values: { username: USER, password: PASS }, submit: true });
    expect(r).toEqual({ ok: true, filled: ['username', 'password'], submitted: false });
    expect(await subs()).toEqual([]);
  });

  it('identifier-first: clicks "Next"', async () => {
    await open(`<form><input id=u type=email autocomplete=username><button id=next type=submit>Next</button></form>${recorder}`);
    const r = await fill(page, { origins: [site.origin], values: { username: USER }, submit: true });
    expect(r).toEqual({ ok: true, filled: ['username'], submitted: true });
    expect(await subs()).toEqual(['submit:next']);
  });

  it('no form: clicks a button that says it signs in', async () => {
    await open(`<div><input id=u name=username><input id=p type=password><div role=button id=login tabindex=0>Log in</div></div>
      <script>window.__clicked = 0; document.getElementById('login').addEventListener('click', () => __clicked++);</script>`);
    const r = await fill(page, { origins: [site.origin], values: { username: USER, password: PASS }, submit: true });
    expect(r).toEqual({ ok: true, filled: ['username', 'password'], submitted: true });
    expect(await page.evaluate(() => (window as unknown as { __clicked: number }).__clicked)).toBe(1);
  });

  it('no form and no button: presses Enter on the last filled field', async () => {
    await open(`<div><input id=u name=username><input id=p type=password></div>
      <script>window.__keys = []; document.getElementById('p').addEventListener('keydown', (e) => __keys.push(e.key));</script>`);
    const r = await fill(page, { origins: [site.origin], values: { username: USER, password: PASS }, submit: true });
    expect(r).toEqual({ ok: true, filled: ['username', 'password'], submitted: true });
    expect(await page.evaluate(() => (window as unknown as { __keys: string[] }).__keys)).toEqual(['Enter']);
  });

  it('a code widget that submits itself on the last digit is not submitted a second time', async () => {
    const boxes = Array.from({ length: 6 }, (_, i) => `<input id=d${i} maxlength=1 inputmode=numeric>`).join('');
    await open(`<form id=f><div class=otp>${boxes}</div><button id=go type=submit>Verify</button></form>${recorder}<script>
      const all = [...document.querySelectorAll('.otp input')];
      all.forEach((el, i) => el.addEventListener('input', () => {
        if (el.value && all[i+1]) all[i+1].focus();
        if (all.every((b) => b.value)) document.getElementById('f').requestSubmit();
      }));
    </script>`);
    const r = await fill(page, { origins: [site.origin], values: { totp: '904217' }, submit: true });
    expect(r).toEqual({ ok: true, filled: ['totp'], submitted: true });
    expect(await subs()).toEqual(['submit:none']);
  });

  it('a widget that navigates away (form.submit()) on the last digit: the answer still gets out, one submission', async () => {
    const boxes = Array.from({ length: 6 }, (_, i) => `<input id=d${i} maxlength=1 inputmode=numeric>`).join('');
    await open(`<form id=f method=post action="/gone"><div class=otp>${boxes}</div><button id=go type=submit>Verify</button></form><script>
      sessionStorage.setItem('clicks', '0');
      document.getElementById('go').addEventListener('click', () => sessionStorage.setItem('clicks', String(Number(sessionStorage.getItem('clicks')) + 1)));
      const all = [...document.querySelectorAll('.otp input')];
      all.forEach((el) => el.addEventListener('input', () => { if (all.every((b) => b.value)) document.getElementById('f').submit(); }));
    </script>`);
    const r = await fill(page, { origins: [site.origin], values: { totp: '904217' }, submit: true });
    expect(r).toEqual({ ok: true, filled: ['totp'], submitted: true });
    await page.waitForURL(/\/gone$/);
    // blindfill pressed nothing: the page had sent the form itself.
    expect(await page.evaluate(() => sessionStorage.getItem('clicks'))).toBe('0');
  });

  it('form.submit() starts the navigation a task later: the answer is out before the page runs another task', async () => {
    // The page cancels the navigation (so the document stays to be inspected) and queues a
    // task of its own when it starts: on a busy machine the new document could commit
    // there, so the answer must already be out.
    const boxes = Array.from({ length: 6 }, (_, i) => `<input id=d${i} maxlength=1 inputmode=numeric>`).join('');
    await open(`<form id=f method=post action="/gone"><div class=otp>${boxes}</div><button id=go type=submit>Verify</button></form><script>
      window.__order = [];
      navigation.addEventListener('navigate', (e) => {
        e.preventDefault();
        const c = new MessageChannel();
        c.port1.onmessage = () => __order.push('page-task');
        c.port2.postMessage(0);
      });
      const all = [...document.querySelectorAll('.otp input')];
      all.forEach((el) => el.addEventListener('input', () => { if (all.every((b) => b.value)) document.getElementById('f').submit(); }));
    </script>`);
    const r = await page.evaluate(
      (a) =>
        (globalThis as unknown as { __blindfillFill(x: unknown): Promise<Reply> }).__blindfillFill(a).then((reply) => {
          (window as unknown as { __order: string[] }).__order.push('answered');
          return reply;
        }),
      { origins: [site.origin], values: { totp: '904217' }, submit: true },
    );
    expect(r).toEqual({ ok: true, filled: ['totp'], submitted: true });
    await page.waitForFunction(() => (window as unknown as { __order: string[] }).__order.length === 2);
    expect(await page.evaluate(() => (window as unknown as { __order: string[] }).__order)).toEqual(['answered', 'page-task']);
  });

  it('the same widget without --submit: the page submitted, blindfill did not', async () => {
    const boxes = Array.from({ length: 6 }, (_, i) => `<input id=d${i} maxlength=1 inputmode=numeric>`).join('');
    await open(`<form id=f><div class=otp>${boxes}</div><button id=go type=submit>Verify</button></form>${recorder}<script>
      const all = [...document.querySelectorAll('.otp input')];
      all.forEach((el) => el.addEventListener('input', () => { if (all.every((b) => b.value)) document.getElementById('f').requestSubmit(); }));
    </script>`);
    const r = await fill(page, { origins: [site.origin], values: { totp: '904217' }, submit: false });
    expect(r).toEqual({ ok: true, filled: ['totp'], submitted: false });
    expect(await subs()).toEqual(['submit:none']);
  });

  it('a submit control that is a <div role=button> in the form; a button outside it (form=)', async () => {
    await open(`<form id=f><input id=u name=email><input id=p type=password><div role=button id=div-go tabindex=0>Sign in</div></form>
      <script>window.__clicked = []; document.getElementById('div-go').addEventListener('click', () => __clicked.push('div'));</script>`);
    expect(await fill(page, { origins: [site.origin], values: { username: USER, password: PASS }, submit: true })).toEqual({ ok: true, filled: ['username', 'password'], submitted: true });
    expect(await page.evaluate(() => (window as unknown as { __clicked: string[] }).__clicked)).toEqual(['div']);
    await open(`<form id=f><input id=u name=email><input id=p type=password><button type=button>Show</button></form><button id=out type=submit form=f>Sign in</button>${recorder}`);
    expect(await fill(page, { origins: [site.origin], values: { username: USER, password: PASS }, submit: true })).toEqual({ ok: true, filled: ['username', 'password'], submitted: true });
    expect(await subs()).toEqual(['submit:out']);
  });

  it('an icon button named only by its aria-label ("Next") is pressed', async () => {
    await open(`<form id=f><input id=u type=email autocomplete=username><button type=button id=next aria-label="Next">→</button></form>${recorder}
      <script>window.__clicked = []; document.getElementById('next').addEventListener('click', () => __clicked.push('next'));</script>`);
    const r = await fill(page, { origins: [site.origin], values: { username: USER }, submit: true });
    expect(r).toEqual({ ok: true, filled: ['username'], submitted: true });
    expect(await page.evaluate(() => (window as unknown as { __clicked: string[] }).__clicked)).toEqual(['next']);
    expect(await subs()).toEqual([]);
  });

  it('a form whose one plain button has an unusual label: that button, not the password eye', async () => {
    await open(`<form id=f><input id=u name=email><input id=p type=password><button type=button id=eye aria-label="Show password">👁</button>
      <button type=button id=go>Enter the portal</button></form>${recorder}
      <script>window.__clicked = []; for (const id of ['eye', 'go']) document.getElementById(id).addEventListener('click', () => __clicked.push(id));</script>`);
    const r = await fill(page, { origins: [site.origin], values: { username: USER, password: PASS }, submit: true });
    expect(r).toEqual({ ok: true, filled: ['username', 'password'], submitted: true });
    expect(await page.evaluate(() => (window as unknown as { __clicked: string[] }).__clicked)).toEqual(['go']);
    expect(await val('#p')).toBe(PASS);
  });

  it('no form: the login box\'s own button, never the site search button in the header', async () => {
    await open(`<header><input name=q placeholder=Search><button id=search>Search</button></header>
      <main><div class=box><div><input id=u name=username></div><div><input id=p type=password></div><button type=button id=go>Enter</button></div></main>
      <script>window.__clicked = []; for (const id of ['search', 'go']) document.getElementById(id).addEventListener('click', () => __clicked.push(id));</script>`);
    const r = await fill(page, { origins: [site.origin], values: { username: USER, password: PASS }, submit: true });
    expect(r).toEqual({ ok: true, filled: ['username', 'password'], submitted: true });
    expect(await page.evaluate(() => (window as unknown as { __clicked: string[] }).__clicked)).toEqual(['go']);
  });

  it('does not submit when nothing was filled', async () => {
    await open(`<form><input id=x name=comment><button id=go>Send</button></form>${recorder}`);
    const r = await fill(page, { origins: [site.origin], values: { password: PASS }, submit: true });
    expect(r).toEqual({ ok: true, filled: [], submitted: false });
    expect(await subs()).toEqual([]);
  });
});
