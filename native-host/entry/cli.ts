/** Bundle `cli` (dist/lib/cli.cjs): every command a person types, and all help texts. */
import { runCli } from '../cli/main.js';
import type { BundleMain } from './types.js';

export const main: BundleMain = (argv, self) => runCli(argv, self, {});
