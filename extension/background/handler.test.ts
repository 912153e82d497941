/**
 * The service worker's decision logic against a fake browser: origin refusals, frame
 * selection (own origin, every ancestor, opaque and non-web frames), documentId
 * targeting, NO_FILLABLE_FIELD, TIMEOUT and invalid requests.
 */
import { describe, expect, it } from 'vitest';
import { BrowserResponseSchema } from '../../shared/browser-protocol.js';
import { DETECT_GLOBAL, DETECTOR_FILE, FILL_GLOBAL, FILLER_FILE, PAGE_SCRIPT_MISSING } from '../page/names.js';
import type { BrowserApi, FrameResult, InjectTarget, TabInfo } from './api.js';
import { createHandler } from './handler.js';

const SITE = 'https://login.example.com';
const PASS = 'p4ssw0rd-that-must-not-leak';

interface FakeFrame {
  frameId: number;
  documentId: string;
  origin: string;
  protocol?: string;
  ancestors?: string[];
  /** The detector's flag for a child frame without location.ancestorOrigins. */
  ancestorsUnknown?: true;
  fields: string[];
  /** What the filler answers (default: fills every kind it was given values for). */
  fillReply?: (arg: FillArg) => unknown;
  /** The document is gone (navigated): injections naming it fail. */
  gone?: boolean;
  /** The page-script functions defined in this document's isolated world. */
  globals?: Set<string>;
}

interface FillArg {
  origins: string[];
  values: Record<string, string>;
  submit: boolean;
}

type Call = { kind: 'file'; target: InjectTarget; file: string } | { kind: 'call'; target: InjectTarget; name: string; arg: unknown; reached?: boolean };

class FakeBrowser implements BrowserApi {
  tabs = new Map<number, TabInfo>();
  activeId: number | null = 7;
  frames: FakeFrame[] = [];
  calls: Call[] = [];
  hang: 'file' | 'call' | null = null;
  failFiles = false;
  /** Origins whose TLS state connectionProblem calls invalid. */
  badTls = new Set<string>();
  tlsChecks: Array<{ tabId: number; frames: Array<{ frameId: number; origin: string }>; ancestors: string[] }> = [];

  constructor(url = `${SITE}/login?next=%2Fhome`) {
    this.tabs.set(7, { id: 7, url });
  }

  async activeTab() {
    return this.activeId === null ? null : (this.tabs.get(this.activeId) ?? null);
  }
  async getTab(id: number) {
    return this.tabs.get(id) ?? null;
  }
  private select(target: InjectTarget): FakeFrame[] {
    if ('allFrames' in target) return this.frames.filter((f) => !f.gone);
    if ('frameIds' in target) return this.frames.filter((f) => !f.gone && target.frameIds.includes(f.frameId));
    const missing = target.documentIds.filter((d) => !this.frames.some((f) => f.documentId === d && !f.gone));
    if (missing.length > 0) throw new Error(`No document with id ${missing[0]} in tab ${target.tabId}`);
    return this.frames.filter((f) => target.documentIds.includes(f.documentId));
  }
  async injectFile(target: InjectTarget, file: string): Promise<FrameResult[]> {
    this.calls.push({ kind: 'file', target, file });
    if (this.hang === 'file') return new Promise(() => {});
    if (this.failFiles) throw new Error('Cannot access contents of https://secret.example/path?token=abc');
    const frames = this.select(target);
    for (const f of frames) {
      f.globals ??= new Set();
      // page/detector.js carries the filler too; page/filler.js only the filler.
      for (const g of file === DETECTOR_FILE ? [DETECT_GLOBAL, FILL_GLOBAL] : [FILL_GLOBAL]) f.globals.add(g);
    }
    return frames.map((f) => ({ frameId: f.frameId, documentId: f.documentId, result: null }));
  }
  async callGlobal(target: InjectTarget, name: string, arg: unknown): Promise<FrameResult[]> {
    const call: Call = { kind: 'call', target, name, arg };
    this.calls.push(call);
    if (this.hang === 'call') return new Promise(() => {});
    const frames = this.select(target);
    call.reached = frames.some((f) => f.globals?.has(name));
    return frames.map((f) => ({ frameId: f.frameId, documentId: f.documentId, result: this.run(f, name, arg) }));
  }
  private run(f: FakeFrame, name: string, arg: unknown): unknown {
    if (!f.globals?.has(name)) return PAGE_SCRIPT_MISSING;
    if (name === DETECT_GLOBAL) return { origin: f.origin, protocol: f.protocol ?? new URL(`${f.origin}/`).protocol, ancestors: f.ancestors ?? [], fields: f.fields, ...(f.ancestorsUnknown ? { ancestorsUnknown: true } : {}) };
    if (name === FILL_GLOBAL) {
      const a = arg as FillArg;
      if (f.fillReply) return f.fillReply(a);
      const filled = ['username', 'password', 'totp'].filter((k) => f.fields.includes(k) && a.values[k] !== undefined);
      return { ok: true, filled, submitted: a.submit && filled.length > 0 };
    }
    return null;
  }
  watchTab(): () => void {
    return () => undefined;
  }
  async connectionProblem(tabId: number, frames: ReadonlyArray<{ frameId: number; origin: string }>, ancestors: readonly string[] = []) {
    this.tlsChecks.push({ tabId, frames: [...frames], ancestors: [...ancestors] });
    const bad = [...frames.map((f) => f.origin), ...ancestors].find((o) => this.badTls.has(o));
    return bad === undefined ? null : `certificate error on ${bad}`;
  }
  /** The filler calls that reached a defined filler (values were set in the page). */
  fillCalls(): Array<{ target: InjectTarget; arg: FillArg }> {
    return this.calls.flatMap((c) => (c.kind === 'call' && c.name === FILL_GLOBAL && c.reached ? [{ target: c.target, arg: c.arg as FillArg }] : []));
  }
}

function main(fields = ['username', 'password']): FakeFrame {
  return { frameId: 0, documentId: 'DOC-TOP', origin: SITE, fields };
}

const probe = (origins: string[] = [SITE], want = ['username', 'password']) => ({ type: 'probe', origins, want });
const fillReq = (over: Record<string, unknown> = {}) => ({
  type: 'fill',
  tabId: 7,
  origins: [SITE],
  targets: [{ frameId: 0, documentId: 'DOC-TOP', fields: ['username', 'password'] }],
  values: { username: 'alice', password: PASS },
  submit: false,
  ...over,
});

function setup(frames: FakeFrame[], url?: string) {
  const b = new FakeBrowser(url);
  b.frames = frames;
  const handle = createHandler(b, { timeoutMs: 50, version: '9.9.9' });
  return { b, handle };
}

describe('requests', () => {
  it('answers ping with the version', async () => {
    const { handle } = setup([]);
    expect(await handle({ type: 'ping' })).toEqual({ ok: true, version: '9.9.9' });
  });

  it('active_origin: the active tab\'s origin only, never its path or query; nothing injected', async () => {
    const { handle, b } = setup([main()], `${SITE}/account?token=abc#x`);
    expect(await handle({ type: 'active_origin' })).toEqual({ ok: true, active_origin: SITE });
    b.tabs.set(7, { id: 7, url: 'chrome://newtab/' });
    const r = await handle({ type: 'active_origin' });
    expect(r).toMatchObject({ ok: false, code: 'ORIGIN_MISMATCH' });
    expect(JSON.stringify(r)).not.toContain('newtab');
    b.activeId = null;
    expect(await handle({ type: 'active_origin' })).toMatchObject({ ok: false, code: 'NO_FILLABLE_FIELD' });
    expect(b.calls).toEqual([]);
  });

  it('refuses malformed requests with INVALID_REQUEST, without echoing them', async () => {
    const { handle, b } = setup([main()]);
    for (const bad of [
      null,
      'probe',
      { type: 'nope' },
      { type: 'probe', origins: [SITE] },
      { type: 'probe', origins: [SITE], want: [] },
      { type: 'probe', origins: [SITE], want: ['cookie'] },
      fillReq({ extra: PASS }),
      fillReq({ values: { password: PASS, pin: PASS } }),
      fillReq({ values: { totp: 'abcdef' } }),
      fillReq({ targets: [] }),
    ]) {
      const r = await handle(bad);
      expect(r).toMatchObject({ ok: false, code: 'INVALID_REQUEST' });
      expect(JSON.stringify(r)).not.toContain(PASS);
    }
    expect(b.calls).toEqual([]);
  });

  it('every answer satisfies BrowserResponseSchema', async () => {
    const { handle } = setup([main()]);
    for (const req of [{ type: 'ping' }, probe(), fillReq(), probe(['https://other.example'])]) {
      expect(BrowserResponseSchema.safeParse(await handle(req)).success).toBe(true);
    }
  });
});

describe('probe', () => {
  it('answers the active tab, its origin and the frames to fill', async () => {
    const { handle, b } = setup([main()]);
    expect(await handle(probe())).toEqual({
      ok: true,
      tabId: 7,
      origin: SITE,
      targets: [{ frameId: 0, documentId: 'DOC-TOP', fields: ['username', 'password'] }],
    });
    expect(b.calls.map((c) => [c.kind, c.target, c.kind === 'file' ? c.file : c.name])).toEqual([
      ['call', { tabId: 7, allFrames: true }, DETECT_GLOBAL],
      ['file', { tabId: 7, allFrames: true }, DETECTOR_FILE],
      ['call', { tabId: 7, allFrames: true }, DETECT_GLOBAL],
    ]);
  });

  it('injects the detector only when a frame lacks it: probing the same documents again is one call', async () => {
    const { handle, b } = setup([main(), { frameId: 2, documentId: 'DOC-F', origin: SITE, ancestors: [SITE], fields: ['password'] }]);
    const first = await handle(probe());
    b.calls = [];
    expect(await handle(probe())).toEqual(first);
    expect(b.calls.map((c) => [c.kind, c.kind === 'file' ? c.file : c.name])).toEqual([['call', DETECT_GLOBAL]]);
    // A new frame (or a navigated one: a new document) lacks it: inject into all frames again.
    b.frames.push({ frameId: 3, documentId: 'DOC-NEW', origin: SITE, ancestors: [SITE], fields: ['totp'] });
    b.calls = [];
    expect(await handle(probe([SITE], ['username', 'password', 'totp']))).toMatchObject({ ok: true, targets: [{ documentId: 'DOC-TOP' }, { documentId: 'DOC-F' }, { documentId: 'DOC-NEW' }] });
    expect(b.calls.map((c) => [c.kind, c.kind === 'file' ? c.file : c.name])).toEqual([
      ['call', DETECT_GLOBAL],
      ['file', DETECTOR_FILE],
      ['call', DETECT_GLOBAL],
    ]);
  });

  it('NO_FILLABLE_FIELD, not INTERNAL, when even the first call cannot reach the page', async () => {
    const { b, handle } = setup([main()]);
    b.callGlobal = async () => {
      throw new Error('Cannot access contents of the page https://secret.example/?token=abc');
    };
    const r = await handle(probe());
    expect(r).toMatchObject({ ok: false, code: 'NO_FILLABLE_FIELD' });
    expect(JSON.stringify(r)).not.toContain('token');
  });

  it('ORIGIN_MISMATCH when the tab is elsewhere; nothing is injected', async () => {
    const { handle, b } = setup([main()], 'https://evil.example/login');
    expect(await handle(probe())).toMatchObject({ ok: false, code: 'ORIGIN_MISMATCH' });
    expect(b.calls).toEqual([]);
  });

  it('ORIGIN_MISMATCH for a look-alike host (never a substring match)', async () => {
    const { handle } = setup([main()], 'https://login.example.com.evil.example/');
    expect(await handle(probe())).toMatchObject({ ok: false, code: 'ORIGIN_MISMATCH' });
  });

  it('INSECURE_ORIGIN on a non-loopback http page', async () => {
    const { handle, b } = setup([main()], 'http://login.example.com/');
    expect(await handle(probe(['https://login.example.com']))).toMatchObject({ ok: false, code: 'INSECURE_ORIGIN' });
    expect(b.calls).toEqual([]);
  });

  it('ORIGIN_MISMATCH on browser pages; NO_FILLABLE_FIELD without an active tab', async () => {
    expect(await setup([main()], 'chrome://settings/').handle(probe())).toMatchObject({ ok: false, code: 'ORIGIN_MISMATCH' });
    const { b, handle } = setup([main()]);
    b.activeId = null;
    expect(await handle(probe())).toMatchObject({ ok: false, code: 'NO_FILLABLE_FIELD' });
  });

  it('messages name the origin, never the path or query of the page', async () => {
    const r = await setup([main()], 'https://evil.example/reset?token=s3cr3t').handle(probe());
    expect(JSON.stringify(r)).not.toContain('s3cr3t');
  });

  it('NO_FILLABLE_FIELD when no frame has a wanted field', async () => {
    const { handle } = setup([main(['totp'])]);
    expect(await handle(probe([SITE], ['username', 'password']))).toMatchObject({ ok: false, code: 'NO_FILLABLE_FIELD' });
  });

  it('reports only the wanted kinds of each frame', async () => {
    const { handle } = setup([main(['username', 'password', 'totp'])]);
    expect(await handle(probe([SITE], ['totp']))).toMatchObject({ ok: true, targets: [{ frameId: 0, fields: ['totp'] }] });
  });

  it('keeps a matching cross-origin frame when the top origin matches too', async () => {
    const idp = 'https://id.example.net';
    const { handle } = setup([main([]), { frameId: 3, documentId: 'DOC-IDP', origin: idp, ancestors: [SITE], fields: ['username', 'password'] }]);
    expect(await handle(probe([SITE, idp]))).toMatchObject({ ok: true, targets: [{ frameId: 3, documentId: 'DOC-IDP' }] });
  });

  it('a credential for the embedded IdP only is refused on a page whose top is another site', async () => {
    const idp = 'https://id.example.net';
    const { handle, b } = setup([main([]), { frameId: 3, documentId: 'DOC-IDP', origin: idp, ancestors: [SITE], fields: ['username', 'password'] }]);
    expect(await handle(probe([idp]))).toMatchObject({ ok: false, code: 'ORIGIN_MISMATCH' }); // the tab (top) is SITE
    expect(b.calls).toEqual([]);
  });

  it('drops a matching frame whose reported top origin does not match (the tab moved on meanwhile)', async () => {
    const idp = 'https://id.example.net';
    const { handle } = setup(
      [
        { frameId: 0, documentId: 'DOC-TOP', origin: idp, fields: [] },
        { frameId: 3, documentId: 'DOC-IDP', origin: idp, ancestors: ['https://evil.example'], fields: ['password'] },
      ],
      `${idp}/`,
    );
    const r = await handle(probe([idp], ['password']));
    expect(r).toMatchObject({ ok: false, code: 'NO_FILLABLE_FIELD' });
    expect((r as { message: string }).message).toContain(idp);
  });

  it('a pattern shared/origin.ts refuses (wildcard over a public suffix) admits no frame', async () => {
    const pages = 'https://evil.github.io';
    const { handle } = setup([main([]), { frameId: 2, documentId: 'DOC-GH', origin: pages, ancestors: [SITE], fields: ['password'] }]);
    const r = await handle(probe([SITE, 'https://*.github.io']));
    expect(r).toMatchObject({ ok: false, code: 'NO_FILLABLE_FIELD' });
    expect((r as { message: string }).message).toContain(pages);
  });

  it('drops frames from other origins, and says so', async () => {
    const { handle } = setup([main([]), { frameId: 2, documentId: 'DOC-ADS', origin: 'https://ads.example', ancestors: [SITE], fields: ['password'] }]);
    const r = await handle(probe());
    expect(r).toMatchObject({ ok: false, code: 'NO_FILLABLE_FIELD' });
    expect((r as { message: string }).message).toContain('https://ads.example');
  });

  it('refuses a matching child frame that cannot prove its ancestors (no ancestorOrigins), and says why', async () => {
    const { handle, b } = setup([main([]), { frameId: 3, documentId: 'DOC-F', origin: SITE, ancestors: ['null'], ancestorsUnknown: true, fields: ['password'] }]);
    const r = await handle(probe());
    expect(r).toMatchObject({ ok: false, code: 'NO_FILLABLE_FIELD' });
    expect((r as { message: string }).message).toMatch(/child frame.*cannot report a frame's ancestor origins/);
    expect(b.fillCalls()).toEqual([]);
  });

  it('the ancestor-less flag never admits a frame whose own origin does not match', async () => {
    const { handle } = setup([main([]), { frameId: 3, documentId: 'DOC-F', origin: 'https://ads.example', ancestors: ['null'], ancestorsUnknown: true, fields: ['password'] }]);
    const r = await handle(probe());
    expect(r).toMatchObject({ ok: false, code: 'NO_FILLABLE_FIELD' });
    expect((r as { message: string }).message).toContain('https://ads.example');
  });

  it('drops a matching frame nested inside a non-matching middle frame', async () => {
    const { handle } = setup([main([]), { frameId: 5, documentId: 'DOC-N', origin: SITE, ancestors: ['https://middle.example', SITE], fields: ['password'] }]);
    expect(await handle(probe())).toMatchObject({ ok: false, code: 'NO_FILLABLE_FIELD' });
  });

  it('never keeps opaque-origin, about:blank or blob: frames', async () => {
    const { handle } = setup([
      main([]),
      { frameId: 1, documentId: 'D1', origin: 'null', protocol: 'https:', ancestors: [SITE], fields: ['password'] },
      { frameId: 2, documentId: 'D2', origin: SITE, protocol: 'about:', ancestors: [SITE], fields: ['password'] },
      { frameId: 3, documentId: 'D3', origin: SITE, protocol: 'blob:', ancestors: [SITE], fields: ['password'] },
      { frameId: 4, documentId: 'D4', origin: 'null', protocol: 'data:', ancestors: [SITE], fields: ['password'] },
      { frameId: 6, documentId: 'D6', origin: SITE, ancestors: ['null'], fields: ['password'] },
    ]);
    expect(await handle(probe())).toMatchObject({ ok: false, code: 'NO_FILLABLE_FIELD' });
  });

  it('orders targets main frame first, ignores garbage reports and duplicate documents', async () => {
    const { b, handle } = setup([
      { frameId: 9, documentId: 'D9', origin: SITE, ancestors: [SITE], fields: ['password'] },
      main(['username']),
      { frameId: 4, documentId: 'D4', origin: SITE, ancestors: [SITE], fields: ['totp', 'bogus'] },
    ]);
    const orig = b.callGlobal.bind(b);
    b.callGlobal = async (t, n, a) => [...(await orig(t, n, a)), { frameId: 11, documentId: 'D11', result: 'garbage' }, { frameId: 12, documentId: 'D9', result: null }];
    expect(await handle(probe([SITE], ['username', 'password', 'totp']))).toMatchObject({
      ok: true,
      targets: [
        { frameId: 0, documentId: 'DOC-TOP', fields: ['username'] },
        { frameId: 4, documentId: 'D4', fields: ['totp'] },
        { frameId: 9, documentId: 'D9', fields: ['password'] },
      ],
    });
  });

  it('wildcard patterns cover subdomains (frames and tab)', async () => {
    const { handle } = setup([{ frameId: 0, documentId: 'DOC-TOP', origin: SITE, fields: ['password'] }]);
    expect(await handle(probe(['https://*.example.com'], ['password']))).toMatchObject({ ok: true });
  });

  it('TIMEOUT when the page does not answer the injection', async () => {
    const { b, handle } = setup([main()]);
    b.hang = 'file';
    expect(await handle(probe())).toMatchObject({ ok: false, code: 'TIMEOUT' });
    b.hang = 'call';
    expect(await handle(probe())).toMatchObject({ ok: false, code: 'TIMEOUT' });
  });

  it('NO_FILLABLE_FIELD when the page cannot be inspected; the browser error is not quoted', async () => {
    const { b, handle } = setup([main()]);
    b.failFiles = true;
    const r = await handle(probe());
    expect(r).toMatchObject({ ok: false, code: 'NO_FILLABLE_FIELD' });
    expect(JSON.stringify(r)).not.toContain('token');
  });
});

describe('fill', () => {
  it('after a probe, fills with one call into exactly the approved document (the probe left the filler there)', async () => {
    const { b, handle } = setup([main(), { frameId: 2, documentId: 'OTHER', origin: SITE, ancestors: [SITE], fields: ['password'] }]);
    expect(await handle(probe())).toMatchObject({ ok: true });
    b.calls = [];
    const r = await handle(fillReq());
    expect(r).toEqual({ ok: true, origin: SITE, filled: ['username', 'password'], submitted: false });
    expect(b.calls).toEqual([{ kind: 'call', target: { tabId: 7, documentIds: ['DOC-TOP'] }, name: FILL_GLOBAL, arg: { origins: [SITE], values: { username: 'alice', password: PASS }, submit: false }, reached: true }]);
    expect(JSON.stringify(r)).not.toContain(PASS);
  });

  it('injects the filler into the approved document only when it is missing there, then fills', async () => {
    const { b, handle } = setup([main(), { frameId: 2, documentId: 'OTHER', origin: SITE, ancestors: [SITE], fields: ['password'] }]);
    const r = await handle(fillReq());
    expect(r).toEqual({ ok: true, origin: SITE, filled: ['username', 'password'], submitted: false });
    expect(b.calls.map((c) => [c.kind, c.target, c.kind === 'file' ? c.file : c.name])).toEqual([
      ['call', { tabId: 7, documentIds: ['DOC-TOP'] }, FILL_GLOBAL],
      ['file', { tabId: 7, documentIds: ['DOC-TOP'] }, FILLER_FILE],
      ['call', { tabId: 7, documentIds: ['DOC-TOP'] }, FILL_GLOBAL],
    ]);
    const fills = b.fillCalls();
    expect(fills).toHaveLength(1);
    expect(fills[0]!.target).toEqual({ tabId: 7, documentIds: ['DOC-TOP'] });
    expect(fills[0]!.arg).toEqual({ origins: [SITE], values: { username: 'alice', password: PASS }, submit: false });
    expect(b.frames[1]!.globals).toBeUndefined(); // nothing went into the other document
  });

  it('a navigated frame fails closed even though the probe left the filler in its old document', async () => {
    const { b, handle } = setup([main()]);
    expect(await handle(probe())).toMatchObject({ ok: true });
    b.frames[0]!.gone = true; // navigated: a new document under the same frame id
    b.frames.push({ ...main(), documentId: 'DOC-NEW', globals: new Set([FILL_GLOBAL]) });
    const r = await handle(fillReq());
    expect(r).toMatchObject({ ok: false, code: 'ORIGIN_MISMATCH' });
    expect((r as { message: string }).message).toMatch(/page changed.*nothing was filled/);
    expect(b.fillCalls()).toEqual([]);
  });

  it('hands the filler only the patterns shared/origin.ts accepts (the public-suffix rule stays in the worker)', async () => {
    const { b, handle } = setup([main()]);
    const r = await handle(fillReq({ origins: [SITE, 'https://*.github.io', 'https://*.co.uk', 'https://*.example.com'] }));
    expect(r).toMatchObject({ ok: true });
    expect(b.fillCalls()[0]!.arg.origins).toEqual([SITE, 'https://*.example.com']);
  });

  it('several documents: the filler goes into all of them first, so none is filled when one is gone', async () => {
    const { b, handle } = setup([main(['username']), { frameId: 4, documentId: 'PW', origin: SITE, ancestors: [SITE], fields: ['password'], gone: true }]);
    const targets = [
      { frameId: 0, documentId: 'DOC-TOP', fields: ['username'] },
      { frameId: 4, documentId: 'PW', fields: ['password'] },
    ];
    const r = await handle(fillReq({ targets }));
    expect(r).toMatchObject({ ok: false, code: 'ORIGIN_MISMATCH' });
    expect((r as { message: string }).message).toMatch(/nothing was filled/);
    expect(b.fillCalls()).toEqual([]);
  });

  it('ORIGIN_MISMATCH ("the page changed") when an approved document is gone; nothing is filled', async () => {
    const { b, handle } = setup([{ ...main(), gone: true }, { ...main(), documentId: 'DOC-NEW' }]);
    const r = await handle(fillReq());
    expect(r).toMatchObject({ ok: false, code: 'ORIGIN_MISMATCH' });
    expect((r as { message: string }).message).toMatch(/page changed/);
    expect(b.fillCalls()).toEqual([]);
  });

  it('re-checks the tab URL: navigated elsewhere → ORIGIN_MISMATCH, http → INSECURE_ORIGIN, closed → ORIGIN_MISMATCH', async () => {
    let s = setup([main()], 'https://evil.example/');
    expect(await s.handle(fillReq())).toMatchObject({ ok: false, code: 'ORIGIN_MISMATCH' });
    expect(s.b.calls).toEqual([]);
    s = setup([main()], 'http://login.example.com/');
    expect(await s.handle(fillReq())).toMatchObject({ ok: false, code: 'INSECURE_ORIGIN' });
    s = setup([main()]);
    expect(await s.handle(fillReq({ tabId: 99 }))).toMatchObject({ ok: false, code: 'ORIGIN_MISMATCH' });
    expect(s.b.calls).toEqual([]);
  });

  it('gives each document only the values of the kinds it was approved for; submits in the last one', async () => {
    const { b, handle } = setup([
      main(['username']),
      { frameId: 4, documentId: 'PW', origin: SITE, ancestors: [SITE], fields: ['password'] },
    ]);
    const r = await handle(
      fillReq({
        targets: [
          { frameId: 4, documentId: 'PW', fields: ['password'] },
          { frameId: 0, documentId: 'DOC-TOP', fields: ['username'] },
        ],
        submit: true,
      }),
    );
    expect(r).toEqual({ ok: true, origin: SITE, filled: ['username', 'password'], submitted: true });
    const fills = b.fillCalls();
    expect(fills.map((f) => [f.target, f.arg.values, f.arg.submit])).toEqual([
      [{ tabId: 7, documentIds: ['DOC-TOP'] }, { username: 'alice' }, false],
      [{ tabId: 7, documentIds: ['PW'] }, { password: PASS }, true],
    ]);
  });

  it('skips documents with nothing to fill (no value for their kinds)', async () => {
    const { b, handle } = setup([main(['totp'])]);
    const r = await handle(fillReq({ targets: [{ frameId: 0, documentId: 'DOC-TOP', fields: ['totp'] }] }));
    expect(r).toMatchObject({ ok: false, code: 'NO_FILLABLE_FIELD' });
    expect(b.fillCalls()).toEqual([]);
  });

  it('NO_FILLABLE_FIELD when the filler fills nothing', async () => {
    const { handle } = setup([{ ...main(), fillReply: () => ({ ok: true, filled: [], submitted: false }) }]);
    expect(await handle(fillReq())).toMatchObject({ ok: false, code: 'NO_FILLABLE_FIELD' });
  });

  it("passes on the filler's own origin refusal", async () => {
    const { handle } = setup([{ ...main(), fillReply: () => ({ ok: false, code: 'ORIGIN_MISMATCH', message: 'a frame of x is embedded in y' }) }]);
    expect(await handle(fillReq())).toMatchObject({ ok: false, code: 'ORIGIN_MISMATCH' });
  });

  it('reports only approved kinds, de-duplicated, in the order username, password, totp', async () => {
    const { handle } = setup([
      { ...main(), fillReply: () => ({ ok: true, filled: ['password', 'totp', 'username', 'password', 'cookie'], submitted: false }) },
    ]);
    expect(await handle(fillReq())).toEqual({ ok: true, origin: SITE, filled: ['username', 'password'], submitted: false });
  });

  it('a malformed filler answer is treated as a changed page', async () => {
    const { handle } = setup([{ ...main(), fillReply: () => 'oops' }]);
    expect(await handle(fillReq())).toMatchObject({ ok: false, code: 'ORIGIN_MISMATCH' });
  });

  it('TIMEOUT when the filler does not answer', async () => {
    const { b, handle } = setup([main()]);
    b.hang = 'call';
    expect(await handle(fillReq())).toMatchObject({ ok: false, code: 'TIMEOUT' });
  });
});

describe('TLS state (INSECURE_CONNECTION)', () => {
  const IDP = 'https://idp.example.com';

  it('probe: a top page with an invalid TLS state is refused before anything is injected', async () => {
    const { handle, b } = setup([main()]);
    b.badTls.add(SITE);
    expect(await handle(probe())).toEqual({ ok: false, code: 'INSECURE_CONNECTION', message: `certificate error on ${SITE}` });
    expect(b.calls).toEqual([]);
    expect(b.tlsChecks).toEqual([{ tabId: 7, frames: [{ frameId: 0, origin: SITE }], ancestors: [] }]);
  });

  it('probe: every frame that would be filled is checked with its frame id, and its ancestors', async () => {
    const { handle, b } = setup([main([]), { frameId: 4, documentId: 'DOC-IDP', origin: IDP, ancestors: [SITE], fields: ['username', 'password'] }]);
    expect(await handle(probe([SITE, IDP]))).toMatchObject({ ok: true, targets: [{ frameId: 4 }] });
    expect(b.tlsChecks.at(-1)).toEqual({ tabId: 7, frames: [{ frameId: 4, origin: IDP }], ancestors: [SITE] });
    b.badTls.add(IDP);
    expect(await handle(probe([SITE, IDP]))).toMatchObject({ ok: false, code: 'INSECURE_CONNECTION' });
    expect(b.fillCalls()).toEqual([]);
  });

  it('probe: a frame that is not filled (no wanted field, or another origin) does not matter', async () => {
    const { handle, b } = setup([main(), { frameId: 5, documentId: 'DOC-AD', origin: 'https://ads.example.net', ancestors: [SITE], fields: ['username'] }]);
    b.badTls.add('https://ads.example.net');
    expect(await handle(probe())).toMatchObject({ ok: true, targets: [{ frameId: 0 }] });
  });

  it('fill: the top page is checked again; nothing is filled when it is refused', async () => {
    const { handle, b } = setup([main()]);
    expect(await handle(probe())).toMatchObject({ ok: true });
    b.badTls.add(SITE);
    expect(await handle(fillReq())).toMatchObject({ ok: false, code: 'INSECURE_CONNECTION' });
    expect(b.fillCalls()).toEqual([]);
  });
});
