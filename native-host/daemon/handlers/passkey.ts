/**
 * Passkeys (CONTRACT §8). `passkey_arm` (use_passkey / create_passkey) arms one ceremony on
 * the active tab of one verified browser; `passkey_get` / `passkey_create` are that
 * browser relaying the page's navigator.credentials call, with the frame's origin as the
 * extension saw it. The daemon checks the arm, the origin rules and the rp id, builds the
 * client data itself, and signs; the private key never leaves it.
 */
import { randomBytes } from 'node:crypto';
import type { PasskeyArmed } from '../../../shared/browser-protocol.js';
import { fail, type Failure, ok } from '../../../shared/errors.js';
import type { IpcRequestOf, PasskeyArmResult } from '../../../shared/ipc.js';
import { checkOrigin } from '../../../shared/origin.js';
import { type Assertion, type Attestation, effectiveRpId, PASSKEY_ALGS, passkeyOriginOk, rpIdAllowed } from '../../../shared/passkey.js';
import type { CallMeta, DaemonContext, Handler } from '../context.js';
import { gate } from '../gate.js';
import { type Arm, armMs, type CeremonyKind, PasskeyArms } from '../passkey-arms.js';
import type { HeldCredential, HeldPasskey } from '../secret-credential.js';
import {
  attestationObject,
  attestedCredentialData,
  authenticatorData,
  clientDataJSON,
  FLAG_AT,
  FLAG_UP,
  FLAG_UV,
  keyAlg,
  newKeyPair,
  type PasskeyAlg,
  signAssertion,
} from '../webauthn.js';

const armsOf = new WeakMap<DaemonContext, PasskeyArms>();
function arms(ctx: DaemonContext): PasskeyArms {
  let a = armsOf.get(ctx);
  if (!a) {
    const made = new PasskeyArms();
    armsOf.set(ctx, made);
    a = made;
  }
  return a;
}

function refuse(ctx: DaemonContext, meta: CallMeta, what: string, label: string | undefined, f: Failure, target?: string): Failure {
  ctx.audit.append({
    event: 'refusal',
    ...(label !== undefined ? { label } : {}),
    caller: meta.peer.describe(meta.caller),
    code: f.code,
    detail: what,
    ...(target ? { target } : {}),
  });
  return f;
}

const b64u = (b: Buffer): string => b.toString('base64url');

// ---------------------------------------------------------------------------------
// Arming: the agent's call.

export const passkeyArm: Handler<'passkey_arm'> = async (req, ctx, meta) => {
  const what = req.kind === 'get' ? 'use_passkey' : 'create_passkey';
  const found = ctx.vault.get(req.label);
  let cred: HeldCredential | undefined;
  if (found.ok) cred = found.value;
  else if (found.code === 'VAULT_LOCKED') return found;
  else if (req.kind === 'get') return refuse(ctx, meta, what, req.label, found);
  if (req.kind === 'get' && !cred?.passkey) return refuse(ctx, meta, what, req.label, fail('NO_PASSKEY', `"${req.label}" holds no passkey`));
  if (req.kind === 'create' && cred?.passkey) {
    return refuse(ctx, meta, what, req.label, fail('PASSKEY_EXISTS', `"${req.label}" already holds a passkey (remove it first)`));
  }
  ctx.autoLock.touch();

  const browser = await ctx.browsers.pick({ lineage: () => meta.peer.lineage(), profile: req.browser_profile, waitMs: ctx.browserWaitMs });
  if ('ok' in browser) return refuse(ctx, meta, what, req.label, browser);
  const ttl = armMs();
  const armed = await ctx.browsers.call(browser, { type: 'passkey_arm', kind: req.kind, ttl_ms: ttl }, ctx.browserTimeoutMs);
  if (!armed.ok) return refuse(ctx, meta, what, req.label, armed);
  if (!('armed' in armed)) return refuse(ctx, meta, what, req.label, fail('INTERNAL', 'the browser answered an arm with the wrong message'));
  const tab = armed as PasskeyArmed;
  // A refusal from here on takes the extension's arm back, so the tab's own WebAuthn works again.
  const refuseArmed = (f: Failure): Failure => {
    void ctx.browsers.call(browser, { type: 'passkey_disarm', tabId: tab.tabId, kind: req.kind }, ctx.browserTimeoutMs);
    return refuse(ctx, meta, what, req.label, f, tab.origin);
  };

  const secure = passkeyOriginOk(tab.origin);
  if (!secure.ok) return refuseArmed(secure);
  if (cred?.passkey && !rpIdAllowed(tab.origin, cred.passkey.rp_id)) {
    return refuseArmed(fail('RP_ID_MISMATCH', `the passkey of "${req.label}" is for ${cred.passkey.rp_id}, which ${tab.origin} may not use`));
  }
  if (req.kind === 'create' && cred) {
    const o = checkOrigin(cred.origins, tab.origin);
    if (!o.ok) return refuseArmed(fail('ORIGIN_MISMATCH', `${tab.origin} is not one of the origins of "${req.label}"`));
  }
  // Rate limit and, for policy confirm, a person's approval (which is what UV reports).
  const gated = await gate(ctx, cred ?? { label: req.label, origins: [], windows: [], policy: 'auto' }, 'passkey', tab.origin);
  if (gated) return refuseArmed(gated);

  const arm: Arm = {
    label: req.label,
    kind: req.kind,
    browserPid: browser.verified.browserPid,
    tabId: tab.tabId,
    origin: tab.origin,
    expiresAt: ctx.now() + ttl,
    verified: cred?.policy === 'confirm',
  };
  arms(ctx).arm(arm);
  ctx.audit.append({ event: 'passkey', label: req.label, target: tab.origin, caller: meta.peer.describe(meta.caller), detail: `armed ${req.kind} for ${Math.round(ttl / 1000)} s` });
  const result: PasskeyArmResult = { ok: true, label: req.label, origin: tab.origin, armed_for_s: Math.max(1, Math.round(ttl / 1000)) };
  return ok(result);
};

// ---------------------------------------------------------------------------------
// Ceremonies: the browser's relay of the page's call.

type CeremonyReq = IpcRequestOf<'passkey_get'> | IpcRequestOf<'passkey_create'>;

/** Everything both ceremonies check before anything is signed. Returns the arm and rp id. */
function admit(ctx: DaemonContext, meta: CallMeta, req: CeremonyReq, kind: CeremonyKind, requestedRpId: string | undefined): { arm: Arm; rpId: string } | Failure {
  const what = `passkey ${kind}`;
  if (meta.peer.role !== 'browser' || !meta.peer.browser) {
    return refuse(ctx, meta, what, undefined, fail('UNTRUSTED_CALLER', 'only a verified browser relays a page\'s WebAuthn call'));
  }
  const taken = arms(ctx).take(meta.peer.browser.browserPid, req.tab_id, kind, ctx.now());
  if ('ok' in taken) return refuse(ctx, meta, what, undefined, taken, req.origin);
  const arm = taken;
  const r = (f: Failure): Failure => refuse(ctx, meta, what, arm.label, f, req.origin);
  if (!ctx.vault.isUnlocked) return r(fail('VAULT_LOCKED', 'the vault is locked: run `blindfill unlock`'));
  if (req.top_origin !== arm.origin) return r(fail('ORIGIN_MISMATCH', `the tab left ${arm.origin} (now ${req.top_origin}) after it was armed`));
  for (const o of [req.origin, req.top_origin]) {
    const s = passkeyOriginOk(o);
    if (!s.ok) return r(s);
  }
  if (req.cross_origin && req.frame_allowed !== true) {
    return r(
      fail(
        'FRAME_NOT_PERMITTED',
        `a frame from ${req.origin} inside ${req.top_origin} asked for a passkey without the publickey-credentials-${kind} permission policy${req.frame_allowed === null ? ' (this browser cannot tell)' : ''}`,
      ),
    );
  }
  const rpId = effectiveRpId(req.origin, requestedRpId);
  if (!rpIdAllowed(req.origin, rpId)) return r(fail('RP_ID_MISMATCH', `${req.origin} may not use the rp id ${rpId.slice(0, 253)}`));
  if (req.cross_origin && !rpIdAllowed(req.top_origin, rpId)) {
    return r(fail('RP_ID_MISMATCH', `the top-level page ${req.top_origin} may not use the rp id ${rpId.slice(0, 253)}`));
  }
  return { arm, rpId };
}

export const passkeyGet: Handler<'passkey_get'> = async (req, ctx, meta) => {
  const admitted = admit(ctx, meta, req, 'get', req.options.rpId);
  if ('ok' in admitted) return admitted;
  const { arm, rpId } = admitted;
  const r = (f: Failure): Failure => refuse(ctx, meta, 'passkey get', arm.label, f, req.origin);
  const found = ctx.vault.get(arm.label);
  if (!found.ok) return r(found);
  const pk = found.value.passkey;
  if (!pk) return r(fail('NO_PASSKEY', `"${arm.label}" holds no passkey`));
  if (pk.rp_id !== rpId) return r(fail('RP_ID_MISMATCH', `the page asked for rp id ${rpId}; the passkey of "${arm.label}" is for ${pk.rp_id}`));
  const allow = req.options.allowCredentials ?? [];
  if (allow.length > 0 && !allow.some((c) => c.id === pk.credential_id)) {
    return r(fail('NO_PASSKEY', `the page asked for other credentials than the passkey of "${arm.label}"`));
  }

  // The new count is on disk before any signature exists: a crash cannot replay a count.
  const count = (pk.sign_count + 1) >>> 0;
  const next: HeldPasskey = { ...pk, sign_count: count };
  const saved = ctx.vault.replace(arm.label, { ...found.value, passkey: next });
  if (!saved.ok) return r(saved);

  const cd = clientDataJSON('webauthn.get', req.options.challenge, req.origin, req.cross_origin, req.top_origin);
  const flags = FLAG_UP | (arm.verified ? FLAG_UV : 0);
  const authData = authenticatorData(rpId, flags, count);
  const signature = signAssertion(pk.private_key, authData, cd);
  ctx.autoLock.touch();
  ctx.audit.append({ event: 'passkey', label: arm.label, target: req.origin, caller: meta.peer.describe(meta.caller), detail: `signed in (count ${count}${arm.verified ? ', UV' : ''})` });
  const result: Assertion = {
    credential_id: pk.credential_id,
    client_data_json: b64u(cd),
    authenticator_data: b64u(authData),
    signature: b64u(signature),
    user_handle: pk.user_handle,
  };
  return ok(result);
};

export const passkeyCreate: Handler<'passkey_create'> = async (req, ctx, meta) => {
  const admitted = admit(ctx, meta, req, 'create', req.options.rp.id);
  if ('ok' in admitted) return admitted;
  const { arm, rpId } = admitted;
  const r = (f: Failure): Failure => refuse(ctx, meta, 'passkey create', arm.label, f, req.origin);
  const o = req.options;

  // excludeCredentials: a passkey blindfill already holds for this rp id (WebAuthn's InvalidStateError).
  const excluded = new Set((o.excludeCredentials ?? []).map((c) => c.id));
  const all = ctx.vault.list();
  if (!all.ok) return r(all);
  for (const s of all.value) {
    if (!s.has_passkey || s.rp_id !== rpId) continue;
    const held = ctx.vault.get(s.label);
    if (held.ok && held.value.passkey && excluded.has(held.value.passkey.credential_id)) {
      return r(fail('PASSKEY_EXISTS', `blindfill already holds a passkey for ${rpId} that the page excludes ("${s.label}")`));
    }
  }
  // Algorithms in the page's order of preference; none given means ES256 (WebAuthn's default).
  const wanted = o.pubKeyCredParams.length === 0 ? [-7] : o.pubKeyCredParams.filter((p) => p.type === 'public-key').map((p) => p.alg);
  const alg = wanted.find((a): a is PasskeyAlg => (PASSKEY_ALGS as readonly number[]).includes(a));
  if (alg === undefined) return r(fail('UNSUPPORTED_ALGORITHM', `the page accepts none of ES256 (-7) and EdDSA (-8)`));

  const existing = ctx.vault.get(arm.label);
  if (existing.ok && existing.value.passkey) return r(fail('PASSKEY_EXISTS', `"${arm.label}" already holds a passkey`));
  if (existing.ok && !checkOrigin(existing.value.origins, req.origin).ok) {
    return r(fail('ORIGIN_MISMATCH', `${req.origin} is not one of the origins of "${arm.label}"`));
  }

  const keys = newKeyPair(alg);
  const credentialId = randomBytes(16);
  const stored: HeldPasskey = { rp_id: rpId, credential_id: b64u(credentialId), user_handle: o.user.id, private_key: keys.pkcs8, sign_count: 0 };
  const saved = existing.ok
    ? ctx.vault.replace(arm.label, { ...existing.value, passkey: stored })
    : addNew(ctx, arm.label, req.origin, stored);
  if (!saved.ok) {
    keys.pkcs8.fill(0);
    return r(saved);
  }

  const cd = clientDataJSON('webauthn.create', o.challenge, req.origin, req.cross_origin, req.top_origin);
  const flags = FLAG_UP | FLAG_AT | (arm.verified ? FLAG_UV : 0);
  const authData = authenticatorData(rpId, flags, 0, attestedCredentialData(credentialId, keys.cose));
  ctx.autoLock.touch();
  ctx.audit.append({ event: 'passkey', label: arm.label, target: req.origin, caller: meta.peer.describe(meta.caller), detail: `registered for ${rpId} (alg ${alg})` });
  const result: Attestation = {
    credential_id: b64u(credentialId),
    client_data_json: b64u(cd),
    attestation_object: b64u(attestationObject(authData)),
    authenticator_data: b64u(authData),
    public_key: b64u(keys.spki),
    public_key_algorithm: alg,
    transports: ['internal'],
    // The vault keeps the user handle: the credential is always discoverable.
    resident_key: true,
  };
  return ok(result);
};

/** A new credential holding only the passkey, bound to the origin that registered it. */
function addNew(ctx: DaemonContext, label: string, origin: string, pk: HeldPasskey) {
  const r = ctx.vault.add([
    {
      label,
      origins: [origin],
      passkey: { rp_id: pk.rp_id, credential_id: pk.credential_id, user_handle: pk.user_handle, private_key: pk.private_key.toString('base64url'), sign_count: 0 },
    },
  ]);
  return r.ok ? ok(undefined) : r;
}

/** add: a passkey's private key must be one blindfill can sign with. */
export function passkeyKeyError(label: string, privateKey: string): Failure | null {
  const der = Buffer.from(privateKey, 'base64url');
  try {
    return keyAlg(der) === null ? fail('INVALID_REQUEST', `${label}: the passkey's private_key is not a PKCS#8 P-256 or Ed25519 key`) : null;
  } finally {
    der.fill(0);
  }
}
