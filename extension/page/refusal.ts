/**
 * Why the detector chose no password field although the page shows password-type fields:
 * a fixed set of reasons (never page text), which the service worker turns into the
 * NO_FILLABLE_FIELD message. Pure constants, safe to import anywhere.
 */
export const REFUSAL_TEXT = {
  'new-password':
    'its password fields set a new password (a sign-up or change-password form: new/confirm fields or autocomplete=new-password) and there is no current-password field; blindfill never puts the stored password into a new-password field',
  'code-field': 'its masked field asks for a verification code, not the password (fill_totp fills one-time codes)',
} as const;

export type RefusalReason = keyof typeof REFUSAL_TEXT;

export function isRefusalReason(x: unknown): x is RefusalReason {
  return typeof x === 'string' && Object.hasOwn(REFUSAL_TEXT, x);
}
