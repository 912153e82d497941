/**
 * The agent's tools (CONTRACT §5). Pure description + mapping from daemon answers to tool
 * results; the server file wires them to the SDK. Results never carry a secret: the
 * daemon's answers hold labels, origins, field kinds and window titles only.
 */
import * as z from 'zod';
import { type CredentialList, LABEL_RE } from '../../shared/credential.js';
import type { ErrorCode } from '../../shared/errors.js';
import { TYPE_FIELDS } from '../../shared/ipc.js';

export const FLOW = `blindfill fills saved credentials into the browser's active tab (or types them into a desktop window) without you ever seeing them. How to log in:
1. Call list_credentials to see the available labels and where each may be used (origin "active_tab": only those for the page open now).
2. Navigate the browser to the site's login page yourself.
3. Call fill_credential with the label (submit: true to also press the sign-in button).
4. Identifier-first login (username on one page, password on the next): call fill_credential, click Next/Continue, wait for the password page, then call fill_credential again.
5. If the site then asks for a one-time code, call fill_totp on the code page.
Never ask the user for a password or code, and never try to read a filled field's value: the secret is not yours to see. An error result carries a code (ORIGIN_MISMATCH means the page is not a site this credential belongs to: do not retry elsewhere).`;

const labelDescription = 'The credential label from list_credentials, e.g. "github-personal" (1-64 chars of a-z 0-9 . _ -).';

export const FillInput = {
  label: z.string().max(200).describe(labelDescription),
  submit: z.boolean().optional().describe('Also submit the form (click its sign-in/next button). Default false.'),
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
  ...ErrorFields,
};
export const TypeOutput = {
  ok: z.boolean(),
  label: z.string().optional(),
  window: z.string().optional().describe('Title of the window typed into'),
  field: z.enum(TYPE_FIELDS).optional(),
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
  credentials: z
    .array(
      z.object({
        label: z.string(),
        origins: z.array(z.string()),
        windows: z.array(z.string()),
        policy: z.enum(['auto', 'confirm']),
        has_username: z.boolean(),
        has_password: z.boolean(),
        has_totp: z.boolean(),
      }),
    )
    .optional(),
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
