/**
 * browser_hello: a native host asks to serve as the browser. Granted only when the
 * kernel's peer credentials and /proc show the browser chain (peer/verify-browser.ts);
 * anything else gets UNTRUSTED_CALLER, is audited, and never receives a value.
 */
import { fail, ok } from '../../../shared/errors.js';
import { verifyBrowserPeer } from '../../peer/verify-browser.js';
import type { Handler } from '../context.js';

export const browserHello: Handler<'browser_hello'> = async (req, ctx, meta) => {
  const refuse = (why: string) => {
    ctx.audit.append({ event: 'refusal', caller: meta.peer.describe(meta.caller), code: 'UNTRUSTED_CALLER', detail: `browser_hello: ${why}` });
    return fail('UNTRUSTED_CALLER', `this connection cannot act as the browser: ${why}`);
  };
  if (meta.peer.role !== 'owner') return refuse('only a native host on the owner socket may');
  const cred = await meta.peer.credentials();
  if (cred === null) return refuse('the peer process could not be identified (Linux with /usr/bin/python3 is needed)');
  const v = verifyBrowserPeer({ peerPid: cred.pid, peerUid: cred.uid, uid: ctx.uid, program: ctx.program });
  if (!v.ok) return refuse(v.reason);
  meta.peer.role = 'browser';
  meta.peer.browser = v.value;
  ctx.browsers.add(meta.conn, v.value, req.extension_id, new Date(ctx.now()).toISOString());
  ctx.audit.append({ event: 'browser', caller: meta.peer.describe(), detail: v.value.profile !== undefined ? `profile ${v.value.profile}` : 'connected' });
  return ok({ registered: true });
};
