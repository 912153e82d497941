/** host install: register the native messaging host with a browser. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXTENSION_ID } from '../../../shared/constants.js';
import { NATIVE_HOST_NAME } from '../../../shared/constants.js';
import { HOST_BROWSERS, type HostBrowser, hostManifest, launcherScript, manifestDir } from '../../native-messaging/host-manifest.js';
import { ensurePrivateDir } from '../../vault/store.js';
import type { CliContext } from '../context.js';
import { die } from '../io.js';

function writeFileAtomic(file: string, text: string, mode: number): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text, { mode });
  fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}

export async function hostCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { browser: { type: 'string' }, 'user-data-dir': { type: 'string' }, 'extension-id': { type: 'string', multiple: true } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals[0] !== 'install' || positionals.length !== 1) {
    die({ code: 'INVALID_REQUEST', message: 'usage: blindfill host install --browser chromium|chrome|brave|edge|vivaldi|firefox [--user-data-dir DIR]' });
  }
  const browser = values.browser as HostBrowser | undefined;
  if (browser === undefined || !HOST_BROWSERS.includes(browser)) {
    die({ code: 'INVALID_REQUEST', message: `--browser must be one of ${HOST_BROWSERS.join(', ')}` });
  }
  const ids = [EXTENSION_ID, ...(values['extension-id'] ?? [])];
  for (const id of ids) if (!/^[a-p]{32}$/.test(id)) die({ code: 'INVALID_REQUEST', message: `--extension-id "${id}" is not a Chromium extension ID` });
  const dir = manifestDir(browser, process.platform, os.homedir(), values['user-data-dir']);
  if (dir === null) {
    die({
      code: 'INVALID_REQUEST',
      message: values['user-data-dir'] !== undefined ? '--user-data-dir applies to Chromium-family browsers' : `host install is not supported on ${process.platform} yet`,
    });
  }
  const home = ensurePrivateDir(ctx.paths.home);
  if (!home.ok) die(home);
  const hostDir = ensurePrivateDir(ctx.paths.hostDir);
  if (!hostDir.ok) die(hostDir);
  const program = ctx.selfCommand[ctx.selfCommand.length - 1];
  if (program === undefined) throw new Error('no program path');
  const launcher = path.join(ctx.paths.hostDir, `${browser}-native-host`);
  // The launcher must be executable by the browser (same user): 0700 in a 0700 directory.
  writeFileAtomic(launcher, launcherScript(process.execPath, path.resolve(program), ctx.paths.home, browser, ids), 0o700);
  fs.mkdirSync(dir, { recursive: true });
  const manifestPath = path.join(dir, `${NATIVE_HOST_NAME}.json`);
  writeFileAtomic(manifestPath, `${JSON.stringify(hostManifest(browser, launcher, ids), null, 2)}\n`, 0o644);
  ctx.out(manifestPath);
}
