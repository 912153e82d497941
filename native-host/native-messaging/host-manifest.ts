/**
 * Where each browser looks for native messaging host manifests, and what we write there.
 * Pure: the caller passes platform and home directory.
 */
import path from 'node:path';
import { NATIVE_HOST_NAME } from '../../shared/constants.js';
import { NODE_STARTUP_ENV } from '../process/runtime.js';

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

/**
 * The directory the manifest goes into; null on a platform where it is not a directory
 * (Windows: a registry key names the manifest, see WINDOWS_REGISTRY_KEYS).
 * On Linux the Chromium family honours XDG_CONFIG_HOME (their user data directory lives
 * there); Firefox always reads ~/.mozilla.
 */
export function manifestDir(browser: HostBrowser, platform: NodeJS.Platform, homedir: string, userDataDir?: string, xdgConfigHome?: string): string | null {
  if (userDataDir !== undefined) {
    return browser === 'firefox' ? null : path.join(path.resolve(userDataDir), 'NativeMessagingHosts');
  }
  if (platform === 'linux') {
    if (browser !== 'firefox' && xdgConfigHome && path.isAbsolute(xdgConfigHome)) {
      return path.join(xdgConfigHome, LINUX[browser].replace(/^\.config\//, ''));
    }
    return path.join(homedir, LINUX[browser]);
  }
  if (platform === 'darwin') return path.join(homedir, MAC[browser]);
  return null;
}

/**
 * Windows: HKCU keys whose default value is the manifest's path. Brave and Vivaldi also
 * read Google Chrome's key (the one documented place for Chromium-based browsers).
 */
export function windowsRegistryKeys(browser: HostBrowser): string[] {
  const k = (root: string) => `HKCU\\Software\\${root}\\NativeMessagingHosts\\${NATIVE_HOST_NAME}`;
  switch (browser) {
    case 'chrome':
      return [k('Google\\Chrome')];
    case 'chromium':
      return [k('Chromium')];
    case 'edge':
      return [k('Microsoft\\Edge')];
    case 'brave':
      return [k('BraveSoftware\\Brave-Browser'), k('Google\\Chrome')];
    case 'vivaldi':
      return [k('Vivaldi'), k('Google\\Chrome')];
    case 'firefox':
      return [k('Mozilla')];
  }
}

/** Windows launcher (.cmd): the same pins as launcherScript, in cmd syntax (% doubled). */
export function launcherScriptWindows(nodePath: string, programPath: string, home: string, browser: HostBrowser, extensionIds: readonly string[]): string {
  const q = (s: string) => s.replace(/%/g, '%%');
  return [
    '@echo off',
    'rem blindfill native messaging host launcher (written by `blindfill host install`)',
    `set "BLINDFILL_HOME=${q(home)}"`,
    `set "BLINDFILL_BROWSER=${browser}"`,
    `set "BLINDFILL_EXTENSION_IDS=${extensionIds.join(',')}"`,
    ...NODE_STARTUP_ENV.map((v) => `set "${v}="`),
    `"${q(nodePath)}" "${q(programPath)}" native-host %* 2>>"%BLINDFILL_HOME%\\host.log"`,
    '',
  ].join('\r\n');
}

/** Flatpak application IDs (Flathub) and, inside ~/.var/app/<id>/, where each keeps its manifests. */
export const FLATPAK: Record<HostBrowser, { id: string; dir: string }> = {
  chromium: { id: 'org.chromium.Chromium', dir: 'config/chromium/NativeMessagingHosts' },
  chrome: { id: 'com.google.Chrome', dir: 'config/google-chrome/NativeMessagingHosts' },
  brave: { id: 'com.brave.Browser', dir: 'config/BraveSoftware/Brave-Browser/NativeMessagingHosts' },
  edge: { id: 'com.microsoft.Edge', dir: 'config/microsoft-edge/NativeMessagingHosts' },
  vivaldi: { id: 'com.vivaldi.Vivaldi', dir: 'config/vivaldi/NativeMessagingHosts' },
  firefox: { id: 'org.mozilla.firefox', dir: '.mozilla/native-messaging-hosts' },
};

/** Snap package names (~/snap/<name>/). */
export const SNAP: Partial<Record<HostBrowser, string>> = { chromium: 'chromium', firefox: 'firefox', brave: 'brave', edge: 'microsoft-edge' };

/** A wrapper placed inside a Flatpak sandbox: runs the real launcher on the host. */
export function flatpakWrapperScript(hostLauncher: string): string {
  return [
    '#!/bin/sh',
    '# blindfill: started by a Flatpak browser; runs the host outside the sandbox.',
    '# Needs: flatpak override --user --talk-name=org.freedesktop.Flatpak <app id>',
    `exec flatpak-spawn --host ${shQuote(hostLauncher)} "$@"`,
    '',
  ].join('\n');
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
    '# What node reads before blindfill runs (the host drops the rest of the environment itself).',
    `unset ${NODE_STARTUP_ENV.join(' ')}`,
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
