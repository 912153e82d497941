/** Test-only page script: what findFields picked, as element ids. */
import { findFields } from '../page/fields.js';

function idOf(el: Element | undefined): string | null {
  return el ? el.id || el.getAttribute('name') || '(anonymous)' : null;
}

(globalThis as Record<string, unknown>).__bfTest = {
  found() {
    const f = findFields(document);
    return { username: idOf(f.username), password: idOf(f.password), totp: f.totp ? f.totp.map((e) => idOf(e)) : null };
  },
};

import { findFlowFields } from '../page/flow-fields.js';

(globalThis as Record<string, unknown>).__bfFlowTest = {
  flow(kind: 'create' | 'change') {
    const f = findFlowFields(kind, document);
    if ('refusal' in f) return { refusal: f.refusal };
    return { username: idOf(f.username), current: idOf(f.current), newPasswords: f.newPasswords.map((e) => idOf(e)), hints: f.hints };
  },
};
