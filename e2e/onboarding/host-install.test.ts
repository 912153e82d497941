/**
 * `blindfill host install / uninstall` through the real CLI into a temporary HOME: every
 * browser's real directory, the manifest content, the launcher, `--all` by detection,
 * Flatpak and Snap browsers (fake ~/.var/app/… and ~/snap/… directories).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXTENSION_ID } from '../../shared/constants.js';
import type { Home, RunResult } from '../core/cli.js';
import { makeUserHome, removeUserHome } from './user-home.js';

let home: Home;
let user: string;
let emptyPath: string;

beforeEach(() => {
  ({ home, user, emptyPath } = makeUserHome());
});
afterEach(() => removeUserHome({ home, user, emptyPath }));

// PATH without browsers: detection sees only what the test creates under HOME.
const run = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> => home.run(args, undefined, { HOME: user, PATH: emptyPath, ...env });

const ORIGIN = `chrome-extension://${EXTENSION_ID}/`;
const DIRS: Record<string, string> = {
  chromium: '.config/chromium/NativeMessagingHosts',
  chrome: '.config/google-chrome/NativeMessagingHosts',
  brave: '.config/BraveSoftware/Brave-Browser/NativeMessagingHosts',
  edge: '.config/microsoft-edge/NativeMessagingHosts',
  vivaldi: '.config/vivaldi/NativeMessagingHosts',
  firefox: '.mozilla/native-messaging-hosts',
};

describe('host install / uninstall', () => {
  it.each(Object.entries(DIRS))('%s: manifest in its own directory, launcher pinning node and BLINDFILL_HOME; uninstall removes both', async (browser, rel) => {
    const r = await run(['host', 'install', '--browser', browser]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const manifestPath = path.join(user, rel, 'com.blindfill.host.json');
    expect(r.stdout.trim()).toBe(manifestPath);
    const m = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
    const launcher = path.join(home.dir, 'host', `${browser}-native-host`);
    expect(m).toMatchObject({ name: 'com.blindfill.host', type: 'stdio', path: launcher });
    if (browser === 'firefox') {
      expect(m.allowed_extensions).toEqual(['blindfill@blindfill.dev']);
      expect(m.allowed_origins).toBeUndefined();
    } else {
      expect(m.allowed_origins).toEqual([ORIGIN]);
    }
    expect(fs.statSync(manifestPath).mode & 0o777).toBe(0o644);
    expect(fs.statSync(launcher).mode & 0o777).toBe(0o700);
    const text = fs.readFileSync(launcher, 'utf8');
    expect(text).toContain(`BLINDFILL_HOME='${home.dir}'`);
    expect(text).toContain(`BLINDFILL_BROWSER='${browser}'`);
    expect(text).toContain(`exec '${process.execPath}' `);

    const u = await run(['host', 'uninstall', '--browser', browser]);
    expect(u.code).toBe(0);
    expect(u.stdout).toContain(`removed ${manifestPath}`);
    expect(u.stdout).toContain(`removed ${launcher}`);
    expect(fs.existsSync(manifestPath)).toBe(false);
    expect(fs.existsSync(launcher)).toBe(false);
    expect((await run(['host', 'uninstall', '--browser', browser])).stdout.trim()).toBe('nothing to remove');
  });

  it('honours XDG_CONFIG_HOME and --user-data-dir', async () => {
    const xdg = path.join(user, 'xdg');
    const r = await run(['host', 'install', '--browser', 'chrome'], { XDG_CONFIG_HOME: xdg });
    expect(r.stdout.trim()).toBe(path.join(xdg, 'google-chrome/NativeMessagingHosts/com.blindfill.host.json'));
    const udd = path.join(user, 'profile');
    const u = await run(['host', 'install', '--browser', 'brave', '--user-data-dir', udd]);
    expect(u.stdout.trim()).toBe(path.join(udd, 'NativeMessagingHosts/com.blindfill.host.json'));
    const f = await run(['host', 'install', '--browser', 'firefox', '--user-data-dir', udd]);
    expect(f.stderr).toMatch(/^error INVALID_REQUEST: --user-data-dir applies to Chromium-family browsers/);
  });

  it('--all installs for every browser found by its config directory, and uninstall --all removes them', async () => {
    const none = await run(['host', 'install', '--all']);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/^error NO_BROWSER: no installed browser found/);

    fs.mkdirSync(path.join(user, '.config/chromium'), { recursive: true });
    fs.mkdirSync(path.join(user, '.config/BraveSoftware/Brave-Browser'), { recursive: true });
    fs.mkdirSync(path.join(user, '.mozilla/firefox'), { recursive: true });
    const r = await run(['host', 'install', '--all']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['chromium', 'brave', 'firefox'].map((b) => path.join(user, DIRS[b]!, 'com.blindfill.host.json')));
    expect(fs.existsSync(path.join(user, DIRS.chrome!))).toBe(false);

    // A program on PATH counts too.
    fs.writeFileSync(path.join(emptyPath, 'vivaldi-stable'), '#!/bin/sh\n', { mode: 0o755 });
    const again = await run(['host', 'install', '--all']);
    expect(again.stdout).toContain(path.join(user, DIRS.vivaldi!, 'com.blindfill.host.json'));

    const u = await run(['host', 'uninstall', '--all']);
    expect(u.code).toBe(0);
    for (const b of ['chromium', 'brave', 'firefox', 'vivaldi']) expect(fs.existsSync(path.join(user, DIRS[b]!, 'com.blindfill.host.json'))).toBe(false);
    expect(fs.readdirSync(path.join(home.dir, 'host'))).toEqual([]);
  });

  it('Flatpak and Snap browsers: exact instructions, and --flatpak installs inside the sandbox', async () => {
    fs.mkdirSync(path.join(user, '.var/app/org.chromium.Chromium'), { recursive: true });
    fs.mkdirSync(path.join(user, 'snap/chromium'), { recursive: true });
    fs.mkdirSync(path.join(user, 'snap/firefox'), { recursive: true });

    const r = await run(['host', 'install', '--browser', 'chromium']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(path.join(user, DIRS.chromium!, 'com.blindfill.host.json'));
    expect(r.stderr).toContain('note: Flatpak chromium found (~/.var/app/org.chromium.Chromium)');
    expect(r.stderr).toContain('flatpak override --user --talk-name=org.freedesktop.Flatpak org.chromium.Chromium');
    expect(r.stderr).toContain('blindfill host install --browser chromium --flatpak');
    expect(r.stderr).toContain('note: Snap chromium found (~/snap/chromium)');
    expect(r.stderr).toMatch(/WebExtensions portal/);
    expect(r.stderr).not.toContain('Snap firefox');

    const all = await run(['host', 'install', '--all']);
    expect(all.stderr).toContain('Flatpak chromium');
    expect(all.stderr).toContain('Snap chromium');
    expect(all.stderr).toContain('Snap firefox found (~/snap/firefox)');

    const f = await run(['host', 'install', '--browser', 'chromium', '--flatpak']);
    expect(f.code).toBe(0);
    const manifestPath = path.join(user, '.var/app/org.chromium.Chromium/config/chromium/NativeMessagingHosts/com.blindfill.host.json');
    expect(f.stdout.trim()).toBe(manifestPath);
    expect(f.stderr).toContain('flatpak override --user --talk-name=org.freedesktop.Flatpak org.chromium.Chromium');
    const m = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
    const wrapper = path.join(user, '.var/app/org.chromium.Chromium/data/blindfill/native-host');
    expect(m).toMatchObject({ path: wrapper, allowed_origins: [ORIGIN] });
    expect(fs.readFileSync(wrapper, 'utf8')).toContain(`exec flatpak-spawn --host '${path.join(home.dir, 'host', 'chromium-native-host')}' "$@"`);
    expect(fs.statSync(wrapper).mode & 0o777).toBe(0o700);

    const u = await run(['host', 'uninstall', '--all']);
    expect(u.stdout).toContain(`removed ${manifestPath}`);
    expect(u.stdout).toContain(`removed ${wrapper}`);
    expect(fs.existsSync(manifestPath)).toBe(false);
  });

  it('refuses bad arguments with one error line', async () => {
    for (const args of [['host', 'install'], ['host', 'install', '--browser', 'opera'], ['host', 'install', '--all', '--browser', 'chrome'], ['host', 'remove', '--all'], ['host', 'install', '--all', '--user-data-dir', '/x']]) {
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^error INVALID_REQUEST: /);
    }
  });
});
