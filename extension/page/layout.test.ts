/**
 * What a person sees, computed as the browser paints it (layout.ts, boxes.ts), in real
 * Chromium: the top layer and out-of-flow boxes escape overflow clipping; a widget's own
 * transparent input (Material-style) is a field, a transparent decoy is not; one box per
 * digit without maxlength, recognised by geometry and attributes.
 */
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { html, launchBrowser, serve, type Site, testPageScript } from '../testing/harness.js';

interface Found {
  username: string | null;
  password: string | null;
  totp: string[] | null;
}

let browser: Browser;
let page: Page;
let site: Site;
let probeScript: string;

beforeAll(async () => {
  [browser, site, probeScript] = await Promise.all([launchBrowser(), serve(), testPageScript()]);
  page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function found(body: string, head = ''): Promise<Found> {
  await page.goto(site.origin + site.add(html(body, head)));
  await page.addScriptTag({ content: probeScript });
  return page.evaluate(() => (globalThis as unknown as { __bfTest: { found(): Found } }).__bfTest.found());
}

const FORM = `<form><label>Email <input id=u name=email></label><label>Password <input id=p type=password name=pw></label><button type=submit>Sign in</button></form>`;
const CARD = `style="overflow:hidden;width:120px;height:40px;position:relative"`;

describe('top layer and out-of-flow boxes escape the clip of a card', () => {
  it('a modal <dialog> (showModal) inside an overflow:hidden card', async () => {
    const r = await found(`<div ${CARD}><dialog id=d>${FORM}</dialog></div><script>document.getElementById('d').showModal()</script>`);
    expect(r).toEqual({ username: 'u', password: 'p', totp: null });
  });

  it('an open popover inside an overflow:hidden card', async () => {
    const r = await found(`<div ${CARD}><div id=pop popover=manual>${FORM}</div></div><script>document.getElementById('pop').showPopover()</script>`);
    expect(r).toEqual({ username: 'u', password: 'p', totp: null });
  });

  it('a non-modal <dialog open> is not in the top layer: a positioned card clips it away', async () => {
    const r = await found(`<div style="overflow:hidden;width:0;height:0;position:relative"><dialog open>${FORM}</dialog></div>`);
    expect(r.password).toBeNull();
  });

  it('position:fixed escapes an overflow:hidden ancestor, unless that ancestor has a transform', async () => {
    const box = `<div style="position:fixed;left:300px;top:200px;width:300px">${FORM}</div>`;
    expect((await found(`<div style="overflow:hidden;width:10px;height:10px">${box}</div>`)).password).toBe('p');
    expect((await found(`<div style="overflow:hidden;width:10px;height:10px;transform:translateZ(0)">${box}</div>`)).password).toBeNull();
  });

  it('position:absolute escapes a static overflow:hidden ancestor, not a positioned one', async () => {
    const box = `<div style="position:absolute;left:300px;top:200px;width:300px">${FORM}</div>`;
    expect((await found(`<div style="overflow:hidden;width:10px;height:10px">${box}</div>`)).password).toBe('p');
    expect((await found(`<div style="overflow:hidden;width:10px;height:10px;position:relative">${box}</div>`)).password).toBeNull();
  });

  it('opacity and clip-path of ancestors still count below the top layer, and a dialog behind a cover is refused', async () => {
    expect((await found(`<div style="opacity:0.2"><div style="position:fixed;left:300px;top:200px">${FORM}</div></div>`)).password).toBeNull();
    expect((await found(`<div style="clip-path:inset(50%);width:300px;height:300px"><div style="position:fixed;left:300px;top:200px">${FORM}</div></div>`)).password).toBeNull();
  });
});

/** A text-field component that, like Material Web's, keeps its input at opacity 0 until focused. */
const WIDGET = (o: { label: boolean; id: string; type: string }) => `<x-field data-id="${o.id}" data-type="${o.type}" ${o.label ? 'data-label="Password"' : ''}></x-field>`;
const WIDGET_JS = `<script>
customElements.define('x-field', class extends HTMLElement {
  connectedCallback() {
    const root = this.attachShadow({ mode: 'open' });
    const label = this.dataset.label ? '<span class=label>' + this.dataset.label + '</span>' : '';
    root.innerHTML = '<style>:host{display:inline-block}.f{position:relative;border:1px solid #555;border-radius:4px;width:260px;height:48px}' +
      '.label{position:absolute;left:12px;top:14px}.content{opacity:0;padding:12px}.f:focus-within .content{opacity:1}' +
      'input{border:0;outline:0;width:220px;height:22px}</style><div class=f>' + label + '<div class=content><input></div></div>';
    const input = root.querySelector('input');
    input.id = this.dataset.id; input.type = this.dataset.type;
  }
});
</script>`;

describe("a widget's own transparency against a decoy", () => {
  it('a labelled widget whose content is transparent until focused is a field', async () => {
    const r = await found(`<form>${WIDGET({ label: true, id: 'p', type: 'password' })}<button>Sign in</button></form>${WIDGET_JS}`);
    expect(r.password).toBe('p');
  });

  it('the same widget with no visible label (nothing shows a field there) is refused', async () => {
    const r = await found(`<form>${WIDGET({ label: false, id: 'p', type: 'password' })}<button>Sign in</button></form>${WIDGET_JS}`);
    expect(r.password).toBeNull();
  });

  it('the page making a widget transparent (light DOM) is refused', async () => {
    const r = await found(`<form><div style="opacity:0">${WIDGET({ label: true, id: 'p', type: 'password' })}</div><button>Sign in</button></form>${WIDGET_JS}`);
    expect(r.password).toBeNull();
  });

  it('a transparent input laid over a visible one: the visible one', async () => {
    const r = await found(`<form style="position:relative"><input id=u name=email><input id=real type=password style="width:200px;height:30px">
      <input id=decoy type=password style="position:absolute;left:0;top:0;width:200px;height:30px;opacity:0"><button>Sign in</button></form>`);
    expect(r.password).toBe('real');
  });
});

describe('one box per digit without maxlength', () => {
  const row = (n: number, attrs: string, style = 'width:44px;height:52px') =>
    Array.from({ length: n }, (_, i) => `<div class=cell><div class=base><input id=d${i} ${attrs} style="${style}"></div></div>`).join('');
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `d${i}`);

  it('six type=number boxes with autocomplete=one-time-code (MUI-style), side by side', async () => {
    const r = await found(`<form><div style="display:flex;gap:8px">${row(6, 'type=number autocomplete=one-time-code')}</div><button>Continue</button></form>`);
    expect(r.totp).toEqual(ids(6));
  });

  it('six text boxes with inputmode=numeric and no maxlength', async () => {
    const r = await found(`<form><div style="display:flex;gap:8px">${row(6, 'inputmode=numeric')}</div><button>Verify</button></form>`);
    expect(r.totp).toEqual(ids(6));
  });

  it('not a code: the same boxes stacked in a column, wide fields, or boxes that say nothing of a code', async () => {
    expect((await found(`<form><div>${row(6, 'inputmode=numeric')}</div></form>`)).totp).toBeNull();
    expect((await found(`<form><div style="display:flex;gap:8px">${row(6, 'type=number', 'width:140px;height:30px')}</div></form>`)).totp).toBeNull();
    expect((await found(`<form><div style="display:flex;gap:8px">${row(6, 'type=text')}</div></form>`)).totp).toBeNull();
  });
});
