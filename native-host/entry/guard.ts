/** Bundle `guard` (dist/lib/guard.cjs): `blindfill guard [--allow-tool NAME]… -- COMMAND…` and `blindfill redact`. */
import { runGuard } from '../guard/proxy.js';
import { runRedact } from '../guard/redact-cli.js';
import { parseGuardArgv } from '../guard/tool-policy.js';
import { resolvePaths } from '../paths.js';
import type { BundleMain } from './types.js';

export const main: BundleMain = async (argv, self) => {
  const [name, ...args] = argv;
  if (name === 'redact') return runRedact({ paths: resolvePaths(process.env), selfCommand: self, argv: args });
  const parsed = parseGuardArgv(args);
  if (!parsed.ok) {
    process.stderr.write(`error INVALID_REQUEST: ${parsed.message}; usage: blindfill guard [--allow-tool NAME]... -- COMMAND [ARGS...] (see blindfill guard --help)\n`);
    return 2;
  }
  const code = await runGuard({ paths: resolvePaths(process.env), selfCommand: self, command: parsed.command, args: parsed.args, allow: parsed.allow });
  process.exit(code);
};
