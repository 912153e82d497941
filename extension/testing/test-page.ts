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
