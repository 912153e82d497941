/** type (type_credential): desktop typing. */
import { fail } from '../../../shared/errors.js';
import type { Handler } from '../context.js';

export const type: Handler<'type'> = async (req, ctx) => {
  const found = ctx.vault.get(req.label);
  if (!found.ok) return found;
  return fail('UNSUPPORTED_DISPLAY', 'desktop typing is not available in this build');
};
