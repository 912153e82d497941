/**
 * Where a form sends what it holds, computed as the browser computes it (HTML "form
 * submission algorithm"): the submitter's formaction/formmethod when it has them, else the
 * form's action/method; an empty or missing action is the document's URL. A form can be
 * sent by any of its submit buttons (also those outside it with form=…) or without one
 * (Enter, requestSubmit()), so every one of those targets is checked, for every field a
 * fill puts a value into (username, password, code). Pure DOM reads; nothing is set.
 */
import { checkOrigin } from '../../shared/origin-match.js';
import { closestForm } from './fields.js';
import { effectiveOrigin } from './frame-origin.js';

export interface FormTarget {
  /** The resolved action URL; null when it does not parse. */
  url: URL | null;
  /** get | post | dialog; `explicit` when an attribute says so (a missing method is GET too). */
  method: 'get' | 'post' | 'dialog';
  explicit: boolean;
}

function isSubmitter(el: Element): boolean {
  if (el.localName === 'button') return (el as HTMLButtonElement).type === 'submit';
  if (el.localName === 'input') return ['submit', 'image'].includes((el as HTMLInputElement).type);
  return false;
}

function methodOf(value: string | null): 'get' | 'post' | 'dialog' {
  const v = (value ?? '').trim().toLowerCase();
  return v === 'post' ? 'post' : v === 'dialog' ? 'dialog' : 'get';
}

/** The target of `form` when `submitter` (or none) sends it. */
export function formTarget(form: HTMLFormElement, submitter: Element | null): FormTarget {
  const doc = form.ownerDocument;
  // getAttribute, not form.action / form.method: an input named "action" or "method"
  // shadows those properties.
  const useSubmitter = submitter !== null && isSubmitter(submitter);
  const rawAction = useSubmitter && submitter.hasAttribute('formaction') ? submitter.getAttribute('formaction') : form.getAttribute('action');
  const methodAttr = useSubmitter && submitter.hasAttribute('formmethod') ? submitter.getAttribute('formmethod') : form.getAttribute('method');
  let url: URL | null;
  try {
    url = new URL(rawAction === null || rawAction.trim() === '' ? doc.URL : rawAction.trim(), doc.baseURI);
  } catch {
    url = null;
  }
  return { url, method: methodOf(methodAttr), explicit: methodAttr !== null };
}

/** Every target the form can be sent to: without a submitter, and by each submit button. */
export function formTargets(form: HTMLFormElement): FormTarget[] {
  const out = [formTarget(form, null)];
  const elements = Array.from(form.elements).slice(0, 200);
  for (const el of elements) if (isSubmitter(el)) out.push(formTarget(form, el));
  return out;
}

export type TargetProblem = { code: 'ORIGIN_MISMATCH'; message: string } | { code: 'NO_FILLABLE_FIELD'; message: string };

/**
 * Refuse when a form of a field about to be filled would send it to a web origin none of
 * the credential's patterns allow, or would put a password into a URL (a declared GET).
 */
export function formTargetProblem(fields: { el: HTMLInputElement; password: boolean }[], origins: readonly string[]): TargetProblem | null {
  const here = effectiveOrigin();
  // Each form once; a form holding the password is checked as such.
  const forms = new Map<HTMLFormElement, boolean>();
  for (const { el, password } of fields) {
    const form = closestForm(el);
    if (form) forms.set(form, (forms.get(form) ?? false) || password);
  }
  for (const [form, password] of forms) {
    for (const t of formTargets(form)) {
      if (t.method === 'dialog' || !t.url) continue;
      if (t.url.protocol !== 'https:' && t.url.protocol !== 'http:') continue;
      if (t.url.origin !== here && !checkOrigin(origins, t.url.href).ok) {
        return { code: 'ORIGIN_MISMATCH', message: `the login form sends to ${t.url.origin}, not to this site` };
      }
      if (password && t.explicit && t.method === 'get') {
        return { code: 'NO_FILLABLE_FIELD', message: 'the login form would send the password in the URL (method=get); blindfill does not fill it' };
      }
    }
  }
  return null;
}
