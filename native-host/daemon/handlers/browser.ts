/** browser_hello: a native host announces the browser it serves; the daemon may then call it. */
import { ok } from '../../../shared/errors.js';
import type { Handler } from '../context.js';

export const browserHello: Handler<'browser_hello'> = async (req, ctx, meta) => {
  ctx.browsers.add(meta.conn, { browser: req.browser, extension_id: req.extension_id, connected_at: new Date(ctx.now()).toISOString() });
  return ok({ registered: true });
};
