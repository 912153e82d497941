/**
 * Runs in blindfill's isolated world of every https (and loopback http) frame at document
 * start: takes the MAIN-world shim's passkey requests (passkey-shim.ts) to the service
 * worker and hands the answer back. It adds what only this world can read truthfully:
 * whether the frame's permission policy allows WebAuthn (the page cannot patch this
 * world's Document). The frame's origin is not sent: the worker takes it from the sender.
 */
import { PASSKEY_REQUEST_EVENT, PASSKEY_RESPONSE_EVENT } from './names.js';

interface Request {
  id: string;
  kind: 'get' | 'create';
  options: unknown;
}

function frameAllowed(kind: 'get' | 'create'): boolean | null {
  const doc = document as Document & { featurePolicy?: { allowsFeature(f: string): boolean }; permissionsPolicy?: { allowsFeature(f: string): boolean } };
  const policy = doc.permissionsPolicy ?? doc.featurePolicy;
  if (!policy || typeof policy.allowsFeature !== 'function') return null;
  try {
    return policy.allowsFeature(`publickey-credentials-${kind}`);
  } catch {
    return null;
  }
}

function reply(detail: Record<string, unknown>): void {
  document.dispatchEvent(new CustomEvent(PASSKEY_RESPONSE_EVENT, { detail: JSON.stringify(detail) }));
}

// Injected again when a tab is armed: listen once (this world is blindfill's alone).
const FLAG = '__blindfillPasskeyBridge';
const g = globalThis as Record<string, unknown>;
if (g[FLAG] !== true) {
  g[FLAG] = true;
  document.addEventListener(PASSKEY_REQUEST_EVENT, onRequest);
}

function onRequest(e: Event): void {
  const detail = (e as CustomEvent<unknown>).detail;
  if (typeof detail !== 'string') return;
  let req: Request;
  try {
    req = JSON.parse(detail) as Request;
  } catch {
    return;
  }
  if (typeof req.id !== 'string' || (req.kind !== 'get' && req.kind !== 'create')) return;
  e.preventDefault();
  const message = { blindfill_passkey: 1, kind: req.kind, options: req.options, frame_allowed: frameAllowed(req.kind) };
  chrome.runtime.sendMessage(message).then(
    (answer: unknown) => reply({ ...(typeof answer === 'object' && answer !== null ? answer : { ok: false, code: 'INTERNAL', message: 'no answer' }), id: req.id }),
    () => reply({ id: req.id, ok: false, code: 'INTERNAL', message: 'the blindfill extension did not answer' }),
  );
}
