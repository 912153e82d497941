/**
 * The agent's tools (CONTRACT §5). Pure description + mapping from daemon answers to tool
 * results; the server file wires them to the SDK. Results never carry a secret: the
 * daemon's answers hold labels, origins, field kinds and window titles only.
 */
import * as z from 'zod';
import { type CredentialList, CredentialSummarySchema, LABEL_RE } from '../../shared/credential.js';
import type { ErrorCode } from '../../shared/errors.js';
import { TYPE_FIELDS } from '../../shared/ipc.js';
import { OUTCOMES } from '../../shared/outcome.js';

export const FLOW = `blindfill fills saved credentials into the browser's active tab (or types them into a desktop window) without you ever seeing them. How to log in:
1. Call list_credentials to see the available labels and where each may be used (origin "active_tab": only those for the page open now).
2. Navigate the browser to the site's login page yourself.
3. Call fill_credential with the label (submit: true to also press the sign-in button).
4. Identifier-first login (username on one page, password on the next): call fill_credential, click Next/Continue, wait for the password page, then call fill_credential again.
5. With submit: true the result says what happened (outcome): signed_in; needs_mfa: call fill_totp (submit: true) on the code page; rejected: the site refused the credential, do not retry; captcha or locked: tell the user; unknown: nothing decisive in time, look at the page.
6. If the site then asks for a one-time code, call fill_totp on the code page.
7. Passkeys: on the sign-in page call use_passkey with the label (has_passkey in list_credentials), then click the site's "Sign in with a passkey" button within armed_for_s seconds. To register a new passkey, call create_passkey with a label, then click the site's "Create/Add a passkey" button.
Never ask the user for a password or code, and never try to read a filled field's value: the secret is not yours to see. An error result carries a code (ORIGIN_MISMATCH means the page is not a site this credential belongs to: do not retry elsewhere).`;

const labelDescription = 'The credential label from list_credentials, e.g. "github-personal" (1-64 chars of a-z 0-9 . _ -).';

export const FillInput = {
  label: z.string().max(200).describe(labelDescription),
  submit: z.boolean().optional().describe('Also submit the form (click its sign-in/next button). Default false.'),
  browser_profile: z
    .string()
    .min(1)
    .max(4096)
    .optional()
    .describe(
      'Only when several browsers are connected and the fill answers AMBIGUOUS_BROWSER: the profile directory (the browser\'s --user-data-dir) of the browser to fill, as `blindfill status` shows it. ' +
        'Omit it when your browser runs under blindfill guard: the fill then goes to that browser.',
    ),
};
export const TypeInput = {
  label: z.string().max(200).describe(labelDescription),
  field: z.enum(TYPE_FIELDS).optional().describe('What to type: username, password, totp, or the credential\'s sequence (default: sequence if set, else password).'),
  submit: z.boolean().optional().describe('Press Enter afterwards. Default false.'),
};

const ErrorFields = {
  code: z.string().optional().describe('Error code when ok is false, e.g. ORIGIN_MISMATCH, VAULT_LOCKED, NO_BROWSER'),
  message: z.string().optional().describe('What went wrong; names labels and origins, never values'),
};
export const FillOutput = {
  ok: z.boolean(),
  label: z.string().optional(),
  origin: z.string().optional().describe('The origin of the page that was filled'),
  filled: z.array(z.enum(['username', 'password', 'totp'])).optional().describe('Which fields were filled'),
  submitted: z.boolean().optional(),
  outcome: z
    .enum(OUTCOMES)
    .optional()
    .describe(
      'After submit: what the page showed. signed_in, rejected (wrong credentials: do not retry), needs_mfa (call fill_totp), captcha (a person must solve it), locked (locked or rate-limited: stop), unknown (nothing decisive in time: look at the page)',
    ),
  ...ErrorFields,
};
export const TypeOutput = {
  ok: z.boolean(),
  label: z.string().optional(),
  window: z.string().optional().describe('Title of the window typed into'),
  field: z.enum(TYPE_FIELDS).optional(),
  ...ErrorFields,
};
export const PasskeyInput = {
  label: z.string().max(200).describe(labelDescription),
};
export const PasskeyOutput = {
  ok: z.boolean(),
  label: z.string().optional(),
  origin: z.string().optional().describe('The origin of the tab that was armed'),
  armed_for_s: z.number().optional().describe('Seconds the arm lasts: click the site\'s passkey button within this time'),
  ...ErrorFields,
};
export const ListInput = {
  origin: z
    .string()
    .max(2048)
    .optional()
    .describe(
      'Only the credentials that may be filled on this page: a URL such as "https://github.com/login" (only its scheme, host and port count), ' +
        'or "active_tab" for the page open in the browser\'s active tab. Omit to list every credential.',
    ),
};
export const ListOutput = {
  ok: z.boolean().optional(),
  origin: z.string().optional().describe('With an origin filter: the page origin the list was filtered by'),
  // The daemon's list item itself, so the tool's declared output cannot drift from what it returns.
  credentials: z.array(CredentialSummarySchema).optional(),
  ...ErrorFields,
};

/** Sign-up and password change (CONTRACT §7): the agent names a label, blindfill makes up the password. */
export const FLOWS_HELP = `Account flows: on a sign-up page call create_credential with a new label (and the username to register, if the form asks for one); blindfill generates the password, stores it bound to the page's origin and fills it into the password and confirm fields. On a change-password page call change_password with the label: blindfill fills the current password and a new generated one. With submit: true the result's outcome says whether the site accepted it (rejected: the sign-up stays pending for the user / the old password stays current). You never see either password.`;

const passwordOptions = {
  length: z.number().int().min(8).max(128).optional().describe("Length of the generated password (default 24, or what the site's form allows)."),
  classes: z
    .array(z.enum(['lower', 'upper', 'digit', 'special']))
    .min(1)
    .max(4)
    .optional()
    .describe('Use only these character classes (default all four, or what the site\'s passwordrules say).'),
};
export const CreateInput = {
  label: z.string().max(200).describe('A new label for the account, e.g. "shop-alice" (1-64 chars of a-z 0-9 . _ -).'),
  username: z.string().min(1).max(1024).optional().describe('The username or e-mail to register (not a secret). Omit when the form has no such field.'),
  submit: z.boolean().optional().describe('Also submit the form and report the outcome. Default false.'),
  ...passwordOptions,
};
export const ChangeInput = {
  label: z.string().max(200).describe(labelDescription),
  submit: z.boolean().optional().describe('Also submit the form and report the outcome. Default false.'),
  ...passwordOptions,
};
export const FlowOutput = {
  ok: z.boolean(),
  label: z.string().optional(),
  origin: z.string().optional().describe('The origin of the page that was filled (a new credential is bound to it)'),
  filled: z.array(z.enum(['username', 'password', 'totp', 'new_password'])).optional().describe('Which fields were filled'),
  submitted: z.boolean().optional(),
  outcome: z.enum(OUTCOMES).optional().describe('After submit: what the page showed (signed_in, rejected, needs_mfa, captcha, locked, unknown)'),
  ...ErrorFields,
};

export interface ToolResult {
  [key: string]: unknown;
  content: Array<{ type: 'text'; text: string }>;
  structuredContent: Record<string, unknown>;
  isError?: boolean;
}

export function errorResult(code: ErrorCode | string, message: string): ToolResult {
  const structuredContent = { ok: false, code, message };
  return { content: [{ type: 'text', text: `error ${code}: ${message}` }], structuredContent, isError: true };
}

/** A result whose text is a summary only (the structured result carries the data). */
export function summaryResult(text: string, structuredContent: Record<string, unknown>): ToolResult {
  return { content: [{ type: 'text', text }], structuredContent };
}

export function successResult(summary: string, structuredContent: Record<string, unknown>): ToolResult {
  return { content: [{ type: 'text', text: `${summary}\n${JSON.stringify(structuredContent)}` }], structuredContent };
}

/**
 * The text block of list_credentials: one short line per credential, not the JSON again
 * (the structured result carries that), so a client that reads only text still has every
 * label and where it may be used, and the result is not twice the list's size.
 */
export function listText(list: CredentialList): string {
  const n = list.credentials.length;
  const head = `${n} credential${n === 1 ? '' : 's'}${list.origin !== undefined ? ` may be filled on ${list.origin}` : ''}${n > 0 ? ':' : '.'}`;
  const lines = list.credentials.map((c) => {
    const where = [...c.origins, ...c.windows.map((w) => `window "${w}"`)].join(', ') || 'nowhere';
    const has = [c.has_username && 'username', c.has_password && 'password', c.has_totp && 'totp'].filter(Boolean).join('+') || 'nothing stored';
    return `- ${c.label}: ${where} (${has}${c.policy === 'confirm' ? ', a person approves each use' : ''})`;
  });
  return [head, ...lines].join('\n');
}

export function checkLabel(label: string): ToolResult | null {
  return LABEL_RE.test(label) ? null : errorResult('INVALID_REQUEST', 'label must be 1-64 characters of a-z 0-9 . _ -');
}
