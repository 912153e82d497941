/**
 * Registering and removing the native messaging host for each browser, on Linux, macOS
 * and Windows, and finding which browsers are installed (natively, or as Flatpak/Snap
 * packages, which need extra steps). File and registry effects go through `HostEnv`, so
 * tests run it against a temporary HOME and a fake `reg`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { EXTENSION_ID, NATIVE_HOST_NAME } from '../../shared/constants.js';
import type { Paths } from '../paths.js';
import { ensurePrivateDir } from '../vault/store.js';
import {
  FLATPAK,
  flatpakWrapperScript,
  HOST_BROWSERS,
  type HostBrowser,
  hostManifest,
  launcherScript,
  launcherScriptWindows,
  manifestDir,
  SNAP,
  windowsRegistryKeys,
} from './host-manifest.js';

export interface RegResult {
  status: number;
  stdout: string;
}

export interface HostEnv {
  platform: NodeJS.Platform;
  /** The user's home directory (os.homedir()). */
  home: string;
  env: NodeJS.ProcessEnv;
  paths: Paths;
  nodePath: string;
  programPath: string;
  /** Runs `reg.exe` with these arguments (Windows only). */
  reg: (args: string[]) => RegResult;
}

export function realReg(args: string[]): RegResult {
  const r = spawnSync('reg', args, { encoding: 'utf8', windowsHide: true });
  return { status: r.status ?? 1, stdout: r.stdout ?? '' };
}

/** Where one browser's registration lives. */
export interface HostTarget {
  browser: HostBrowser;
  manifestPath: string;
  launcherPath: string;
  /** Windows: registry keys whose default value must be manifestPath. */
  registryKeys: string[];
  /** Flatpak: the wrapper inside the sandbox that the manifest points at. */
  wrapperPath?: string;
}

export interface TargetOptions {
  userDataDir?: string;
  flatpak?: boolean;
}

export function launcherPath(h: HostEnv, browser: HostBrowser): string {
  return path.join(h.paths.hostDir, h.platform === 'win32' ? `${browser}-native-host.cmd` : `${browser}-native-host`);
}

/** The registration for `browser`, or a reason it cannot exist on this platform. */
export function hostTarget(h: HostEnv, browser: HostBrowser, o: TargetOptions = {}): HostTarget | { error: string } {
  const launcher = launcherPath(h, browser);
  const file = `${NATIVE_HOST_NAME}.json`;
  if (o.flatpak) {
    if (h.platform !== 'linux') return { error: '--flatpak applies to Linux only' };
    if (o.userDataDir !== undefined) return { error: 'choose one of --flatpak and --user-data-dir' };
    const f = FLATPAK[browser];
    const appDir = path.join(h.home, '.var', 'app', f.id);
    return {
      browser,
      manifestPath: path.join(appDir, f.dir, file),
      launcherPath: launcher,
      registryKeys: [],
      wrapperPath: path.join(appDir, 'data', 'blindfill', 'native-host'),
    };
  }
  if (h.platform === 'win32') {
    if (o.userDataDir !== undefined) return { error: '--user-data-dir is not used on Windows (the registry names the manifest)' };
    return { browser, manifestPath: path.join(h.paths.hostDir, browser, file), launcherPath: launcher, registryKeys: windowsRegistryKeys(browser) };
  }
  const dir = manifestDir(browser, h.platform, h.home, o.userDataDir, h.env.XDG_CONFIG_HOME);
  if (dir === null) {
    return { error: o.userDataDir !== undefined ? '--user-data-dir applies to Chromium-family browsers' : `host install is not supported on ${h.platform}` };
  }
  return { browser, manifestPath: path.join(dir, file), launcherPath: launcher, registryKeys: [] };
}

function writeFileAtomic(file: string, text: string, mode: number): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text, { mode });
  fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}

export interface Installed {
  manifestPath: string;
  launcherPath: string;
  registryKeys: string[];
  /** What the person still has to do (Flatpak permission). */
  notes: string[];
}

/** Write launcher, manifest (and registry keys / Flatpak wrapper). Throws a Failure-like `{code,message}`. */
export function installHost(h: HostEnv, browser: HostBrowser, o: TargetOptions & { extensionIds?: readonly string[] } = {}): Installed {
  const t = hostTarget(h, browser, o);
  if ('error' in t) throw { code: 'INVALID_REQUEST', message: t.error };
  const ids = o.extensionIds ?? [EXTENSION_ID];
  for (const dir of [h.paths.home, h.paths.hostDir]) {
    const r = ensurePrivateDir(dir);
    if (!r.ok) throw r;
  }
  // The launcher must be executable by the browser (same user): 0700 in a 0700 directory.
  const script = h.platform === 'win32' ? launcherScriptWindows : launcherScript;
  writeFileAtomic(t.launcherPath, script(h.nodePath, h.programPath, h.paths.home, browser, ids), 0o700);
  let manifestTargetPath = t.launcherPath;
  const notes: string[] = [];
  if (t.wrapperPath !== undefined) {
    fs.mkdirSync(path.dirname(t.wrapperPath), { recursive: true, mode: 0o700 });
    writeFileAtomic(t.wrapperPath, flatpakWrapperScript(t.launcherPath), 0o700);
    manifestTargetPath = t.wrapperPath;
    notes.push(
      `Flatpak ${FLATPAK[browser].id} can start the host only through flatpak-spawn; allow it once with:`,
      `  flatpak override --user --talk-name=org.freedesktop.Flatpak ${FLATPAK[browser].id}`,
      '(this lets the browser run commands outside its sandbox; then restart the browser)',
    );
  }
  fs.mkdirSync(path.dirname(t.manifestPath), { recursive: true });
  writeFileAtomic(t.manifestPath, `${JSON.stringify(hostManifest(browser, manifestTargetPath, ids), null, 2)}\n`, 0o644);
  for (const key of t.registryKeys) {
    const r = h.reg(regAddArgs(key, t.manifestPath));
    if (r.status !== 0) throw { code: 'WRITE_FAILED', message: `reg add ${key} failed (exit ${r.status})` };
  }
  recordRegistration(h, { browser, manifest: t.manifestPath, ...(o.flatpak ? { flatpak: true } : {}), ...(o.userDataDir !== undefined ? { user_data_dir: o.userDataDir } : {}) });
  return { manifestPath: t.manifestPath, launcherPath: t.launcherPath, registryKeys: t.registryKeys, notes };
}

/** `reg add KEY /ve /t REG_SZ /d MANIFEST /f`: the key's default value is the manifest path. */
export function regAddArgs(key: string, manifestPath: string): string[] {
  return ['add', key, '/ve', '/t', 'REG_SZ', '/d', manifestPath, '/f'];
}
export function regQueryArgs(key: string): string[] {
  return ['query', key, '/ve'];
}
export function regDeleteArgs(key: string): string[] {
  return ['delete', key, '/f'];
}

/** Does `reg query KEY /ve` output name this manifest as the default value? */
export function regPointsAt(queryStdout: string, manifestPath: string): boolean {
  const m = /REG_SZ\s+(.+?)\s*$/m.exec(queryStdout);
  return m !== null && m[1]!.toLowerCase() === manifestPath.toLowerCase();
}

export interface Removed {
  removed: string[];
}

/** Remove what installHost wrote for `browser` (only files named ours, only keys pointing at ours). */
export function uninstallHost(h: HostEnv, browser: HostBrowser, o: TargetOptions = {}): Removed {
  const t = hostTarget(h, browser, o);
  if ('error' in t) throw { code: 'INVALID_REQUEST', message: t.error };
  const removed: string[] = [];
  for (const key of t.registryKeys) {
    const q = h.reg(regQueryArgs(key));
    if (q.status === 0 && regPointsAt(q.stdout, t.manifestPath)) {
      const d = h.reg(regDeleteArgs(key));
      if (d.status !== 0) throw { code: 'WRITE_FAILED', message: `reg delete ${key} failed (exit ${d.status})` };
      removed.push(key);
    }
  }
  for (const p of [t.manifestPath, t.wrapperPath]) {
    if (p !== undefined && removeIfFile(p)) removed.push(p);
  }
  // The launcher is shared by every registration of this browser: keep it while another remains.
  const others = [hostTarget(h, browser), hostTarget(h, browser, { flatpak: true })].filter(
    (x): x is HostTarget => !('error' in x) && x.manifestPath !== t.manifestPath && fs.existsSync(x.manifestPath),
  );
  if (others.length === 0 && o.userDataDir === undefined && removeIfFile(t.launcherPath)) removed.push(t.launcherPath);
  forgetRegistration(h, t.manifestPath);
  return { removed };
}

// ---- what host install registered ---------------------------------------------------

/** One registration `host install` wrote: doctor checks it, and reinstalls it when its manifest is gone. */
export interface Registration {
  browser: HostBrowser;
  manifest: string;
  flatpak?: true;
  user_data_dir?: string;
}

const registrationsFile = (h: HostEnv) => path.join(h.paths.hostDir, 'registrations.json');

export function readRegistrations(h: HostEnv): Registration[] {
  try {
    const v = JSON.parse(fs.readFileSync(registrationsFile(h), 'utf8')) as unknown;
    if (!Array.isArray(v)) return [];
    return v.filter(
      (r): r is Registration =>
        typeof r === 'object' && r !== null && (HOST_BROWSERS as readonly unknown[]).includes((r as Registration).browser) && typeof (r as Registration).manifest === 'string',
    );
  } catch {
    return [];
  }
}

function writeRegistrations(h: HostEnv, regs: Registration[]): void {
  writeFileAtomic(registrationsFile(h), `${JSON.stringify(regs, null, 2)}\n`, 0o600);
}

function recordRegistration(h: HostEnv, r: Registration): void {
  writeRegistrations(h, [...readRegistrations(h).filter((x) => x.manifest !== r.manifest), r]);
}

function forgetRegistration(h: HostEnv, manifest: string): void {
  const regs = readRegistrations(h);
  const kept = regs.filter((x) => x.manifest !== manifest);
  if (kept.length === regs.length) return;
  // Nothing registered: leave no file behind (uninstall removes all that install wrote).
  if (kept.length === 0) removeIfFile(registrationsFile(h));
  else writeRegistrations(h, kept);
}

function removeIfFile(p: string): boolean {
  try {
    const st = fs.lstatSync(p);
    if (!st.isFile() && !st.isSymbolicLink()) return false;
    fs.unlinkSync(p);
    return true;
  } catch {
    return false;
  }
}

// ---- detection ----------------------------------------------------------------------

const LINUX_CONFIG: Record<HostBrowser, string> = {
  chromium: 'chromium',
  chrome: 'google-chrome',
  brave: 'BraveSoftware/Brave-Browser',
  edge: 'microsoft-edge',
  vivaldi: 'vivaldi',
  firefox: '',
};
const LINUX_BINARIES: Record<HostBrowser, string[]> = {
  chromium: ['chromium', 'chromium-browser'],
  chrome: ['google-chrome', 'google-chrome-stable'],
  brave: ['brave-browser', 'brave'],
  edge: ['microsoft-edge', 'microsoft-edge-stable'],
  vivaldi: ['vivaldi', 'vivaldi-stable'],
  firefox: ['firefox', 'firefox-esr'],
};
const MAC_CONFIG: Record<HostBrowser, string> = {
  chromium: 'Chromium',
  chrome: 'Google/Chrome',
  brave: 'BraveSoftware/Brave-Browser',
  edge: 'Microsoft Edge',
  vivaldi: 'Vivaldi',
  firefox: 'Firefox',
};
const MAC_APPS: Record<HostBrowser, string> = {
  chromium: 'Chromium.app',
  chrome: 'Google Chrome.app',
  brave: 'Brave Browser.app',
  edge: 'Microsoft Edge.app',
  vivaldi: 'Vivaldi.app',
  firefox: 'Firefox.app',
};
const WIN_CONFIG: Record<HostBrowser, string> = {
  chromium: 'Chromium\\User Data',
  chrome: 'Google\\Chrome\\User Data',
  brave: 'BraveSoftware\\Brave-Browser\\User Data',
  edge: 'Microsoft\\Edge\\User Data',
  vivaldi: 'Vivaldi\\User Data',
  firefox: '',
};

export interface Detected {
  browser: HostBrowser;
  /** What showed it is installed. */
  evidence: string;
}

function onPath(env: NodeJS.ProcessEnv, names: string[]): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    for (const n of names) {
      const p = path.join(dir, n);
      try {
        fs.accessSync(p, fs.constants.X_OK);
        if (fs.statSync(p).isFile()) return p;
      } catch {
        /* not here */
      }
    }
  }
  return null;
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Browsers installed natively (config directory or program found). */
export function detectBrowsers(h: HostEnv): Detected[] {
  const out: Detected[] = [];
  for (const b of HOST_BROWSERS) {
    const evidence = detectOne(h, b);
    if (evidence !== null) out.push({ browser: b, evidence });
  }
  return out;
}

function detectOne(h: HostEnv, b: HostBrowser): string | null {
  if (h.platform === 'linux') {
    const xdg = h.env.XDG_CONFIG_HOME && path.isAbsolute(h.env.XDG_CONFIG_HOME) ? h.env.XDG_CONFIG_HOME : path.join(h.home, '.config');
    const conf = b === 'firefox' ? path.join(h.home, '.mozilla', 'firefox') : path.join(xdg, LINUX_CONFIG[b]);
    if (isDir(conf)) return conf;
    return onPath(h.env, LINUX_BINARIES[b]);
  }
  if (h.platform === 'darwin') {
    const conf = path.join(h.home, 'Library', 'Application Support', MAC_CONFIG[b]);
    if (isDir(conf)) return conf;
    for (const root of ['/Applications', path.join(h.home, 'Applications')]) {
      const app = path.join(root, MAC_APPS[b]);
      if (isDir(app)) return app;
    }
    return null;
  }
  if (h.platform === 'win32') {
    const conf =
      b === 'firefox'
        ? path.join(h.env.APPDATA ?? path.join(h.home, 'AppData', 'Roaming'), 'Mozilla', 'Firefox')
        : path.join(h.env.LOCALAPPDATA ?? path.join(h.home, 'AppData', 'Local'), WIN_CONFIG[b]);
    return isDir(conf) ? conf : null;
  }
  return null;
}

export interface Sandboxed {
  browser: HostBrowser;
  kind: 'flatpak' | 'snap';
  id: string;
  dir: string;
}

/** Flatpak (~/.var/app/<id>/) and Snap (~/snap/<name>/) browsers. Linux only. */
export function detectSandboxed(h: HostEnv): Sandboxed[] {
  if (h.platform !== 'linux') return [];
  const out: Sandboxed[] = [];
  for (const b of HOST_BROWSERS) {
    const f = FLATPAK[b];
    const fdir = path.join(h.home, '.var', 'app', f.id);
    if (isDir(fdir)) out.push({ browser: b, kind: 'flatpak', id: f.id, dir: fdir });
    const s = SNAP[b];
    if (s !== undefined) {
      const sdir = path.join(h.home, 'snap', s);
      if (isDir(sdir)) out.push({ browser: b, kind: 'snap', id: s, dir: sdir });
    }
  }
  return out;
}

/** Exactly what to do for a sandboxed browser, one line each. */
export function sandboxAdvice(s: Sandboxed, h: HostEnv): string[] {
  const tilde = (p: string) => (p.startsWith(h.home + path.sep) ? `~${p.slice(h.home.length)}` : p);
  if (s.kind === 'flatpak') {
    const t = hostTarget(h, s.browser, { flatpak: true });
    const where = 'error' in t ? '' : tilde(t.manifestPath);
    return [
      `Flatpak ${s.browser} found (${tilde(s.dir)}): its sandbox cannot see the host manifest in the usual place nor start node outside it.`,
      `  1. flatpak override --user --talk-name=org.freedesktop.Flatpak ${s.id}   (lets it run the host through flatpak-spawn; it also lets the browser run other host commands)`,
      `  2. blindfill host install --browser ${s.browser} --flatpak   (writes ${where} and a wrapper inside the sandbox)`,
      `  3. restart the browser; check with: blindfill doctor`,
    ];
  }
  return [
    `Snap ${s.browser} found (${tilde(s.dir)}): it starts native hosts through the xdg-desktop-portal WebExtensions portal (Ubuntu 22.04 and later), which reads the usual manifest.`,
    `  1. blindfill host install --browser ${s.browser}   (the usual manifest location; the portal finds it there)`,
    `  2. restart the browser and approve the "blindfill" prompt the first time the extension connects`,
    `  3. if it never connects: a denied prompt is remembered in ~/.local/share/flatpak/db/webextensions (delete that file and log in again); otherwise use a non-Snap build of the browser`,
  ];
}
