/**
 * Page script: field detector. Injected on demand with
 * chrome.scripting.executeScript({files:['page/detector.js'], target:{allFrames:true}})
 * into the extension's isolated world; it only defines functions on that world's
 * globalThis, which the service worker then calls with executeScript({func}).
 * Reports this frame's origin facts and the kinds of fillable fields; never a value.
 *
 * It also carries the filler (filler.ts): a fill then calls the function the probe's
 * injection left in the approved document instead of injecting and parsing a second
 * script. Defining it changes nothing by itself: only the service worker can call into
 * the isolated world, and it calls the filler only in the documents a probe approved.
 */
import type { FieldKind, PasswordHints } from '../../shared/browser-protocol.js';
import { findFields, kindsOf } from './fields.js';
import { findFlowFields, type FlowRefusal } from './flow-fields.js';
import './filler.js';
import './outcome.js';
import { effectiveOrigin } from './frame-origin.js';
import { DETECT_GLOBAL, definePageGlobal } from './names.js';
import type { RefusalReason } from './refusal.js';
import { transitionsSettled } from './settle.js';

export interface DetectReport {
  origin: string;
  protocol: string;
  ancestors: string[];
  fields: FieldKind[];
  /**
   * A child frame in a browser without location.ancestorOrigins (Firefox): it cannot
   * prove its ancestors' origins, so it is never filled (`ancestors` is ['null']).
   */
  ancestorsUnknown?: true;
  /** Why no password field was chosen although password-type fields are visible. */
  why?: RefusalReason;
  /** How many visible fields set a new password (never given the stored one). */
  newPasswords?: number;
  /** Account flows: the hints of the chosen form's new-password fields (no value). */
  hints?: PasswordHints;
  /** Account flows: why no form of the flow was found. */
  flowWhy?: FlowRefusal;
}

function flowOf(arg: unknown): 'create' | 'change' | undefined {
  const f = typeof arg === 'object' && arg !== null ? (arg as { flow?: unknown }).flow : undefined;
  return f === 'create' || f === 'change' ? f : undefined;
}

export async function detect(arg?: unknown): Promise<DetectReport> {
  const unknown = !location.ancestorOrigins && window !== window.top;
  const ancestors = location.ancestorOrigins ? Array.from(location.ancestorOrigins) : unknown ? ['null'] : [];
  let fields: FieldKind[] = [];
  let extra: Pick<DetectReport, 'why' | 'newPasswords' | 'hints' | 'flowWhy'> = {};
  const flow = flowOf(arg);
  if (flow) {
    try {
      await transitionsSettled(document);
      const found = findFlowFields(flow, document);
      if ('refusal' in found) extra = { flowWhy: found.refusal };
      else {
        fields = [...(found.username ? (['username'] as const) : []), ...(found.current ? (['password'] as const) : []), 'new_password'];
        extra = { hints: found.hints };
      }
    } catch {
      fields = [];
    }
    return { origin: effectiveOrigin(), protocol: location.protocol, ancestors, fields, ...(unknown ? { ancestorsUnknown: true as const } : {}), ...extra };
  }
  try {
    await transitionsSettled(document);
    const found = findFields(document);
    fields = kindsOf(found);
    if (found.refusal) extra = { why: found.refusal };
    if (found.newPasswords) extra = { ...extra, newPasswords: found.newPasswords.length };
  } catch {
    fields = [];
  }
  return { origin: effectiveOrigin(), protocol: location.protocol, ancestors, fields, ...(unknown ? { ancestorsUnknown: true as const } : {}), ...extra };
}

definePageGlobal(DETECT_GLOBAL, detect);
