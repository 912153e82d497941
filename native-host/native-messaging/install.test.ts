import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolvePaths } from '../paths.js';
import { readLauncherPins } from '../doctor/checks.js';
import { launcherScript, launcherScriptWindows, manifestDir, windowsRegistryKeys } from './host-manifest.js';
import { type HostEnv, hostTarget, installHost, regAddArgs, regPointsAt, uninstallHost } from './install.js';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-install-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function fakeEnv(platform: NodeJS.Platform, regState: Map<string, string>, calls: string[][]): HostEnv {
  return {
    platform,
    home: path.join(tmp, 'user'),
    env: {},
    paths: resolvePaths({ BLINDFILL_HOME: path.join(tmp, 'bfhome') }, 'linux'),
    nodePath: 'C:\\Program Files\\nodejs\\node.exe',
    programPath: 'C:\\blindfill\\dist\\blindfill.cjs',
    reg(args) {
      calls.push(args);
      const [verb, key] = args;
      if (verb === 'add') {
        regState.set(key!, args[args.indexOf('/d') + 1]!);
        return { status: 0, stdout: 'The operation completed successfully.' };
      }
      if (verb === 'query') {
        const v = regState.get(key!);
        return v === undefined ? { status: 1, stdout: '' } : { status: 0, stdout: `\r\n${key}\r\n    (Default)    REG_SZ    ${v}\r\n\r\n` };
      }
      if (verb === 'delete') return { status: regState.delete(key!) ? 0 : 1, stdout: '' };
      return { status: 1, stdout: '' };
    },
  };
}

describe('Windows registration (reg.exe command lines)', () => {
  it('registry keys per browser', () => {
    expect(windowsRegistryKeys('chrome')).toEqual(['HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\com.blindfill.host']);
    expect(windowsRegistryKeys('chromium')).toEqual(['HKCU\\Software\\Chromium\\NativeMessagingHosts\\com.blindfill.host']);
    expect(windowsRegistryKeys('edge')).toEqual(['HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\com.blindfill.host']);
    expect(windowsRegistryKeys('firefox')).toEqual(['HKCU\\Software\\Mozilla\\NativeMessagingHosts\\com.blindfill.host']);
    expect(windowsRegistryKeys('brave')).toEqual([
      'HKCU\\Software\\BraveSoftware\\Brave-Browser\\NativeMessagingHosts\\com.blindfill.host',
      'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\com.blindfill.host',
    ]);
    expect(regAddArgs('HKCU\\Software\\X', 'C:\\m.json')).toEqual(['add', 'HKCU\\Software\\X', '/ve', '/t', 'REG_SZ', '/d', 'C:\\m.json', '/f']);
  });

  it('install runs reg add for each key; uninstall deletes only keys that name our manifest', () => {
    const state = new Map<string, string>();
    const calls: string[][] = [];
    const h = fakeEnv('win32', state, calls);
    const r = installHost(h, 'edge');
    expect(r.manifestPath).toBe(path.join(h.paths.hostDir, 'edge', 'com.blindfill.host.json'));
    expect(r.launcherPath).toBe(path.join(h.paths.hostDir, 'edge-native-host.cmd'));
    expect(calls).toEqual([['add', 'HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\com.blindfill.host', '/ve', '/t', 'REG_SZ', '/d', r.manifestPath, '/f']]);
    const manifest = JSON.parse(fs.readFileSync(r.manifestPath, 'utf8'));
    expect(manifest.path).toBe(r.launcherPath);
    const cmd = fs.readFileSync(r.launcherPath, 'utf8');
    expect(cmd).toContain('"C:\\Program Files\\nodejs\\node.exe" "C:\\blindfill\\dist\\blindfill.cjs" native-host %*');
    expect(cmd.split('\r\n')[0]).toBe('@echo off');

    // Someone else's registration under the Chrome key stays.
    state.set('HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\com.blindfill.host', 'C:\\other\\manifest.json');
    calls.length = 0;
    const u = uninstallHost(h, 'edge');
    expect(u.removed).toContain('HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\com.blindfill.host');
    expect(calls.map((c) => c[0])).toEqual(['query', 'delete']);
    calls.length = 0;
    uninstallHost(h, 'chrome');
    expect(calls.map((c) => c[0])).toEqual(['query']);
    expect(state.has('HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\com.blindfill.host')).toBe(true);
  });

  it('parses reg query output', () => {
    const out = '\r\nHKEY_CURRENT_USER\\Software\\Chromium\\NativeMessagingHosts\\com.blindfill.host\r\n    (Default)    REG_SZ    C:\\Users\\Me\\AppData\\Roaming\\blindfill\\host\\chromium\\com.blindfill.host.json\r\n\r\n';
    expect(regPointsAt(out, 'c:\\users\\me\\appdata\\roaming\\blindfill\\host\\chromium\\com.blindfill.host.json')).toBe(true);
    expect(regPointsAt(out, 'C:\\elsewhere.json')).toBe(false);
  });

  it('the cmd launcher doubles % and the doctor reads its pins back', () => {
    const text = launcherScriptWindows('C:\\node\\node.exe', 'C:\\100%\\blindfill.cjs', 'C:\\Users\\Me\\AppData\\Roaming\\blindfill', 'chrome', ['cgmiligeknjljkoiajbjoapjihdgbodc']);
    expect(text).toContain('C:\\100%%\\blindfill.cjs');
    expect(readLauncherPins(text)).toEqual({ home: 'C:\\Users\\Me\\AppData\\Roaming\\blindfill', node: 'C:\\node\\node.exe', program: 'C:\\100%\\blindfill.cjs' });
    const sh = launcherScript("/opt/it's/node", '/x/blindfill.cjs', '/home/me/.local/share/blindfill', 'chromium', ['cgmiligeknjljkoiajbjoapjihdgbodc']);
    expect(readLauncherPins(sh)).toEqual({ home: '/home/me/.local/share/blindfill', node: "/opt/it's/node", program: '/x/blindfill.cjs' });
  });
});

describe('manifest locations', () => {
  it('Linux honours XDG_CONFIG_HOME for the Chromium family, not Firefox', () => {
    expect(manifestDir('chrome', 'linux', '/home/me', undefined, '/cfg')).toBe('/cfg/google-chrome/NativeMessagingHosts');
    expect(manifestDir('brave', 'linux', '/home/me')).toBe('/home/me/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts');
    expect(manifestDir('firefox', 'linux', '/home/me', undefined, '/cfg')).toBe('/home/me/.mozilla/native-messaging-hosts');
    expect(manifestDir('edge', 'darwin', '/Users/me')).toBe('/Users/me/Library/Application Support/Microsoft Edge/NativeMessagingHosts');
    expect(manifestDir('vivaldi', 'darwin', '/Users/me')).toBe('/Users/me/Library/Application Support/Vivaldi/NativeMessagingHosts');
    expect(manifestDir('firefox', 'darwin', '/Users/me')).toBe('/Users/me/Library/Application Support/Mozilla/NativeMessagingHosts');
    expect(manifestDir('chrome', 'win32', 'C:\\Users\\me')).toBeNull();
  });
  it('Flatpak targets live inside ~/.var/app/<id>/', () => {
    const h = fakeEnv('linux', new Map(), []);
    const t = hostTarget(h, 'firefox', { flatpak: true });
    expect(t).toMatchObject({ manifestPath: path.join(h.home, '.var/app/org.mozilla.firefox/.mozilla/native-messaging-hosts/com.blindfill.host.json') });
    expect(hostTarget(h, 'chrome', { flatpak: true, userDataDir: '/x' })).toEqual({ error: 'choose one of --flatpak and --user-data-dir' });
    expect(hostTarget({ ...h, platform: 'darwin' }, 'chrome', { flatpak: true })).toEqual({ error: '--flatpak applies to Linux only' });
  });
});
