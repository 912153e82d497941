/** host install / uninstall: register the native messaging host with one browser or every installed one. */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXTENSION_ID } from '../../../shared/constants.js';
import type { Failure } from '../../../shared/errors.js';
import { HOST_BROWSERS, type HostBrowser } from '../../native-messaging/host-manifest.js';
import { detectBrowsers, detectSandboxed, type HostEnv, installHost, realReg, sandboxAdvice, uninstallHost } from '../../native-messaging/install.js';
import type { CliContext } from '../context.js';
import { die } from '../io.js';

const USAGE =
  'usage: blindfill host install (--browser chromium|chrome|brave|edge|vivaldi|firefox | --all) [--user-data-dir DIR] [--flatpak]\n' +
  '       blindfill host uninstall (--browser B | --all) [--user-data-dir DIR] [--flatpak]';

export function hostEnv(ctx: CliContext): HostEnv {
  const program = ctx.selfCommand[ctx.selfCommand.length - 1];
  if (program === undefined) throw new Error('no program path');
  return { platform: process.platform, home: os.homedir(), env: process.env, paths: ctx.paths, nodePath: process.execPath, programPath: path.resolve(program), reg: realReg };
}

function asFailure(e: unknown): Pick<Failure, 'code' | 'message'> | null {
  const f = e as { code?: unknown; message?: unknown };
  if (typeof f?.code === 'string' && /^[A-Z_]+$/.test(f.code) && typeof f.message === 'string') return f as Pick<Failure, 'code' | 'message'>;
  return null;
}

function note(lines: string[]): void {
  for (const l of lines) process.stderr.write(`note: ${l}\n`);
}

export async function hostCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      browser: { type: 'string' },
      all: { type: 'boolean' },
      flatpak: { type: 'boolean' },
      'user-data-dir': { type: 'string' },
      'extension-id': { type: 'string', multiple: true },
    },
    allowPositionals: true,
    strict: true,
  });
  const action = positionals[0];
  if ((action !== 'install' && action !== 'uninstall') || positionals.length !== 1) die({ code: 'INVALID_REQUEST', message: USAGE });
  const browser = values.browser as HostBrowser | undefined;
  if ((values.all === true) === (browser !== undefined)) die({ code: 'INVALID_REQUEST', message: `choose one of --browser B and --all\n${USAGE}` });
  if (browser !== undefined && !HOST_BROWSERS.includes(browser)) die({ code: 'INVALID_REQUEST', message: `--browser must be one of ${HOST_BROWSERS.join(', ')}` });
  if (values.all && values['user-data-dir'] !== undefined) die({ code: 'INVALID_REQUEST', message: '--user-data-dir names one browser profile: use it with --browser' });
  const ids = [EXTENSION_ID, ...(values['extension-id'] ?? [])];
  for (const id of ids) if (!/^[a-p]{32}$/.test(id)) die({ code: 'INVALID_REQUEST', message: `--extension-id "${id}" is not a Chromium extension ID` });

  const h = hostEnv(ctx);
  const opts = {
    ...(values['user-data-dir'] !== undefined ? { userDataDir: values['user-data-dir'] } : {}),
    ...(values.flatpak ? { flatpak: true } : {}),
  };
  const guard = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      const fail = asFailure(e);
      if (fail) die(fail);
      throw e;
    }
  };

  if (action === 'install') {
    let browsers: HostBrowser[];
    const sandboxed = detectSandboxed(h);
    if (browser !== undefined) browsers = [browser];
    else if (values.flatpak) browsers = sandboxed.filter((s) => s.kind === 'flatpak').map((s) => s.browser);
    else browsers = detectBrowsers(h).map((d) => d.browser);
    if (browsers.length === 0 && sandboxed.length === 0) {
      die({ code: 'NO_BROWSER', message: 'no installed browser found (looked for Chromium, Chrome, Brave, Edge, Vivaldi and Firefox): use --browser B' });
    }
    const paths: string[] = [];
    for (const b of browsers) {
      const r = guard(() => installHost(h, b, { ...opts, extensionIds: ids }));
      paths.push(r.manifestPath);
      note(r.notes);
    }
    if (paths.length > 0) ctx.out(paths.join('\n'));
    // Sandboxed copies of what was asked for (or of anything, with --all) need steps of their own.
    if (!values.flatpak) {
      for (const s of sandboxed) if (values.all || s.browser === browser) note(sandboxAdvice(s, h));
    }
    return;
  }

  const browsers: HostBrowser[] = browser !== undefined ? [browser] : [...HOST_BROWSERS];
  const removed: string[] = [];
  for (const b of browsers) {
    removed.push(...guard(() => uninstallHost(h, b, opts)).removed);
    if (values.all && !values.flatpak && process.platform === 'linux') {
      removed.push(...guard(() => uninstallHost(h, b, { flatpak: true })).removed);
    }
  }
  ctx.out(removed.length === 0 ? 'nothing to remove' : removed.map((p) => `removed ${p}`).join('\n'));
}
