/**
 * Runs in the page's MAIN world at document start: wraps navigator.credentials.get and
 * .create. A publicKey request is offered to blindfill's isolated content script
 * (passkey-bridge.ts) by a cancelable DOM event; when nothing is armed for this tab, or
 * the bridge is absent, the browser's own function is called with the page's arguments
 * unchanged. No secret ever reaches this world: only what the page itself receives
 * from any authenticator (client data, authenticator data, signature, public key).
 */
import { PASSKEY_REQUEST_EVENT, PASSKEY_RESPONSE_EVENT } from './names.js';

type Kind = 'get' | 'create';
interface Answer {
  id: string;
  passthrough?: boolean;
  ok?: boolean;
  result?: Record<string, unknown>;
  code?: string;
  message?: string;
}

(() => {
  const Container = (globalThis as { CredentialsContainer?: { prototype: CredentialsContainer } }).CredentialsContainer;
  if (!Container || typeof navigator === 'undefined' || !navigator.credentials) return;
  const proto = Container.prototype;
  // Injected again when a tab is armed (a page loaded before the extension started): wrap once.
  const MARK = Symbol.for('blindfill.passkey-shim');
  if ((proto as unknown as Record<symbol, unknown>)[MARK] === true) return;
  Object.defineProperty(proto, MARK, { value: true });
  const originalGet = proto.get;
  const originalCreate = proto.create;
  const pending = new Map<string, (a: Answer) => void>();
  let seq = 0;

  document.addEventListener(PASSKEY_RESPONSE_EVENT, (e) => {
    const detail = (e as CustomEvent<unknown>).detail;
    if (typeof detail !== 'string') return;
    let a: Answer;
    try {
      a = JSON.parse(detail) as Answer;
    } catch {
      return;
    }
    const done = pending.get(a.id);
    if (done) {
      pending.delete(a.id);
      done(a);
    }
  });

  const b64u = (src: BufferSource): string => {
    const u8 = src instanceof ArrayBuffer ? new Uint8Array(src) : new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
    let s = '';
    for (let i = 0; i < u8.length; i++) s += String.fromCharCode(u8[i]!);
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  };
  const bytes = (s: string): ArrayBuffer => {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
    const u8 = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);
    return u8.buffer;
  };
  const descriptors = (list: readonly PublicKeyCredentialDescriptor[] | undefined) =>
    list?.map((c) => ({ id: b64u(c.id), type: String(c.type), ...(c.transports ? { transports: c.transports.map(String) } : {}) }));

  function getOptions(pk: PublicKeyCredentialRequestOptions): Record<string, unknown> {
    const o: Record<string, unknown> = { challenge: b64u(pk.challenge) };
    if (pk.rpId !== undefined) o.rpId = String(pk.rpId);
    if (pk.allowCredentials !== undefined) o.allowCredentials = descriptors(pk.allowCredentials);
    if (pk.userVerification !== undefined) o.userVerification = String(pk.userVerification);
    return o;
  }
  function createOptions(pk: PublicKeyCredentialCreationOptions): Record<string, unknown> {
    const sel = pk.authenticatorSelection ?? {};
    const o: Record<string, unknown> = {
      challenge: b64u(pk.challenge),
      rp: { ...(pk.rp.id !== undefined ? { id: String(pk.rp.id) } : {}), ...(pk.rp.name !== undefined ? { name: String(pk.rp.name) } : {}) },
      user: { id: b64u(pk.user.id), name: String(pk.user.name ?? ''), displayName: String(pk.user.displayName ?? '') },
      pubKeyCredParams: (pk.pubKeyCredParams ?? []).map((p) => ({ type: String(p.type), alg: Number(p.alg) })),
    };
    if (pk.excludeCredentials !== undefined) o.excludeCredentials = descriptors(pk.excludeCredentials);
    if (sel.residentKey !== undefined) o.residentKey = String(sel.residentKey);
    if (sel.requireResidentKey !== undefined) o.requireResidentKey = Boolean(sel.requireResidentKey);
    if (sel.userVerification !== undefined) o.userVerification = String(sel.userVerification);
    if (pk.attestation !== undefined) o.attestation = String(pk.attestation);
    return o;
  }

  /** Offer the request to the bridge: null when no bridge took it (then the browser's own runs). */
  function offer(kind: Kind, options: Record<string, unknown>): Promise<Answer> | null {
    const id = `${Date.now().toString(36)}.${++seq}`;
    const answer = new Promise<Answer>((resolve) => pending.set(id, resolve));
    const ev = new CustomEvent(PASSKEY_REQUEST_EVENT, { detail: JSON.stringify({ id, kind, options }), cancelable: true });
    // The bridge cancels the event synchronously when it takes the request.
    if (document.dispatchEvent(ev)) {
      pending.delete(id);
      return null;
    }
    return answer;
  }

  const define = (o: object, props: Record<string, unknown>): void => {
    for (const [k, v] of Object.entries(props)) Object.defineProperty(o, k, { value: v, enumerable: true, configurable: true });
  };

  function credential(kind: Kind, r: Record<string, unknown>): PublicKeyCredential {
    const s = (k: string) => String(r[k] ?? '');
    const id = s('credential_id');
    let response: object;
    let json: Record<string, unknown>;
    if (kind === 'get') {
      response = Object.create(AuthenticatorAssertionResponse.prototype) as object;
      define(response, {
        clientDataJSON: bytes(s('client_data_json')),
        authenticatorData: bytes(s('authenticator_data')),
        signature: bytes(s('signature')),
        userHandle: s('user_handle') === '' ? null : bytes(s('user_handle')),
      });
      json = { clientDataJSON: s('client_data_json'), authenticatorData: s('authenticator_data'), signature: s('signature'), userHandle: s('user_handle') || undefined };
    } else {
      const transports = Array.isArray(r.transports) ? r.transports.map(String) : [];
      response = Object.create(AuthenticatorAttestationResponse.prototype) as object;
      define(response, {
        clientDataJSON: bytes(s('client_data_json')),
        attestationObject: bytes(s('attestation_object')),
        getTransports: () => [...transports],
        getAuthenticatorData: () => bytes(s('authenticator_data')),
        getPublicKey: () => bytes(s('public_key')),
        getPublicKeyAlgorithm: () => Number(r.public_key_algorithm),
      });
      json = {
        clientDataJSON: s('client_data_json'),
        attestationObject: s('attestation_object'),
        authenticatorData: s('authenticator_data'),
        publicKey: s('public_key'),
        publicKeyAlgorithm: Number(r.public_key_algorithm),
        transports,
      };
    }
    const ext = kind === 'create' ? { credProps: { rk: r.resident_key === true } } : {};
    const cred = Object.create(PublicKeyCredential.prototype) as object;
    define(cred, {
      id,
      rawId: bytes(id),
      type: 'public-key',
      authenticatorAttachment: 'platform',
      response,
      getClientExtensionResults: () => ({ ...ext }),
      toJSON: () => ({ id, rawId: id, type: 'public-key', authenticatorAttachment: 'platform', response: json, clientExtensionResults: { ...ext } }),
    });
    return cred as PublicKeyCredential;
  }

  const DOM_ERROR: Record<string, string> = {
    PASSKEY_EXISTS: 'InvalidStateError',
    UNSUPPORTED_ALGORITHM: 'NotSupportedError',
    RP_ID_MISMATCH: 'SecurityError',
    INSECURE_ORIGIN: 'SecurityError',
    INVALID_REQUEST: 'TypeError',
  };

  function wrap(kind: Kind, original: (this: CredentialsContainer, o?: CredentialRequestOptions | CredentialCreationOptions) => Promise<Credential | null>) {
    return function (this: CredentialsContainer, options?: CredentialRequestOptions & CredentialCreationOptions): Promise<Credential | null> {
      const pk = options?.publicKey;
      // Conditional (autofill) requests are the person's own: never armed.
      if (!pk || (options as { mediation?: string }).mediation === 'conditional') return original.call(this, options);
      let forwarded: Record<string, unknown>;
      try {
        forwarded = kind === 'get' ? getOptions(pk as PublicKeyCredentialRequestOptions) : createOptions(pk as PublicKeyCredentialCreationOptions);
      } catch {
        return original.call(this, options);
      }
      const answer = offer(kind, forwarded);
      if (answer === null) return original.call(this, options);
      return answer.then((a) => {
        if (a.passthrough) return original.call(this, options);
        if (options?.signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
        if (a.ok && a.result) return credential(kind, a.result);
        throw new DOMException(`blindfill ${a.code ?? 'INTERNAL'}: ${a.message ?? ''}`, DOM_ERROR[a.code ?? ''] ?? 'NotAllowedError');
      });
    };
  }

  const wrappedGet = wrap('get', originalGet as never);
  const wrappedCreate = wrap('create', originalCreate as never);
  Object.defineProperty(proto, 'get', { value: wrappedGet, writable: true, configurable: true, enumerable: true });
  Object.defineProperty(proto, 'create', { value: wrappedCreate, writable: true, configurable: true, enumerable: true });
})();
