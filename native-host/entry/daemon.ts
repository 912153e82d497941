/** Bundle `daemon` (dist/lib/daemon.cjs): `blindfill daemon`. */
import { daemonOptionsFromEnv, runDaemon } from '../daemon/main.js';
import { resolvePaths } from '../paths.js';
import type { BundleMain } from './types.js';

export const main: BundleMain = () => runDaemon(resolvePaths(process.env), daemonOptionsFromEnv(process.env));
