/**
 * The login outcome (CONTRACT §7): after the filler submitted, watch the tab for a bounded
 * time and answer one word. Evidence comes from three places, none of which is page text
 * or a URL:
 * - navigations of the filled frame or of the top document (webNavigation.onCommitted);
 * - the status of the non-GET requests the tab sends to the credential's own origins
 *   after the submit (webRequest, non-blocking): 423/429 mean locked or rate-limited
 *   (RFC 4918 §11.3, RFC 6585 §4); 400/401/403/422 with the login form still shown mean
 *   the credentials were refused;
 * - the booleans the page script reports (page/outcome.ts): login form shown, filled
 *   fields gone, a new code field, a challenge frame, an error marker.
 *
 * Never a guess: anything short of a decisive reading before the deadline is `unknown`.
 * Nothing here submits, retries or changes the page.
 */
import type { Outcome } from '../../shared/outcome.js';
import { DETECTOR_FILE, OUTCOME_GLOBAL, PAGE_SCRIPT_MISSING } from '../page/names.js';
import type { BrowserApi, InjectTarget, TabEvent } from './api.js';

/** The page script's report (page/outcome.ts PageState). */
export interface PageReading {
  fresh: boolean;
  loading: boolean;
  form: boolean;
  password: boolean;
  filledGone: boolean;
  otp: boolean;
  captcha: boolean;
  error: boolean;
}

export interface Evidence {
  page: PageReading;
  /** Requests to the site's origins rejected with 400/401/403/422 since the submit. */
  httpRejected: boolean;
  /** Requests to the site's origins sent since the submit and not yet answered. */
  pending: number;
  /** Only a username was submitted (the first step of an identifier-first login). */
  identifierOnly: boolean;
}

/**
 * A form that vanished in the same document is taken as signed in only when it stays
 * gone this long with no new request of the site's meanwhile: a page may hide its form
 * while its script sends the login, before the request shows up here.
 */
export const SPA_CONFIRM_MS = 250;
/** How long one page read may wait for a change before the worker looks again. */
export const READ_SLICE_MS = 1_000;
const REJECTED_STATUS = new Set([400, 401, 403, 422]);
const LOCKED_STATUS = new Set([423, 429]);

/**
 * One reading's verdict (pure). `maybe_signed_in`: the form is gone from the document it
 * was in, to be confirmed by a second look (SPA_CONFIRM_MS).
 */
export function decide(e: Evidence): Outcome | 'maybe_signed_in' | null {
  const p = e.page;
  if (p.captcha) return 'captcha';
  if (p.form && (p.error || e.httpRejected)) return 'rejected';
  if (p.otp) return 'needs_mfa';
  // The login goes on to its password step: not signed in, not refused; nothing to wait for.
  if (e.identifierOnly && p.password && !p.error && e.pending === 0 && !p.loading) return 'unknown';
  if (p.loading || p.form || p.error || e.pending > 0) return null;
  if (p.fresh) return 'signed_in';
  if (p.filledGone) return 'maybe_signed_in';
  return null;
}

export function parseReading(x: unknown): PageReading | null {
  if (typeof x !== 'object' || x === null) return null;
  const r = x as Record<string, unknown>;
  const keys = ['fresh', 'loading', 'form', 'password', 'filledGone', 'otp', 'captcha', 'error'] as const;
  if (!keys.every((k) => typeof r[k] === 'boolean')) return null;
  return Object.fromEntries(keys.map((k) => [k, r[k]])) as unknown as PageReading;
}

export interface WatchOptions {
  tabId: number;
  /** The frame the submit happened in. */
  frameId: number;
  /** Does this request URL belong to the credential's site? */
  ours: (url: string) => boolean;
  /** The submitted fill was a one-time code. */
  totp: boolean;
  /** The submitted fill was a username alone. */
  identifierOnly: boolean;
  now?: () => number;
}

const sleep = (ms: number): Promise<'slept'> => new Promise((r) => setTimeout(() => r('slept'), Math.max(0, ms)));

/** Start before the submit (so no event is missed); then `result()` once, or `stop()`. */
export class OutcomeWatch {
  private frameId: number;
  private locked = false;
  private rejected = false;
  private readonly pending = new Set<string>();
  private requests = 0;
  /** The frame holds a new document: it has no page script yet. */
  private newDocument = false;
  private wake: (() => void) | null = null;
  private readonly unwatch: () => void;
  private readonly now: () => number;

  constructor(
    private readonly api: BrowserApi,
    private readonly o: WatchOptions,
  ) {
    this.frameId = o.frameId;
    this.now = o.now ?? Date.now;
    this.unwatch = api.watchTab(o.tabId, o.ours, (e) => this.onEvent(e));
  }

  private stopped = false;

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.unwatch();
  }

  private onEvent(e: TabEvent): void {
    switch (e.type) {
      case 'committed':
        if (e.frameId !== 0 && e.frameId !== this.frameId) return;
        // The top document replaced: the filled frame (if a child) went with it.
        if (e.frameId === 0) this.frameId = 0;
        this.newDocument = true;
        break;
      case 'request':
        if (!e.ours || this.pending.has(e.id)) return;
        this.pending.add(e.id);
        this.requests++;
        break;
      case 'response':
        if (!this.pending.delete(e.id)) return;
        if (LOCKED_STATUS.has(e.status)) this.locked = true;
        if (REJECTED_STATUS.has(e.status)) this.rejected = true;
        break;
      case 'failed':
        if (!this.pending.delete(e.id)) return;
        break;
    }
    this.wake?.();
  }

  /** Resolves at the next tab event. */
  private nextEvent(): Promise<'event'> {
    return new Promise((r) => {
      this.wake = () => {
        this.wake = null;
        r('event');
      };
    });
  }

  /** The page script's reading of the frame's current document (null when it cannot be read). */
  private async read(waitMs: number): Promise<PageReading | null> {
    const target: InjectTarget = { tabId: this.o.tabId, frameIds: [this.frameId] };
    const arg = { waitMs, totp: this.o.totp, identifierOnly: this.o.identifierOnly };
    const call = async (): Promise<unknown> => (await this.api.callGlobal(target, OUTCOME_GLOBAL, arg)).find((r) => r.frameId === this.frameId)?.result;
    try {
      // A document that just came has no page script: inject it without asking first.
      const fresh = this.newDocument;
      this.newDocument = false;
      if (fresh) await this.api.injectFile(target, DETECTOR_FILE);
      let r = await call();
      if (r === PAGE_SCRIPT_MISSING || r === undefined) {
        await this.api.injectFile(target, DETECTOR_FILE);
        r = await call();
      }
      return parseReading(r);
    } catch {
      // The document went away mid-read, or cannot be scripted (an error page).
      return null;
    }
  }

  /** Watch until a decisive reading or the deadline; always stops watching. */
  async result(waitMs: number): Promise<Outcome> {
    const deadline = this.now() + waitMs;
    let candidate: { at: number; requests: number } | null = null;
    try {
      for (;;) {
        if (this.locked) return 'locked';
        const left = deadline - this.now();
        if (left <= 0) return 'unknown';
        const event = this.nextEvent();
        const got = await Promise.race([this.read(Math.min(left, READ_SLICE_MS)), event, sleep(left)]);
        if (got === 'slept') return this.locked ? 'locked' : 'unknown';
        if (got === 'event') continue;
        if (got === null) {
          await Promise.race([event, sleep(Math.min(50, deadline - this.now()))]);
          continue;
        }
        if (this.locked) return 'locked';
        const d = decide({ page: got, httpRejected: this.rejected, pending: this.pending.size, identifierOnly: this.o.identifierOnly });
        if (d !== 'maybe_signed_in') {
          candidate = null;
          if (d !== null) return d;
          // Not decisive and the page answered at once (a new document that still shows a
          // form): look again after the next event or a short pause, not in a busy loop.
          if (got.fresh) await Promise.race([event, sleep(Math.min(100, deadline - this.now()))]);
          continue;
        }
        if (candidate === null || candidate.requests !== this.requests) candidate = { at: this.now(), requests: this.requests };
        const waited = this.now() - candidate.at;
        if (waited >= SPA_CONFIRM_MS) return 'signed_in';
        await Promise.race([event, sleep(Math.min(SPA_CONFIRM_MS - waited, deadline - this.now()))]);
      }
    } finally {
      this.wake = null;
      this.stop();
    }
  }
}
