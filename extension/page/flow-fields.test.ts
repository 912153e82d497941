/**
 * The account flows' form detection (flow-fields.ts) in real Chromium: which form's
 * new-password fields a sign-up or a change fills, its username and current-password
 * fields, and the password hints it reports.
 */
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { html, launchBrowser, serve, type Site, testPageScript } from '../testing/harness.js';

let browser: Browser;
let page: Page;
let site: Site;
let script: string;

beforeAll(async () => {
  [browser, site, script] = await Promise.all([launchBrowser(), serve(), testPageScript()]);
  page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function flow(kind: 'create' | 'change', body: string): Promise<Record<string, unknown>> {
  await page.goto(site.origin + site.add(html(body)));
  await page.addScriptTag({ content: script });
  return page.evaluate((k) => (globalThis as unknown as { __bfFlowTest: { flow(k: string): Record<string, unknown> } }).__bfFlowTest.flow(k), kind);
}

const SIGNUP = `<h1>Create your account</h1><form id=signup method=post>
<label for=email>Email</label><input id=email type=email name=email>
<label for=pw>Password</label><input id=pw type=password name=pw autocomplete=new-password minlength=10 maxlength=30 passwordrules="required: lower; required: digit; max-consecutive: 2;">
<label for=pw2>Confirm password</label><input id=pw2 type=password name=pw2 autocomplete=new-password maxlength=24 pattern="[a-z0-9]+">
<button type=submit>Create account</button></form>`;
const LOGIN = `<h2>Sign in</h2><form id=login method=post>
<label for=user>Username</label><input id=user name=user>
<label for=cur>Password</label><input id=cur type=password name=cur autocomplete=current-password>
<button type=submit>Sign in</button></form>`;
const CHANGE = `<h1>Change password</h1><form id=change method=post>
<label for=old>Current password</label><input id=old type=password name=old>
<label for=new1>New password</label><input id=new1 type=password name=new1>
<label for=new2>Confirm new password</label><input id=new2 type=password name=new2>
<button type=submit>Save</button></form>`;

describe('account-flow forms', () => {
  it('sign-up: the username, password and confirm of that form, and its hints combined', async () => {
    expect(await flow('create', SIGNUP)).toEqual({
      username: 'email',
      current: null,
      newPasswords: ['pw', 'pw2'],
      hints: { passwordrules: 'required: lower; required: digit; max-consecutive: 2;', minlength: 10, maxlength: 24, pattern: '[a-z0-9]+' },
    });
  });
  it('sign-up beside a sign-in form: the sign-up form, not the sign-in username', async () => {
    const r = await flow('create', `${LOGIN}${SIGNUP}`);
    expect(r).toMatchObject({ username: 'email', newPasswords: ['pw', 'pw2'] });
  });
  it('change: current, new and confirm of one form', async () => {
    expect(await flow('change', CHANGE)).toEqual({ username: null, current: 'old', newPasswords: ['new1', 'new2'], hints: {} });
  });
  it('a sign-up is not taken for a change (no current field), nor a change for a sign-up', async () => {
    expect(await flow('change', SIGNUP)).toEqual({ refusal: 'no-current-password' });
    expect(await flow('create', CHANGE)).toEqual({ refusal: 'no-new-password' });
  });
  it('a sign-in form is neither', async () => {
    expect(await flow('create', LOGIN)).toEqual({ refusal: 'no-new-password' });
    expect(await flow('change', LOGIN)).toEqual({ refusal: 'no-new-password' });
  });
});
