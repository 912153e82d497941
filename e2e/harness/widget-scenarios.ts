/**
 * `blindfill fill` on the widget and top-layer pages (e2e/fixtures/realworld-widgets.ts),
 * written once for Chromium (e2e/browser/realworld-widgets.test.ts) and Firefox
 * (e2e/firefox/widgets.test.ts): a modal <dialog> and a popover inside an overflow:hidden
 * card, the real Material Web text fields (with a transparent decoy beside them), inputs
 * in closed shadow roots, and the real MUI one-time-password input. Each login is checked
 * server-side: the right values reached the site, the decoy stayed empty.
 */
import { expect, it } from 'vitest';
import { MATERIAL_FIELDS, TOP_LAYER_KINDS } from '../fixtures/realworld-widgets.js';
import type { EnginePage } from './browser-stack.js';
import { type FillAccount, type FillEngine, loggedIn } from './fill-scenarios.js';

/** Wait until `check` holds in the page's main frame (re-checked on every animation frame there). */
export async function until(page: EnginePage, check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const main = page.frames()[0]!;
  const fn = `new Promise((resolve) => { const t0 = performance.now(); const c = ${check.toString()}; const step = () => { let ok = false; try { ok = c(); } catch {} if (ok) resolve(true); else if (performance.now() - t0 > ${timeoutMs}) resolve(false); else requestAnimationFrame(step); }; step(); })`;
  const ok = await main.evaluate(new Function(`return ${fn}`) as () => boolean);
  if (!ok) throw new Error(`the page never showed: ${what}`);
}

export function defineWidgetScenarios(e: FillEngine, a: FillAccount): void {
  const HOST = 'bank.test';
  const url = (path: string) => e.stack().server.url(HOST, path);
  // Every submit here signs in: the outcome must say so.
  const ok = (label: string, filled: string[], submitted: boolean) => ({ ok: true, label, origin: e.stack().server.origin(HOST), filled, submitted, ...(submitted ? { outcome: 'signed_in' } : {}) });

  for (const kind of TOP_LAYER_KINDS) {
    it(`top layer: a login ${kind === 'dialog' ? 'in a modal <dialog> (showModal)' : 'in an open popover'} inside an overflow:hidden card`, async () => {
      const s = e.stack();
      await s.page.goto(url(`/rw/top-layer?kind=${kind}`));
      await until(s.page, () => document.getElementById('login-box')!.matches(':modal, :popover-open'), 'the login box open');
      const r = await s.fill('bank', { submit: true });
      expect(r.stderr).toBe('');
      expect(r.json).toEqual(ok('bank', ['username', 'password'], true));
      expect(await loggedIn(e, HOST)).toMatchObject({ page: 'rw/top-layer', variant: kind, user: a.username });
    });
  }

  for (const field of MATERIAL_FIELDS) {
    for (const focus of ['autofocus', 'none']) {
      it(`Material Web ${field} text fields (focus: ${focus}); the transparent decoy beside them stays empty`, async () => {
        const s = e.stack();
        await s.page.goto(url(`/rw/material?field=${field}`));
        await until(
          s.page,
          () => !!customElements.get('md-filled-button') && !!document.getElementById('password')?.shadowRoot?.querySelector('input') && !!document.getElementById('username')?.shadowRoot?.querySelector('input'),
          'the Material fields rendered',
        );
        if (focus === 'none') {
          await s.page.frames()[0]!.evaluate(() => {
            (document.activeElement as HTMLElement | null)?.blur();
            return true;
          });
        }
        const r = await s.fill('bank', { submit: true });
        expect(r.stderr).toBe('');
        expect(r.json).toEqual(ok('bank', ['username', 'password'], true));
        // The server refuses a login whose decoy field holds anything (reason honeypot).
        expect(await loggedIn(e, HOST)).toMatchObject({ page: 'rw/material', variant: field, user: a.username });
      });
    }
  }

  it('inputs in closed shadow roots (a form in an open root, each input in a closed one)', async () => {
    const s = e.stack();
    await s.page.goto(url('/rw/closed-shadow'));
    await until(s.page, () => !!document.getElementById('form-container')?.shadowRoot?.querySelector('button'), 'the form');
    const r = await s.fill('bank', { submit: true });
    expect(r.stderr).toBe('');
    expect(r.json).toEqual(ok('bank', ['username', 'password'], true));
    expect(await loggedIn(e, HOST)).toMatchObject({ page: 'rw/closed-shadow', user: a.username });
  });

  it('MUI one-time-password input: six type=number boxes without maxlength, one digit each, the code submitted', async () => {
    const s = e.stack();
    s.server.setAccount('*', { username: a.username, password: a.password, totp: { secret: a.seed } });
    await s.page.goto(url(`/rw/mui-otp?user=${encodeURIComponent(a.username)}`));
    await until(s.page, () => document.querySelectorAll('#mui-otp input[type=number]').length === 6, 'six boxes');
    const r = await s.fill('bank-2fa', { totp: true, submit: true });
    expect(r.stderr).toBe('');
    expect(r.json).toEqual(ok('bank-2fa', ['totp'], true));
    const login = await s.server.waitForLogin(HOST, { predicate: (l) => l.step === 'otp' });
    expect(login).toMatchObject({ page: 'rw/mui-otp', ok: true, complete: true, reason: 'ok' });
    await e.welcomeShown();
    expect(s.server.logins(HOST).filter((l) => l.step === 'otp')).toHaveLength(1);
  });
}
