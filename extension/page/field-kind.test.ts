/** The field classifier (pure): code, new-password and current-password; identifiers that are not the login's. */
import { describe, expect, it } from 'vitest';
import { type FieldFacts, isMaskedCode, isOtherIdentifier, isStrongIdentifier, passwordRole } from './field-kind.js';

const F = (o: Partial<FieldFacts> = {}): FieldFacts => ({
  type: 'password',
  autocomplete: '',
  name: '',
  id: '',
  placeholder: '',
  ariaLabel: '',
  labels: '',
  inputmode: '',
  maxLength: -1,
  ...o,
});
const alone = { siblings: [], signsUp: false };

describe('masked code fields', () => {
  it.each<[string, Partial<FieldFacts>]>([
    ['labelled "Verification code" (autocomplete=off, inputmode=numeric)', { labels: 'Verification code', autocomplete: 'off', inputmode: 'numeric' }],
    ['labelled "Hardware token code"', { labels: 'Hardware token code' }],
    ['aria-label "Security code"', { ariaLabel: 'Security code' }],
    ['placeholder "6-digit code"', { placeholder: '6-digit code' }],
    ['named otp', { name: 'otp' }],
    ['named totpCode', { id: 'totpCode' }],
    ['named mfa_token', { name: 'mfa_token' }],
    ['"One-time password"', { labels: 'One-time password' }],
    ['autocomplete=one-time-code', { autocomplete: 'one-time-code', name: 'password' }],
    ['inputmode=numeric maxlength=6, no words', { inputmode: 'numeric', maxLength: 6 }],
  ])('%s is a code', (_, o) => {
    expect(isMaskedCode(F(o))).toBe(true);
    expect(passwordRole(F(o), alone)).toBe('code');
  });

  it.each<[string, Partial<FieldFacts>]>([
    ['labelled "Password"', { labels: 'Password', name: 'password' }],
    ['neutral names', { name: 'f2' }],
    ['"Password" with a "Forgot your code?" nowhere near', { labels: 'Password', id: 'pw' }],
    ['autocomplete=current-password named code', { autocomplete: 'current-password', name: 'code' }],
    ['"Passwort"', { labels: 'Passwort' }],
  ])('%s is not a code', (_, o) => {
    expect(isMaskedCode(F(o))).toBe(false);
  });
});

describe('new and current passwords', () => {
  it('a lone "Password" is the current one', () => {
    expect(passwordRole(F({ labels: 'Password' }), alone)).toBe('current-password');
  });

  it('a lone password field with autocomplete=new-password by mistake, no wording, sign-in form: current', () => {
    expect(passwordRole(F({ labels: 'Password', autocomplete: 'new-password' }), alone)).toBe('current-password');
  });

  it('the same token in a sign-up form: new', () => {
    expect(passwordRole(F({ labels: 'Password', autocomplete: 'new-password' }), { siblings: [], signsUp: true })).toBe('new-password');
  });

  it('"New password" alone (a later step of a reset flow): new', () => {
    expect(passwordRole(F({ labels: 'New password' }), alone)).toBe('new-password');
    expect(passwordRole(F({ name: 'newPassword' }), alone)).toBe('new-password');
    expect(passwordRole(F({ placeholder: 'Choose a password' }), alone)).toBe('new-password');
  });

  it('"Confirm your password" alone is a re-authentication prompt: current', () => {
    expect(passwordRole(F({ labels: 'Confirm your password' }), alone)).toBe('current-password');
  });

  it('current, new, confirm (change-password page)', () => {
    const cur = F({ labels: 'Current password' });
    const nw = F({ labels: 'New password' });
    const cf = F({ labels: 'Confirm new password' });
    expect(passwordRole(cur, { siblings: [nw, cf], signsUp: false })).toBe('current-password');
    expect(passwordRole(nw, { siblings: [cur, cf], signsUp: false })).toBe('new-password');
    expect(passwordRole(cf, { siblings: [cur, nw], signsUp: false })).toBe('new-password');
  });

  it('"Password" beside "New password" and "Confirm": the current one', () => {
    const pw = F({ labels: 'Password' });
    const nw = F({ labels: 'New password' });
    const cf = F({ labels: 'Repeat' });
    expect(passwordRole(pw, { siblings: [nw, cf], signsUp: false })).toBe('current-password');
  });

  it('"Password" + "Confirm password" (no autocomplete): both new', () => {
    const pw = F({ labels: 'Password', name: 'password' });
    const cf = F({ labels: 'Confirm password', name: 'password_confirmation' });
    expect(passwordRole(pw, { siblings: [cf], signsUp: false })).toBe('new-password');
    expect(passwordRole(cf, { siblings: [pw], signsUp: false })).toBe('new-password');
  });

  it('password + password2 by name only: both new', () => {
    const a = F({ name: 'password' });
    const b = F({ name: 'password2' });
    expect(passwordRole(a, { siblings: [b], signsUp: false })).toBe('new-password');
    expect(passwordRole(b, { siblings: [a], signsUp: false })).toBe('new-password');
  });

  it('new + confirm by autocomplete tokens alone: new', () => {
    const a = F({ autocomplete: 'new-password' });
    expect(passwordRole(a, { siblings: [a], signsUp: false })).toBe('new-password');
  });

  it('"Re-enter password" and "Retype password" confirm', () => {
    const pw = F({ labels: 'Password' });
    expect(passwordRole(F({ labels: 'Re-enter password' }), { siblings: [pw], signsUp: false })).toBe('new-password');
    expect(passwordRole(pw, { siblings: [F({ ariaLabel: 'Retype password' })], signsUp: false })).toBe('new-password');
  });

  it('a password beside a PIN: neither is a new password', () => {
    const pw = F({ labels: 'Password' });
    const pin = F({ labels: 'PIN' });
    expect(passwordRole(pw, { siblings: [pin], signsUp: false })).toBe('current-password');
  });
});

describe('identifiers that are not the login', () => {
  it.each(['New email', 'Confirm email address', 'Recovery email', 'Re-enter your email', 'Alternate e-mail'])('"%s"', (label) => {
    expect(isOtherIdentifier(F({ type: 'email', labels: label }))).toBe(true);
  });
  it('named new_email / emailConfirm', () => {
    expect(isOtherIdentifier(F({ type: 'email', name: 'new_email' }))).toBe(true);
    expect(isOtherIdentifier(F({ type: 'email', id: 'emailConfirm' }))).toBe(true);
  });
  it.each(['Email', 'Email address', 'Username or email', 'Phone number'])('"%s" is the login', (label) => {
    expect(isOtherIdentifier(F({ type: 'email', labels: label }))).toBe(false);
  });
  it('autocomplete=username wins', () => {
    expect(isOtherIdentifier(F({ type: 'email', labels: 'New email', autocomplete: 'username' }))).toBe(false);
  });
  it('strong identifiers: autocomplete=username, user/login words; not an e-mail field alone', () => {
    expect(isStrongIdentifier(F({ type: 'text', autocomplete: 'username' }))).toBe(true);
    expect(isStrongIdentifier(F({ type: 'text', name: 'login' }))).toBe(true);
    expect(isStrongIdentifier(F({ type: 'text', labels: 'Username' }))).toBe(true);
    expect(isStrongIdentifier(F({ type: 'email', labels: 'Email' }))).toBe(false);
  });
});
