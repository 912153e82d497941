/**
 * Page script: what a document shows after a submit, as a few booleans (never page text,
 * never a URL). The filler arms a baseline in the document it submits, right before the
 * submit; the service worker then calls the function defined here (in the filled frame,
 * or in the new document after a navigation) and decides the outcome
 * (background/outcome-watch.ts).
 *
 * A document with a baseline reports only what changed since the submit: an alert already
 * shown before, or a challenge widget already on the page, is not news. A new document
 * (no baseline: the frame navigated) reports what it shows.
 *
 * Markers, each one a structure a site puts there for assistive technology or a known
 * widget, not words in one language:
 * - error: a rendered role=alert / aria-live=assertive element with text; a field with
 *   aria-invalid=true; inside the login's form (or the fields' container), a rendered
 *   element whose class or id has the token error/invalid/danger, with text.
 * - challenge: a rendered frame of reCAPTCHA (google.com|recaptcha.net /recaptcha/),
 *   hCaptcha (*.hcaptcha.com) or Cloudflare Turnstile (challenges.cloudflare.com), not
 *   the invisible variant (size=invisible).
 * - code field: what the filler would fill as a one-time code (one box per digit included).
 */
import { findBoxRuns } from './boxes.js';
import { allInputs, closestForm, deepQueryAll, flatParent, isEditable, isOtpLike, isRendered } from './fields.js';
import { definePageGlobal, OUTCOME_GLOBAL } from './names.js';

/** What the service worker learns from one document. */
export interface PageState {
  /** No baseline here: a document that came after the submit. */
  fresh: boolean;
  /** The document has not finished loading. */
  loading: boolean;
  /** A login form is shown: a password field, or (code fill) the code field(s) again, or the filled fields. */
  form: boolean;
  /** A password field (not a code field) is shown. */
  password: boolean;
  /** The fields that were filled are gone or hidden (same document only). */
  filledGone: boolean;
  /** A one-time-code field (not the one just filled) is shown. */
  otp: boolean;
  /** A challenge widget is shown (new since the submit). */
  captcha: boolean;
  /** An error marker is shown (new since the submit). */
  error: boolean;
}

export interface OutcomeArgs {
  /** Wait up to this long for the document to load and then for something to change. */
  waitMs: number;
  /** The submitted fill was a one-time code (its field showing again is the form, not a new step). */
  totp: boolean;
  /** Only a username was submitted: a password field showing is news. */
  identifierOnly: boolean;
}

interface Baseline {
  filled: HTMLInputElement[];
  totp: boolean;
  alerts: Map<Element, string>;
  invalid: Set<Element>;
  otp: Set<Element>;
  captcha: Set<Element>;
}

/**
 * Kept on the isolated world's global, not in this module: page/detector.js and
 * page/filler.js each carry their own copy of this module, and either may have armed it.
 */
const BASELINE_KEY = '__blindfillOutcomeBaseline';

const MAX_MARKERS = 500;
const ALERT_SELECTOR = '[role=alert], [aria-live=assertive]';
const ERROR_TOKEN = /^(?:.*[-_])?(?:error|errors|invalid|danger)(?:[-_].*)?$/i;
const CHALLENGE_MIN_PX = 30;

function text(el: Element): string {
  return (el.textContent ?? '').trim().replace(/\s+/g, ' ');
}

function shown(el: Element): boolean {
  try {
    return isRendered(el);
  } catch {
    return false;
  }
}

function renderedInputs(): HTMLInputElement[] {
  return allInputs(document).filter((el) => isEditable(el) && shown(el));
}

function codeFields(inputs: HTMLInputElement[]): HTMLInputElement[] {
  const runs = findBoxRuns(inputs);
  if (runs[0]) return runs.flat();
  return inputs.filter(isOtpLike);
}

function passwordShown(inputs: HTMLInputElement[], codes: Set<Element>): boolean {
  return inputs.some((el) => el.type === 'password' && !codes.has(el));
}

function alerts(): Map<Element, string> {
  const out = new Map<Element, string>();
  for (const el of deepQueryAll(document, ALERT_SELECTOR, [], 0, MAX_MARKERS)) {
    const t = text(el);
    if (t !== '' && shown(el)) out.set(el, t);
  }
  return out;
}

function invalidFields(inputs: HTMLInputElement[]): Set<Element> {
  return new Set(inputs.filter((el) => el.getAttribute('aria-invalid') === 'true'));
}

/** The src of a frame, when it is a visible challenge (not the invisible variant). */
export function isChallengeSrc(src: string): boolean {
  let u: URL;
  try {
    u = new URL(src, document.baseURI);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:') return false;
  const h = u.hostname.toLowerCase();
  if (/(?:^|[?&#])size=invisible(?:&|$)/.test(`${u.search}${u.hash}`)) return false;
  if ((h === 'www.google.com' || h === 'google.com' || h === 'www.recaptcha.net' || h === 'recaptcha.net' || h === 'recaptcha.google.com') && u.pathname.startsWith('/recaptcha/')) return true;
  if (h === 'hcaptcha.com' || h.endsWith('.hcaptcha.com')) return true;
  return h === 'challenges.cloudflare.com';
}

function challenges(): Set<Element> {
  const out = new Set<Element>();
  for (const el of deepQueryAll(document, 'iframe[src]', [], 0, MAX_MARKERS)) {
    if (!isChallengeSrc(el.getAttribute('src') ?? '') || !shown(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width >= CHALLENGE_MIN_PX && r.height >= CHALLENGE_MIN_PX) out.add(el);
  }
  return out;
}

/** The containers the login's error elements would sit in: its forms, else near its fields. */
function loginScopes(fields: HTMLInputElement[]): Element[] {
  const out = new Set<Element>();
  for (const f of fields) {
    const form = closestForm(f);
    if (form) {
      out.add(form);
      continue;
    }
    let n: Element | null = f;
    for (let k = 0; k < 3 && n; k++) n = flatParent(n);
    if (n) out.add(n);
  }
  return [...out];
}

function hasErrorToken(el: Element): boolean {
  const tokens = [...Array.from(el.classList), el.id].filter((t) => t !== '');
  return tokens.some((t) => ERROR_TOKEN.test(t));
}

function errorElements(scopes: Element[]): Map<Element, string> {
  const out = new Map<Element, string>();
  for (const scope of scopes) {
    for (const el of deepQueryAll(scope, '[class], [id]', [], 0, MAX_MARKERS)) {
      if (el.localName === 'input' || !hasErrorToken(el)) continue;
      const t = text(el);
      if (t !== '' && shown(el)) out.set(el, t);
    }
  }
  return out;
}

function baseline(): Baseline | null {
  const b = (globalThis as Record<string, unknown>)[BASELINE_KEY];
  return b && typeof b === 'object' ? (b as Baseline) : null;
}

/** Remember what the document shows right before the submit (the filler calls this). */
export function armOutcome(filled: HTMLInputElement[], totp: boolean): void {
  try {
    const inputs = renderedInputs();
    const scopes = loginScopes(filled);
    const b: Baseline = {
      filled: [...filled],
      totp,
      alerts: new Map([...alerts(), ...errorElements(scopes)]),
      invalid: invalidFields(inputs),
      otp: new Set(codeFields(inputs)),
      captcha: challenges(),
    };
    (globalThis as Record<string, unknown>)[BASELINE_KEY] = b;
  } catch {
    // No baseline: the document then reads as new, which only ever makes it less decisive.
  }
}

/** The document's state now (pure DOM reads). */
export function pageState(totpFill: boolean): PageState {
  const base = baseline();
  const totp = base ? base.totp : totpFill;
  const inputs = renderedInputs();
  const codes = codeFields(inputs);
  const codeSet = new Set<Element>(codes);
  const filledShown = base ? base.filled.some((el) => el.isConnected && shown(el)) : false;
  const password = passwordShown(inputs, codeSet);
  const form = password || filledShown || (totp && codes.length > 0);
  const otp = !totp && codes.some((el) => !(base?.otp.has(el) ?? false));
  const captcha = [...challenges()].some((el) => !(base?.captcha.has(el) ?? false));

  const loginFields = base ? base.filled.filter((el) => el.isConnected) : inputs.filter((el) => el.type === 'password' || codeSet.has(el));
  const seen = base?.alerts;
  const markers = new Map([...alerts(), ...errorElements(loginScopes(loginFields))]);
  const newMarker = [...markers].some(([el, t]) => seen?.get(el) !== t);
  const newInvalid = [...invalidFields(inputs)].some((el) => !(base?.invalid.has(el) ?? false));
  return {
    fresh: base === null,
    loading: document.readyState !== 'complete',
    form,
    password,
    filledGone: base !== null && !filledShown,
    otp,
    captcha,
    error: newMarker || newInvalid,
  };
}

function same(a: PageState, b: PageState): boolean {
  return (Object.keys(a) as Array<keyof PageState>).every((k) => a[k] === b[k]);
}

function parseArgs(a: unknown): OutcomeArgs {
  const r = (typeof a === 'object' && a !== null ? a : {}) as Record<string, unknown>;
  const waitMs = typeof r.waitMs === 'number' && Number.isFinite(r.waitMs) ? Math.max(0, Math.min(10_000, r.waitMs)) : 0;
  return { waitMs, totp: r.totp === true, identifierOnly: r.identifierOnly === true };
}

/**
 * The state once the document has loaded, or as soon as it changes (a DOM mutation that
 * changes the answer), or after `waitMs`, whichever comes first.
 */
export function watchOutcome(raw: unknown): Promise<PageState> {
  const args = parseArgs(raw);
  const until = Date.now() + args.waitMs;
  return new Promise<PageState>((resolve) => {
    let done = false;
    let obs: MutationObserver | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let first: PageState | null = null;
    const finish = (s: PageState): void => {
      if (done) return;
      done = true;
      obs?.disconnect();
      clearTimeout(timer);
      window.removeEventListener('load', onLoad);
      resolve(s);
    };
    const read = (): PageState => pageState(args.totp);
    let queued = false;
    const onMutation = (): void => {
      if (queued) return;
      queued = true;
      // One read per task, after the page's own batch of changes.
      setTimeout(() => {
        queued = false;
        if (done) return;
        const s = read();
        if (!first || !same(first, s)) finish(s);
      }, 0);
    };
    const start = (): void => {
      first = read();
      // Something to report already: a new document that loaded, or a change since the submit.
      if (first.captcha || first.otp || first.error || (first.fresh ? !first.form : first.filledGone) || (args.identifierOnly && first.password)) return finish(first);
      obs = new MutationObserver(onMutation);
      obs.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
      timer = setTimeout(() => finish(read()), Math.max(0, until - Date.now()));
    };
    const onLoad = (): void => {
      clearTimeout(timer);
      // Let the load event's own handlers run first.
      setTimeout(start, 0);
    };
    if (document.readyState === 'complete') return start();
    window.addEventListener('load', onLoad);
    timer = setTimeout(() => finish(read()), args.waitMs);
  });
}

definePageGlobal(OUTCOME_GLOBAL, watchOutcome);
