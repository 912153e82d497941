/**
 * Page script: filler. Part of the detector's injection (detector.ts imports it), and
 * injected on its own (page/filler.js) only into an approved document that lacks it
 * (chrome.scripting target {tabId, documentIds}), in the extension's isolated world. It
 * defines one function on that world's globalThis; the service worker calls it, only in
 * the documents a probe approved, with executeScript({func, args}) carrying the values.
 * Before setting anything it re-checks this frame's origin and every ancestor origin
 * against the credential's patterns, and again immediately before each value. It answers
 * with the kinds filled and whether it submitted: never a value, and it logs nothing.
 *
 * The patterns are the ones the service worker kept after validating them with
 * shared/origin.ts (Public Suffix List included); here they are matched with the
 * PSL-free shared/origin-match.ts, which answers the same on such patterns.
 */
import type { FieldKind } from '../../shared/browser-protocol.js';
import { type Fields, findFields } from './fields.js';
import { findFlowFields, FLOW_REFUSAL_TEXT } from './flow-fields.js';
import { fillFields, type Values } from './fill.js';
import { formTargetProblem } from './form-target.js';
import { checkFrame, effectiveOrigin, type FrameFacts } from './frame-origin.js';
import { definePageGlobal, FILL_GLOBAL } from './names.js';
import { transitionsSettled } from './settle.js';
import { armOutcome } from './outcome.js';

export interface FillArgs {
  origins: string[];
  values: Values;
  submit: boolean;
  /** Account flows (CONTRACT §7): fill the new-password fields of one sign-up or change-password form. */
  flow?: 'create' | 'change';
}

export type FillReply = { ok: true; filled: FieldKind[]; submitted: boolean } | { ok: false; code: 'ORIGIN_MISMATCH' | 'INSECURE_ORIGIN' | 'NO_FILLABLE_FIELD' | 'INVALID_REQUEST' | 'INTERNAL'; message: string };

function frameFacts(): FrameFacts | null {
  // Without ancestorOrigins (not Chromium) a nested frame cannot prove its ancestors: refuse.
  const list = location.ancestorOrigins;
  if (!list && window !== window.top) return null;
  return { origin: effectiveOrigin(), protocol: location.protocol, ancestors: list ? Array.from(list) : [] };
}

function parseArgs(a: unknown): FillArgs | null {
  if (typeof a !== 'object' || a === null) return null;
  const { origins, values, submit, flow } = a as Record<string, unknown>;
  if (flow !== undefined && flow !== 'create' && flow !== 'change') return null;
  if (!Array.isArray(origins) || !origins.every((o) => typeof o === 'string')) return null;
  if (typeof submit !== 'boolean' || typeof values !== 'object' || values === null) return null;
  const v = values as Record<string, unknown>;
  const out: Values = {};
  for (const k of ['username', 'password', 'totp', 'new_password'] as const) {
    if (v[k] === undefined) continue;
    if (typeof v[k] !== 'string') return null;
    out[k] = v[k];
  }
  // A generated password goes only into a flow's new-password fields.
  if (out.new_password !== undefined && flow === undefined) return null;
  return { origins: origins as string[], values: out, submit, ...(flow !== undefined ? { flow } : {}) };
}

/** The fields this fill would put a value into, for the form-target check. */
function fieldsToFill(fields: Fields, values: Values): { el: HTMLInputElement; password: boolean }[] {
  const out: { el: HTMLInputElement; password: boolean }[] = [];
  if (fields.username && values.username) out.push({ el: fields.username, password: false });
  if (fields.password && values.password) out.push({ el: fields.password, password: true });
  if (fields.totp && values.totp) for (const el of fields.totp) out.push({ el, password: false });
  if (fields.newPasswords && values.new_password) for (const el of fields.newPasswords) out.push({ el, password: true });
  return out;
}

export async function fill(rawArgs: unknown): Promise<FillReply> {
  const args = parseArgs(rawArgs);
  if (!args) return { ok: false, code: 'INVALID_REQUEST', message: 'the filler was called with malformed arguments' };
  const check = (): { ok: true } | { ok: false; code: 'ORIGIN_MISMATCH' | 'INSECURE_ORIGIN'; message: string } => {
    const facts = frameFacts();
    if (!facts) return { ok: false, code: 'ORIGIN_MISMATCH', message: 'this frame cannot prove the origins of its ancestors' };
    const v = checkFrame(args.origins, facts);
    if (v.ok) return v;
    return { ok: false, code: v.code === 'INSECURE_ORIGIN' ? 'INSECURE_ORIGIN' : 'ORIGIN_MISMATCH', message: v.message };
  };
  const first = check();
  if (!first.ok) return first;
  try {
    await transitionsSettled(document);
    let fields: Fields;
    if (args.flow) {
      const found = findFlowFields(args.flow, document);
      if ('refusal' in found) return { ok: false, code: 'NO_FILLABLE_FIELD', message: FLOW_REFUSAL_TEXT[found.refusal] };
      fields = { newPasswords: found.newPasswords };
      if (found.username) fields.username = found.username;
      if (found.current) fields.password = found.current;
    } else {
      // An ordinary fill never touches the fields that set a password.
      const { newPasswords: _set, ...rest } = findFields(document);
      fields = rest;
    }
    const problem = formTargetProblem(fieldsToFill(fields, args.values), args.origins);
    if (problem) return { ok: false, ...problem };
    const outcome = await fillFields(fields, args.values, {
      submit: args.submit,
      guard: () => check().ok,
      beforeSubmit: (els) => armOutcome(els, args.values.totp !== undefined),
    });
    const last = check();
    if (!last.ok && outcome.filled.length === 0) return last;
    return { ok: true, filled: outcome.filled, submitted: outcome.submitted };
  } catch {
    // The page's DOM threw (its own event handlers run inside our dispatches). No detail:
    // an exception message could quote page content.
    return { ok: false, code: 'INTERNAL', message: 'filling failed inside the page' };
  }
}

definePageGlobal(FILL_GLOBAL, fill);
