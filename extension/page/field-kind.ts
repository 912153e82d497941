/**
 * What a field asks for, from the words around it: pure string logic, no DOM, so the
 * rules are unit-tested on their own and shared by the detector (which fields a fill may
 * use) and later features (a sign-up fills every new-password field).
 *
 * A masked field (type=password) is one of:
 *   - 'code': it asks for a one-time or verification code (a hardware token, an
 *     authenticator): never given the account password, only a one-time code;
 *   - 'new-password': it sets a password (new, confirm, a sign-up): never given the stored
 *     password;
 *   - 'current-password': it proves the stored password.
 * A text field may be an identifier that is not this login's ("New email", "Confirm
 * email", "Recovery email"): never given the stored username.
 */

export interface FieldFacts {
  /** The input's type, lower case. */
  type: string;
  autocomplete: string;
  name: string;
  id: string;
  placeholder: string;
  ariaLabel: string;
  /** Text of its labels: <label for>, a wrapping <label>, aria-labelledby. */
  labels: string;
  inputmode: string;
  /** -1 when there is none. */
  maxLength: number;
}

export interface PasswordContext {
  /** The other visible password fields of the same form (or container without one). */
  siblings: readonly FieldFacts[];
  /** The field's form says it creates an account (its buttons, headings, attributes). */
  signsUp: boolean;
}

export type PasswordRole = 'current-password' | 'new-password' | 'code';

/** "newPassword", "new_password", "new-password" → "new Password", "new password", … */
export function words(s: string): string {
  return s
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_\-.[\]:]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function autocompleteTokens(ac: string): string[] {
  return ac.toLowerCase().split(/\s+/).filter(Boolean);
}

/** A word that names a password, in any of the forms sites use. */
const PASSWORD_WORD = /pass\s*word|\bpass\b|\bpwd\b|\bpasswd\b|\bpw\b|kennwort|passwort|mot de passe|contrase[ñn]a|senha|\bpin\b/i;
/** Words that name a one-time or verification code (prose: labels, placeholders, aria). */
const CODE_WORDS =
  /\bcode\b|\bcodes\b|one.?time|\botp\b|\btotp\b|\bhotp\b|\b2fa\b|\bmfa\b|two.?factor|2.?step|multi.?factor|verification|authenticat|\btoken\b|passcode|security key|yubi|sms/i;
/** Names and ids that name a code field. */
const CODE_NAMES = /\b(otp|totp|hotp|mfa|2fa|tfa|code|token|passcode|pin ?code|verification|verify ?code|auth ?code|one ?time)\b/i;
/** Words that say the field sets a password rather than proves one. */
const NEW_WORDS = /\bnew\b|\bcreate\b|\bchoose\b|\bset (a |your )?password|\bregist|\bsign ?up\b|\bnext password\b|\bdesired\b/i;
/** Words of the second field of a pair (confirm, repeat); alone, a re-authentication prompt can say them too. */
const CONFIRM_WORDS = /\bconfirm|\brepeat\b|\bre ?type\b|\bre ?enter\b|\bagain\b|\bverify\b|\bconfirmation\b|\b(password|pass|pwd) ?(2|two)\b|\bretype|\breenter/i;
/** Words that say it is the password in use now. */
const CURRENT_WORDS = /\bcurrent\b|\bold\b|\bexisting\b|\bprevious\b/i;

function prose(f: FieldFacts): string {
  return words(`${f.labels} ${f.ariaLabel} ${f.placeholder}`);
}

function names(f: FieldFacts): string {
  return words(`${f.name} ${f.id}`);
}

/**
 * A masked field that asks for a code: autocomplete=one-time-code; or its name, id,
 * label, aria-label or placeholder names a code and never a password; or it is a short
 * numeric entry (inputmode=numeric, maxlength 4-8) that does not name a password.
 */
export function isMaskedCode(f: FieldFacts): boolean {
  const ac = autocompleteTokens(f.autocomplete);
  if (ac.includes('one-time-code')) return true;
  if (ac.includes('current-password') || ac.includes('new-password')) return false;
  const text = prose(f);
  const n = names(f);
  // "Password" anywhere (name or prose) makes it a password field, unless it also names a
  // one-time code outright ("one-time password", "OTP").
  const oneTime = /one.?time|\botp\b|\btotp\b|\bhotp\b/i.test(`${text} ${n}`);
  const says = PASSWORD_WORD.test(text) || PASSWORD_WORD.test(n);
  if (says && !oneTime) return false;
  if (oneTime) return true;
  if (CODE_WORDS.test(text) || CODE_NAMES.test(n)) return true;
  return f.inputmode.toLowerCase() === 'numeric' && f.maxLength >= 4 && f.maxLength <= 8;
}

type Said = 'code' | 'current' | 'new' | 'confirm' | 'ac-current' | 'ac-new' | null;

/** What the field says about itself, before its neighbours are considered. */
function said(f: FieldFacts): Said {
  if (isMaskedCode(f)) return 'code';
  const text = prose(f);
  const n = names(f);
  if (CURRENT_WORDS.test(text) || CURRENT_WORDS.test(n)) return 'current';
  if (NEW_WORDS.test(text) || NEW_WORDS.test(n)) return 'new';
  if (CONFIRM_WORDS.test(text) || CONFIRM_WORDS.test(n)) return 'confirm';
  const ac = autocompleteTokens(f.autocomplete);
  if (ac.includes('current-password')) return 'ac-current';
  if (ac.includes('new-password')) return 'ac-new';
  return null;
}

/**
 * The role of a type=password field among its siblings. "Confirm" counts only beside
 * another password field (alone it is a re-authentication prompt); a field that says
 * nothing is the new one when a partner confirms it and none says "new" ("Password" +
 * "Confirm password"), the current one beside a new + confirm pair. A lone password field of a
 * sign-in form with autocomplete=new-password (a site's mistake) still proves the password;
 * the same token in a pair or a sign-up form sets one.
 */
export function passwordRole(f: FieldFacts, ctx: PasswordContext): PasswordRole {
  const own = said(f);
  const others = ctx.siblings.map(said);
  const paired = ctx.siblings.length > 0;
  switch (own) {
    case 'code':
      return 'code';
    case 'current':
    case 'ac-current':
      return 'current-password';
    case 'new':
      return 'new-password';
    case 'confirm':
      return paired ? 'new-password' : 'current-password';
    case 'ac-new':
      return paired || ctx.signsUp ? 'new-password' : 'current-password';
    default: {
      const confirms = others.filter((o) => o === 'confirm').length;
      const news = others.filter((o) => o === 'new' || o === 'ac-new').length;
      if (confirms > 0 && news === 0) return 'new-password';
      return 'current-password';
    }
  }
}

/** Words that say a text field holds some other address or name than the account's login. */
const OTHER_IDENTIFIER =
  /\bnew\b|\bconfirm|\brepeat\b|\bre ?type\b|\bre ?enter\b|\bagain\b|\bverify\b|\brecovery\b|\bbackup\b|\balternat|\bsecondary\b|\badditional\b|\banother\b|\bchange\b|\bupdate\b|\bfriend|\brecipient|\binvite|\bcontact\b|\bbilling\b|\bshipping\b|\bnotification/i;

/**
 * A text field that names an identifier other than the account's login ("New email",
 * "Confirm email", "Recovery email", "Email for notifications"). autocomplete=username
 * wins: the site says it is the login name.
 */
export function isOtherIdentifier(f: FieldFacts): boolean {
  const ac = autocompleteTokens(f.autocomplete);
  if (ac.includes('username')) return false;
  if (ac.includes('new-password') || ac.includes('current-password') || ac.includes('one-time-code')) return true;
  return OTHER_IDENTIFIER.test(prose(f)) || OTHER_IDENTIFIER.test(names(f));
}

/**
 * A field that names itself the login identifier strongly enough that a value already in
 * it (a remembered or mistyped name) may be replaced: autocomplete=username, or words for a
 * user name or login (an e-mail or phone field alone is not enough).
 */
export function isStrongIdentifier(f: FieldFacts): boolean {
  if (autocompleteTokens(f.autocomplete).includes('username')) return true;
  return /\buser|\blogin\b|\blog ?in\b|\blogon\b|\bsign ?in\b|\bident|\baccount\b|\bhandle\b/i.test(`${prose(f)} ${names(f)}`);
}
