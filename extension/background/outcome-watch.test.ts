import { describe, expect, it } from 'vitest';
import { decide, type Evidence, OutcomeWatch, type PageReading, parseReading } from './outcome-watch.js';
import type { BrowserApi, FrameResult, TabEvent } from './api.js';
import { OUTCOME_GLOBAL } from '../page/names.js';

const page = (over: Partial<PageReading> = {}): PageReading => ({
  fresh: false, loading: false, form: true, password: true, filledGone: false, otp: false, captcha: false, error: false, ...over,
});
const ev = (p: Partial<PageReading>, over: Partial<Evidence> = {}): Evidence => ({ page: page(p), httpRejected: false, pending: 0, identifierOnly: false, ...over });

describe('decide', () => {
  it('a new document without a form: signed_in; while loading: not yet', () => {
    expect(decide(ev({ fresh: true, form: false, password: false }))).toBe('signed_in');
    expect(decide(ev({ fresh: true, form: false, password: false, loading: true }))).toBeNull();
  });
  it('the form gone from the same document: to be confirmed; not while a request of the site is open', () => {
    expect(decide(ev({ form: false, password: false, filledGone: true }))).toBe('maybe_signed_in');
    expect(decide(ev({ form: false, password: false, filledGone: true }, { pending: 1 }))).toBeNull();
  });
  it('the form with an error marker or a refused request: rejected; the form alone: undecided', () => {
    expect(decide(ev({ error: true }))).toBe('rejected');
    expect(decide(ev({}, { httpRejected: true }))).toBe('rejected');
    expect(decide(ev({}))).toBeNull();
    expect(decide(ev({ fresh: true }))).toBeNull();
    // An error with no login form shown is not tied to the login.
    expect(decide(ev({ form: false, password: false, error: true, fresh: true }))).toBeNull();
  });
  it('a new code field: needs_mfa; a challenge frame wins over everything the page shows', () => {
    expect(decide(ev({ form: false, password: false, otp: true, fresh: true }))).toBe('needs_mfa');
    expect(decide(ev({ captcha: true, error: true, otp: true }))).toBe('captcha');
  });
  it('a username alone that leads to a password step: unknown at once', () => {
    expect(decide(ev({ fresh: true }, { identifierOnly: true }))).toBe('unknown');
    expect(decide(ev({ fresh: true, error: true }, { identifierOnly: true }))).toBe('rejected');
  });
  it('readings are parsed strictly', () => {
    expect(parseReading(page())).toEqual(page());
    expect(parseReading({ ...page(), form: 'yes' })).toBeNull();
    expect(parseReading('blindfill:page-script-missing')).toBeNull();
  });
});

/** A tab whose events the test sends, and whose page answers `reading`. */
class FakeTab implements Pick<BrowserApi, 'watchTab' | 'callGlobal' | 'injectFile'> {
  on: ((e: TabEvent) => void) | null = null;
  reading: PageReading = page();
  reads = 0;
  watchTab(_tabId: number, _ours: (url: string) => boolean, on: (e: TabEvent) => void) {
    this.on = on;
    return () => {
      this.on = null;
    };
  }
  async callGlobal(_t: unknown, name: string): Promise<FrameResult[]> {
    expect(name).toBe(OUTCOME_GLOBAL);
    this.reads++;
    await new Promise((r) => setTimeout(r, 5));
    return [{ frameId: 0, documentId: 'D', result: this.reading }];
  }
  async injectFile(): Promise<FrameResult[]> {
    return [];
  }
}

const watch = (tab: FakeTab) =>
  new OutcomeWatch(tab as unknown as BrowserApi, { tabId: 1, frameId: 0, ours: () => true, totp: false, identifierOnly: false });

describe('OutcomeWatch', () => {
  it('429 to a request of the site: locked, before the deadline; the listeners are removed', async () => {
    const tab = new FakeTab();
    const w = watch(tab);
    const t0 = Date.now();
    const p = w.result(2_000);
    tab.on!({ type: 'request', id: 'r1', frameId: 0, method: 'POST', ours: true });
    tab.on!({ type: 'response', id: 'r1', status: 429 });
    expect(await p).toBe('locked');
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(tab.on).toBeNull();
  });
  it('a status of a request to another site does not count', async () => {
    const tab = new FakeTab();
    const w = watch(tab);
    const p = w.result(300);
    tab.on!({ type: 'request', id: 'r1', frameId: 0, method: 'POST', ours: false });
    tab.on!({ type: 'response', id: 'r1', status: 429 });
    expect(await p).toBe('unknown');
  });
  it('nothing decisive: unknown at the deadline', async () => {
    const tab = new FakeTab();
    const t0 = Date.now();
    expect(await watch(tab).result(300)).toBe('unknown');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });
  it('the form gone in the same document stays gone: signed_in after the confirmation time', async () => {
    const tab = new FakeTab();
    tab.reading = page({ form: false, password: false, filledGone: true });
    const t0 = Date.now();
    expect(await watch(tab).result(2_000)).toBe('signed_in');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(240);
  });
});
