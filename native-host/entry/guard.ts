/** Bundle `guard` (dist/lib/guard.cjs): `blindfill guard -- COMMAND…` and `blindfill redact`. */
import { runGuard } from '../guard/proxy.js';
import { runRedact } from '../guard/redact-cli.js';
import { resolvePaths } from '../paths.js';
import type { BundleMain } from './types.js';

export const main: BundleMain = async (argv, self) => {
  const [name, ...args] = argv;
  if (name === 'redact') return runRedact({ paths: resolvePaths(process.env), selfCommand: self, argv: args });
  const [command, ...rest] = args[0] === '--' ? args.slice(1) : args;
  if (command === undefined) {
    process.stderr.write('error INVALID_REQUEST: usage: blindfill guard -- COMMAND [ARGS...] (see blindfill guard --help)\n');
    return 2;
  }
  const code = await runGuard({ paths: resolvePaths(process.env), selfCommand: self, command, args: rest });
  process.exit(code);
};
