/** Bundle `host` (dist/lib/host.cjs): `blindfill native-host ORIGIN` as a browser starts it. */
import { EXTENSION_ID } from '../../shared/constants.js';
import { callerFromArgv } from '../native-messaging/host-manifest.js';
import { runHost } from '../native-messaging/host.js';
import { resolvePaths } from '../paths.js';
import type { BundleMain } from './types.js';

const hostLog = (msg: string) => process.stderr.write(`blindfill-host[${process.pid}] ${msg}\n`);

export const main: BundleMain = async (argv, self) => {
  const args = argv.slice(1);
  const allowed = [EXTENSION_ID, ...(process.env.BLINDFILL_EXTENSION_IDS ?? '').split(',').filter((s) => /^[a-p]{32}$/.test(s))];
  const caller = callerFromArgv(args, allowed);
  if (!caller.ok) {
    hostLog('refusing to serve: the caller is not the blindfill extension');
    return 1;
  }
  const b = process.env.BLINDFILL_BROWSER;
  const browser = b === 'chromium' || b === 'chrome' || b === 'brave' || b === 'edge' || b === 'vivaldi' || b === 'firefox' ? b : 'unknown';
  const code = await runHost({
    paths: resolvePaths(process.env),
    selfCommand: self,
    browser,
    extensionId: caller.id,
    stdin: process.stdin,
    stdout: process.stdout,
    log: hostLog,
    browserTimeoutMs: Number(process.env.BLINDFILL_BROWSER_TIMEOUT_MS ?? 10_000),
  });
  process.exit(code);
};
