/**
 * Setting values so that React (controlled inputs), Vue, Angular and plain forms register
 * them as typed, and submitting the form. Pure DOM code for the page's isolated world.
 *
 * The value goes in through the native setter of HTMLInputElement.prototype: React
 * tracks the last value it saw by wrapping the element's own `value` property, so
 * writing through the prototype leaves that tracker behind and the following `input`
 * event makes React see a change and call onChange. Vue (v-model) and Angular
 * (DefaultValueAccessor) listen to `input`; `change` and `blur` cover lazy models and
 * "touched" states. Nothing here logs, stores or returns a value.
 */
import type { FieldKind } from '../../shared/browser-protocol.js';
import {
  BUTTONISH,
  closestForm,
  controlText,
  deepQueryAll,
  type Fields,
  flatParent,
  isUsableControl,
  mayReplaceUsername,
  saysNotSubmit,
  saysSubmit,
} from './fields.js';
import { groupValue } from './boxes.js';

export interface Values {
  username?: string;
  password?: string;
  totp?: string;
  /** Account flows: the generated password, into every one of `fields.newPasswords`. */
  new_password?: string;
}

export interface FillOutcome {
  /** Kinds whose value is in the page after the framework had its turn, in order. */
  filled: FieldKind[];
  submitted: boolean;
}

export interface FillOptions {
  submit?: boolean;
  /** Called immediately before every value is set; returning false stops the fill. */
  guard?: () => boolean;
  /**
   * Extra time (ms) to wait, after the frameworks' turn (see `settle`), before checking
   * values and submitting. Default 0.
   */
  settleMs?: number;
  /** Called right before the submit with the filled fields (the outcome's baseline). */
  beforeSubmit?: (filled: HTMLInputElement[]) => void;
}

const valueSetter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;

/**
 * Set one input's value as if typed: focus, beforeinput, native setter, input, change, blur.
 * `stillOk` runs after focus (a page may react to focus, e.g. turn a password field into a
 * text field) and before the value goes in; when it says no, nothing is set.
 */
export function setInputValue(el: HTMLInputElement, value: string, stillOk: () => boolean = () => true): boolean {
  el.focus({ preventScroll: false });
  if (!stillOk()) {
    el.blur();
    return false;
  }
  el.dispatchEvent(new InputEvent('beforeinput', { inputType: 'insertText', data: value, bubbles: true, cancelable: true, composed: true }));
  valueSetter.call(el, value);
  el.dispatchEvent(new InputEvent('input', { inputType: 'insertText', data: value, bubbles: true, composed: true }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
  el.blur();
  return true;
}

/** Empty a field we filled (the page turned it into something else). */
export function clearInputValue(el: HTMLInputElement): void {
  valueSetter.call(el, '');
  el.dispatchEvent(new InputEvent('input', { inputType: 'deleteContentBackward', bubbles: true, composed: true }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
}

const isPasswordField = (el: HTMLInputElement) => el.isConnected && el.type === 'password' && !el.disabled && !el.readOnly;

/** The fields whose password type is watched, and whether the value in them is still ours. */
const watched = new WeakMap<HTMLInputElement, { ours: boolean }>();

/**
 * After a password went in, watch the field for the document's life: if the page switches
 * it away from type=password (its own "Show" toggle, a script), empty it at once, in the
 * observer's microtask, before anything is painted for a screenshot. Once a person types
 * into the field (a trusted input event) the value is theirs and is left alone.
 */
export function guardPasswordType(el: HTMLInputElement): void {
  const known = watched.get(el);
  if (known) {
    known.ours = true;
    return;
  }
  const state = { ours: true };
  watched.set(el, state);
  el.addEventListener('input', (e) => {
    if (e.isTrusted) state.ours = false;
  });
  const obs = new MutationObserver(() => {
    if (state.ours && el.type !== 'password' && el.value !== '') clearInputValue(el);
  });
  obs.observe(el, { attributes: true, attributeFilter: ['type'] });
}

/**
 * Resolve after one task of the page's event loop has run. A MessageChannel message, not
 * setTimeout: timers are clamped and, in background tabs, throttled to once a second,
 * while posted messages are not. The message is queued after any the page posted while
 * handling our events (React's scheduler uses a MessageChannel for non-sync work).
 */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

/**
 * Let frameworks commit what our events told them. React 19 commits the state of a
 * discrete event (input, change) synchronously at the end of the dispatch or in a
 * microtask, and restores a controlled input that refused the change in the same turn;
 * Vue's v-model and Angular's value accessor update their models inside the `input`
 * listener. Two tasks cover those, plus work they schedule one task later, without a
 * fixed delay (this used to be 30 ms, most of a fill's time).
 */
async function settle(extraMs: number): Promise<void> {
  await nextTask();
  await nextTask();
  if (extraMs > 0) await new Promise((resolve) => setTimeout(resolve, extraMs));
}

/**
 * Fill the detected fields with the given values (only kinds that have both a field and
 * a value), optionally submit. The code of one box per digit goes one digit per box and
 * only when the number of boxes equals the number of digits.
 */
export async function fillFields(fields: Fields, values: Values, opts: FillOptions = {}): Promise<FillOutcome> {
  const guard = opts.guard ?? (() => true);
  const done: Array<{ kind: FieldKind; check: () => boolean; el: HTMLInputElement }> = [];
  const watch = watchSubmission();
  for (const el of [fields.username, fields.password, ...(fields.totp ?? []), ...(fields.newPasswords ?? [])]) if (el) watch.also(el.getRootNode());
  try {
    return await fillAndSubmit(fields, values, opts, guard, done, watch);
  } finally {
    watch.stop();
  }
}

async function fillAndSubmit(
  fields: Fields,
  values: Values,
  opts: FillOptions,
  guard: () => boolean,
  done: Array<{ kind: FieldKind; check: () => boolean; el: HTMLInputElement }>,
  watch: SubmissionWatch,
): Promise<FillOutcome> {
  if (fields.username && values.username !== undefined && values.username !== '') {
    const el = fields.username;
    const v = values.username;
    if (!guard()) return { filled: [], submitted: false };
    // A value already there (one the agent just typed) is replaced only in a field that is
    // surely this login's name.
    if (el.value === '' || el.value === v || mayReplaceUsername(el)) {
      setInputValue(el, v);
      done.push({ kind: 'username', el, check: () => el.value === v });
    }
  }
  if (fields.password && values.password !== undefined && values.password !== '') {
    const el = fields.password;
    const v = values.password;
    if (!guard()) return { filled: [], submitted: false };
    if (isPasswordField(el) && setInputValue(el, v, () => isPasswordField(el))) {
      guardPasswordType(el);
      done.push({ kind: 'password', el, check: () => el.type === 'password' && el.value === v });
    }
  }
  if (fields.newPasswords && fields.newPasswords.length > 0 && values.new_password !== undefined && values.new_password !== '') {
    // New and confirm get the same generated password; it counts only when every one holds it.
    const els = fields.newPasswords;
    const v = values.new_password;
    if (!guard()) return { filled: [], submitted: false };
    let all = true;
    for (const el of els) {
      if (isPasswordField(el) && setInputValue(el, v, () => isPasswordField(el))) guardPasswordType(el);
      else all = false;
    }
    if (!all) {
      // Never leave (or submit) a form with the password in some of its fields only.
      for (const el of els) clearInputValue(el);
      return { filled: [], submitted: false };
    }
    done.push({ kind: 'new_password', el: els[els.length - 1]!, check: () => els.every((el) => el.type === 'password' && el.value === v) });
  }
  if (fields.totp && fields.totp.length > 0 && values.totp !== undefined && /^\d{6,8}$/.test(values.totp)) {
    const boxes = fields.totp;
    const code = values.totp;
    if (boxes.length === 1) {
      const el = boxes[0]!;
      if (!guard()) return { filled: [], submitted: false };
      setInputValue(el, code);
      // A widget may spread the code over its boxes: what the page holds is what counts.
      done.push({ kind: 'totp', el, check: () => el.value.replace(/\s/g, '') === code || groupValue(el) === code });
    } else if (boxes.length === code.length) {
      if (!guard()) return { filled: [], submitted: false };
      for (const [i, el] of boxes.entries()) setInputValue(el, code[i]!);
      done.push({ kind: 'totp', el: boxes[boxes.length - 1]!, check: () => boxes.map((b) => b.value).join('') === code });
    }
  }
  if (done.length === 0) return { filled: [], submitted: false };

  // Let frameworks commit their state (React flushes discrete updates in a microtask or
  // the next task) before reading values back and before any submit handler reads them.
  // Not when the page is already leaving (it sent the form itself on the last value):
  // waiting would let the document go before this answer gets out.
  // A page may also start leaving while we wait (form.submit() navigates a task later):
  // the wait ends then, so the answer is out before the document goes, however slow the
  // machine.
  if (!watch.leaving()) await Promise.race([settle(opts.settleMs ?? 0), watch.whenLeaving]);
  const filled = done.filter((d) => d.check());
  // A password field that changed type while we filled it is emptied, not reported.
  for (const d of done) if ((d.kind === 'password' || d.kind === 'new_password') && d.el.type !== 'password') clearInputValue(d.el);
  let submitted = false;
  const last = filled[filled.length - 1];
  // A page that sent the form by itself once the values were in (a code widget that
  // submits on its last digit) has submitted: pressing submit again would send it twice.
  if (opts.submit && last && guard()) {
    opts.beforeSubmit?.(filled.map((d) => d.el));
    submitted = watch.submitted() || submitFrom(last.el, watch);
  }
  return { filled: filled.map((d) => d.kind), submitted };
}

export interface SubmissionWatch {
  /** Did the page submit a form or start leaving the document since the watch began? */
  submitted(): boolean;
  /** Did a control fail validation (an `invalid` event) since the watch began? */
  invalid(): boolean;
  /** Was the last click the page saw cancelled by its own handler (it submits by script)? */
  clickPrevented(): boolean;
  /** Forget earlier invalid events and clicks (those the page caused while we filled). */
  mark(): void;
  /** Also listen in this tree (a shadow root: submit and invalid events do not leave it). */
  also(root: Node): void;
  /** Did it start a navigation away from this document (or one carrying form data)? */
  leaving(): boolean;
  /** Resolves when the page starts leaving (never, if it does not). */
  whenLeaving: Promise<void>;
  stop(): void;
}

interface NavigateEventLike {
  formData?: unknown;
  destination?: { sameDocument?: boolean };
}

/**
 * Notice the page submitting while we fill: a `submit` event (requestSubmit, a click on a
 * submit button, whether or not the page then prevents it and sends it by script), or a
 * navigation away from the document or with form data (form.submit(), location.assign)
 * through the Navigation API where the browser has it.
 */
export function watchSubmission(): SubmissionWatch {
  let submitted = false;
  let leaving = false;
  let signal: () => void = () => undefined;
  const whenLeaving = new Promise<void>((resolve) => {
    signal = resolve;
  });
  const leave = (): void => {
    leaving = true;
    signal();
  };
  let invalid = false;
  let click: Event | null = null;
  const extra: Node[] = [];
  const onSubmit = (): void => {
    submitted = true;
  };
  const onInvalid = (): void => {
    invalid = true;
  };
  const onClick = (e: Event): void => {
    click = e;
  };
  const onNavigate = (e: Event): void => {
    const n = e as unknown as NavigateEventLike;
    if (n.formData || n.destination?.sameDocument === false) leave();
  };
  const nav = (window as unknown as { navigation?: EventTarget }).navigation;
  window.addEventListener('submit', onSubmit, true);
  window.addEventListener('invalid', onInvalid, true);
  window.addEventListener('click', onClick, true);
  nav?.addEventListener('navigate', onNavigate);
  // Where there is no Navigation API: the document is about to be replaced.
  window.addEventListener('beforeunload', leave, true);
  window.addEventListener('pagehide', leave, true);
  return {
    submitted: () => submitted || leaving,
    invalid: () => invalid,
    // Read after the dispatch ended: the page's handlers have had their say.
    clickPrevented: () => (click as Event | null)?.defaultPrevented === true,
    mark: () => {
      invalid = false;
      click = null;
    },
    also: (root: Node) => {
      if (root === document || extra.includes(root)) return;
      extra.push(root);
      root.addEventListener('submit', onSubmit, true);
      root.addEventListener('invalid', onInvalid, true);
    },
    leaving: () => leaving,
    whenLeaving,
    stop: () => {
      window.removeEventListener('submit', onSubmit, true);
      window.removeEventListener('invalid', onInvalid, true);
      window.removeEventListener('click', onClick, true);
      for (const root of extra) {
        root.removeEventListener('submit', onSubmit, true);
        root.removeEventListener('invalid', onInvalid, true);
      }
      nav?.removeEventListener('navigate', onNavigate);
      window.removeEventListener('beforeunload', leave, true);
      window.removeEventListener('pagehide', leave, true);
    },
  };
}

// ---------------------------------------------------------------------------
// Submitting

function isSubmitType(el: Element): boolean {
  if (el.localName === 'button') return (el as HTMLButtonElement).type === 'submit';
  if (el.localName === 'input') return ['submit', 'image'].includes((el as HTMLInputElement).type);
  return false;
}

function looksLikeSubmit(el: Element): boolean {
  return saysSubmit(el);
}

/** A real button (not a link) that says nothing against submitting and has a short name. */
function plainButton(el: Element): boolean {
  if (el.localName === 'a') return false;
  const t = controlText(el);
  return t.length > 0 && t.length <= 40 && !saysNotSubmit(el);
}

function follows(a: Node, b: Node): boolean {
  // Nodes in different trees (shadow roots) compare as "disconnected": treat as following.
  const pos = a.compareDocumentPosition(b);
  if (pos & Node.DOCUMENT_POSITION_DISCONNECTED) return true;
  return (pos & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
}

/** The control a person would press to submit what `field` belongs to, if any. */
export function findSubmitControl(field: HTMLInputElement): HTMLElement | null {
  const form = closestForm(field);
  if (form) {
    const inForm = deepQueryAll(form, BUTTONISH).filter(isUsableControl);
    // Buttons elsewhere in the document attached with form="id".
    for (const el of Array.from(form.elements)) if (!inForm.includes(el) && el.matches(BUTTONISH) && isUsableControl(el)) inForm.push(el);
    const submits = inForm.filter(isSubmitType);
    const pick =
      submits.find(looksLikeSubmit) ??
      submits.find((b) => !saysNotSubmit(b)) ??
      inForm.find(looksLikeSubmit) ??
      onlyButton(inForm, field);
    if (pick) return pick as HTMLElement;
    return null;
  }
  // No form: look outward from the field, nearest container first, for a control that
  // says it submits; prefer one that comes after the field. Near the field (three levels),
  // a container's only button after it is that button whatever it says, unless it says
  // it does something else.
  for (let scope: Element | null = flatParent(field), k = 0; scope && k < 12; scope = flatParent(scope), k++) {
    if (scope === field.ownerDocument.documentElement) break;
    const controls = deepQueryAll(scope, BUTTONISH).filter(isUsableControl);
    const found = controls.filter((b) => (isSubmitType(b) || looksLikeSubmit(b)) && !saysNotSubmit(b));
    const pick = found.find((b) => follows(field, b)) ?? found[0] ?? (k < 3 ? onlyButton(controls, field) : undefined);
    if (pick) return pick as HTMLElement;
  }
  return null;
}

/**
 * The one plain button after the field among the controls (links, nameless icon buttons
 * and controls that say they do something else do not count), if there is exactly one.
 */
function onlyButton(controls: Element[], field: HTMLInputElement): Element | undefined {
  const buttons = controls.filter((b) => follows(field, b) && plainButton(b));
  return buttons.length === 1 ? buttons[0] : undefined;
}

/**
 * Submit: click the submit control, else `form.requestSubmit()` (false when the form
 * fails validation), else press Enter on the field. Returns whether it submitted: a
 * form's submit button counts only when the form was sent (a submit event, which the
 * browser fires only after validation passed, or a navigation), unless the page's own
 * click handler took over; a control run by script counts unless a field then failed
 * validation.
 */
export function submitFrom(field: HTMLInputElement, watch?: SubmissionWatch): boolean {
  const control = findSubmitControl(field);
  if (control) {
    const own = watch ?? watchSubmission();
    try {
      own.mark();
      own.also(field.getRootNode());
      own.also(control.getRootNode());
      control.click();
      if (own.submitted()) return true;
      const formButton = isSubmitType(control) && (control as HTMLButtonElement | HTMLInputElement).form !== null;
      if (formButton && !own.clickPrevented()) return false;
      return !own.invalid();
    } finally {
      if (!watch) own.stop();
    }
  }
  const form = closestForm(field);
  if (form) {
    if (!form.checkValidity()) {
      form.reportValidity();
      return false;
    }
    form.requestSubmit();
    return true;
  }
  const init: KeyboardEventInit = { key: 'Enter', code: 'Enter', bubbles: true, cancelable: true, composed: true };
  field.focus();
  const go = field.dispatchEvent(new KeyboardEvent('keydown', init));
  if (go) field.dispatchEvent(new KeyboardEvent('keypress', init));
  field.dispatchEvent(new KeyboardEvent('keyup', init));
  return true;
}
