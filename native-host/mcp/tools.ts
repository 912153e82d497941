/**
 * The agent's tools (CONTRACT §5). Pure description + mapping from daemon answers to tool
 * results; the server file wires them to the SDK. Results never carry a secret: the
 * daemon's answers hold labels, origins, field kinds and window titles only.
 */
import * as z from 'zod';
import { LABEL_RE } from '../../shared/credential.js';
import type { ErrorCode } from '../../shared/errors.js';
import { TYPE_FIELDS } from '../../shared/ipc.js';

export const FLOW = `blindfill fills saved credentials into the browser's active tab (or types them into a desktop window) without you ever seeing them. How to log in:
1. Call list_credentials to see the available labels and where each may be used.
2. Navigate the browser to the site's login page yourself.
3. Call fill_credential with the label (submit: true to also press the sign-in button).
4. Identifier-first login (username on one page, password on the next): call fill_credential, click Next/Continue, wait for the password page, then call fill_credential again.
5. If the site then asks for a one-time code, call fill_totp on the code page.
6. Passkeys: on the sign-in page call use_passkey with the label (has_passkey in list_credentials), then click the site's "Sign in with a passkey" button within armed_for_s seconds. To register a new passkey, call create_passkey with a label, then click the site's "Create/Add a passkey" button.
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
export const ListOutput = {
  ok: z.boolean().optional(),
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
        has_passkey: z.boolean().optional(),
        rp_id: z.string().optional(),
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

export function successResult(summary: string, structuredContent: Record<string, unknown>): ToolResult {
  return { content: [{ type: 'text', text: `${summary}\n${JSON.stringify(structuredContent)}` }], structuredContent };
}

export function checkLabel(label: string): ToolResult | null {
  return LABEL_RE.test(label) ? null : errorResult('INVALID_REQUEST', 'label must be 1-64 characters of a-z 0-9 . _ -');
}
