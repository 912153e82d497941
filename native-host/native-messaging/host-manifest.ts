/**
 * Where each browser looks for native messaging host manifests, and what we write there.
 * Pure: the caller passes platform and home directory.
 */
import path from 'node:path';
import { NATIVE_HOST_NAME } from '../../shared/constants.js';

export const HOST_BROWSERS = ['chromium', 'chrome', 'brave', 'edge', 'vivaldi', 'firefox'] as const;
export type HostBrowser = (typeof HOST_BROWSERS)[number];

export const FIREFOX_EXTENSION_ID = 'blindfill@blindfill.dev';

const LINUX: Record<HostBrowser, string> = {
  chromium: '.config/chromium/NativeMessagingHosts',
  chrome: '.config/google-chrome/NativeMessagingHosts',
  brave: '.config/BraveSoftware/Brave-Browser/NativeMessagingHosts',
  edge: '.config/microsoft-edge/NativeMessagingHosts',
  vivaldi: '.config/vivaldi/NativeMessagingHosts',
  firefox: '.mozilla/native-messaging-hosts',
};
const MAC: Record<HostBrowser, string> = {
  chromium: 'Library/Application Support/Chromium/NativeMessagingHosts',
  chrome: 'Library/Application Support/Google/Chrome/NativeMessagingHosts',
  brave: 'Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts',
  edge: 'Library/Application Support/Microsoft Edge/NativeMessagingHosts',
  vivaldi: 'Library/Application Support/Vivaldi/NativeMessagingHosts',
  firefox: 'Library/Application Support/Mozilla/NativeMessagingHosts',
};

/** The directory the manifest goes into; null on a platform we do not support yet. */
export function manifestDir(browser: HostBrowser, platform: NodeJS.Platform, homedir: string, userDataDir?: string): string | null {
  if (userDataDir !== undefined) {
    return browser === 'firefox' ? null : path.join(path.resolve(userDataDir), 'NativeMessagingHosts');
  }
  if (platform === 'linux') return path.join(homedir, LINUX[browser]);
  if (platform === 'darwin') return path.join(homedir, MAC[browser]);
  return null;
}

export function hostManifest(browser: HostBrowser, launcherPath: string, extensionIds: readonly string[]): Record<string, unknown> {
  const base = { name: NATIVE_HOST_NAME, description: 'blindfill native messaging host', path: launcherPath, type: 'stdio' };
  if (browser === 'firefox') return { ...base, allowed_extensions: [FIREFOX_EXTENSION_ID] };
  return { ...base, allowed_origins: extensionIds.map((id) => `chrome-extension://${id}/`) };
}

function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A launcher that pins node, the program and BLINDFILL_HOME (browsers started from a desktop have no PATH or nvm). */
export function launcherScript(nodePath: string, programPath: string, home: string, browser: HostBrowser, extensionIds: readonly string[]): string {
  return [
    '#!/bin/sh',
    '# blindfill native messaging host launcher (written by `blindfill host install`)',
    `BLINDFILL_HOME=${shQuote(home)}`,
    `BLINDFILL_BROWSER=${shQuote(browser)}`,
    `BLINDFILL_EXTENSION_IDS=${shQuote(extensionIds.join(','))}`,
    'export BLINDFILL_HOME BLINDFILL_BROWSER BLINDFILL_EXTENSION_IDS',
    'umask 077',
    '# stdout is the native messaging channel; the host log (never a secret) goes to host.log.',
    `exec ${shQuote(nodePath)} ${shQuote(programPath)} native-host "$@" 2>>"$BLINDFILL_HOME/host.log"`,
    '',
  ].join('\n');
}

/**
 * Which extension called us. Chrome passes `chrome-extension://ID/` (then, on Windows,
 * `--parent-window=`); Firefox passes the manifest path and then the add-on ID.
 * This is a filter, not authentication (any local program can start the host).
 */
export function callerFromArgv(args: readonly string[], allowedIds: readonly string[]): { ok: true; id: string } | { ok: false } {
  const chrome = args.find((a) => a.startsWith('chrome-extension://'));
  if (chrome !== undefined) {
    const m = /^chrome-extension:\/\/([a-p]{32})\/?$/.exec(chrome);
    if (m && allowedIds.includes(m[1]!)) return { ok: true, id: m[1]! };
    return { ok: false };
  }
  if (args.length >= 2 && args[1] === FIREFOX_EXTENSION_ID) return { ok: true, id: FIREFOX_EXTENSION_ID };
  return { ok: false };
}
