/**
 * `blindfill doctor`'s checks that need no daemon: directory and file permissions, and
 * each browser's native messaging registration (manifest, launcher, the program and node
 * it pins, and whether it refuses a foreign caller). Each check gives a status, one line
 * of explanation and, when something is wrong, one line saying how to fix it. Some
 * carry a `repair` that `--fix` may run: only repairs that are safe without asking.
 * Never reads a secret.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { EXTENSION_ID, EXTENSION_ORIGIN, NATIVE_HOST_NAME } from '../../shared/constants.js';
import type { ErrorCode } from '../../shared/errors.js';
import { FIREFOX_EXTENSION_ID, HOST_BROWSERS, type HostBrowser } from '../native-messaging/host-manifest.js';
import {
  detectBrowsers,
  detectSandboxed,
  type HostEnv,
  type HostTarget,
  hostTarget,
  installHost,
  readRegistrations,
  regPointsAt,
  regQueryArgs,
  type TargetOptions,
} from '../native-messaging/install.js';

export type Status = 'ok' | 'warn' | 'fail' | 'skip';

export interface Check {
  id: string;
  title: string;
  status: Status;
  message: string;
  /** One line: what the person should do. */
  fix?: string;
  /** Set by --fix: what was done. */
  fixed?: string;
  /** The error code the failure maps to (for the final `error CODE:` line). */
  code?: ErrorCode;
  /** A safe repair `--fix` may run; returns what it did. */
  repair?: () => string;
}

const POSIX = process.platform !== 'win32';
const uid = () => process.getuid?.();
const mode = (st: fs.Stats) => `0${(st.mode & 0o777).toString(8)}`;

function lstat(p: string): fs.Stats | null {
  try {
    return fs.lstatSync(p);
  } catch {
    return null;
  }
}

/** chmod through a descriptor opened without following symlinks, after re-checking owner and type. */
function safeChmod(p: string, want: number, kind: 'dir' | 'file'): string {
  const flags = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (kind === 'dir' ? (fs.constants.O_DIRECTORY ?? 0) : 0);
  const fd = fs.openSync(p, flags);
  try {
    const st = fs.fstatSync(fd);
    if (kind === 'dir' ? !st.isDirectory() : !st.isFile()) throw new Error(`${p} changed type`);
    if (uid() !== undefined && st.uid !== uid()) throw new Error(`${p} is not ours`);
    const before = mode(st);
    fs.fchmodSync(fd, want);
    return `chmod ${want.toString(8)} ${p} (was ${before})`;
  } finally {
    fs.closeSync(fd);
  }
}

/** A blindfill directory: must be a real directory, ours, 0700. Absent is fine unless `required`. */
export function checkPrivateDir(id: string, title: string, dir: string, required: boolean): Check {
  const st = lstat(dir);
  if (!st) {
    return required
      ? { id, title, status: 'fail', message: `${dir} does not exist`, fix: 'blindfill init --passphrase-stdin (or --keychain)', code: 'VAULT_ABSENT' }
      : { id, title, status: 'ok', message: `${dir} does not exist yet (created when needed)` };
  }
  if (st.isSymbolicLink()) return { id, title, status: 'fail', message: `${dir} is a symbolic link`, fix: `replace the link with a real directory (mode 0700); doctor will not touch it`, code: 'INSECURE_PERMISSIONS' };
  if (!st.isDirectory()) return { id, title, status: 'fail', message: `${dir} is not a directory`, fix: `move it away; blindfill recreates ${path.basename(dir)}`, code: 'INSECURE_PERMISSIONS' };
  if (!POSIX) return { id, title, status: 'ok', message: `${dir} (permissions come from the profile's ACLs)` };
  if (uid() !== undefined && st.uid !== uid()) {
    return { id, title, status: 'fail', message: `${dir} belongs to uid ${st.uid}, not to you (uid ${uid()})`, fix: 'use your own BLINDFILL_HOME; doctor will not change ownership', code: 'INSECURE_PERMISSIONS' };
  }
  if ((st.mode & 0o077) !== 0) {
    return {
      id,
      title,
      status: 'fail',
      message: `${dir} has mode ${mode(st)}: others can list or enter it`,
      fix: `chmod 700 ${dir}   (blindfill doctor --fix does this)`,
      code: 'INSECURE_PERMISSIONS',
      repair: () => safeChmod(dir, 0o700, 'dir'),
    };
  }
  return { id, title, status: 'ok', message: `${dir} is private (${mode(st)})` };
}

const HOME_FILES = ['vault.bfv', 'vault.bfv.bak', 'audit.log', 'settings.json', 'daemon.log', 'host.log'];

/** Files blindfill keeps in its home: regular, ours, 0600. */
export function checkHomeFiles(home: string): Check {
  const id = 'files';
  const title = 'files';
  if (!POSIX) return { id, title, status: 'ok', message: 'permissions come from the profile\'s ACLs' };
  const bad: string[] = [];
  const fixable: string[] = [];
  const hard: string[] = [];
  let seen = 0;
  for (const name of HOME_FILES) {
    const p = path.join(home, name);
    const st = lstat(p);
    if (!st) continue;
    seen++;
    if (st.isSymbolicLink() || !st.isFile()) hard.push(`${name} is ${st.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}`);
    else if (uid() !== undefined && st.uid !== uid()) hard.push(`${name} belongs to uid ${st.uid}`);
    else if ((st.mode & 0o077) !== 0) {
      bad.push(`${name} (${mode(st)})`);
      fixable.push(p);
    }
  }
  if (hard.length > 0) return { id, title, status: 'fail', message: hard.join('; '), fix: 'move these aside by hand; doctor will not touch them', code: 'INSECURE_PERMISSIONS' };
  if (bad.length > 0) {
    return {
      id,
      title,
      status: 'fail',
      message: `readable by others: ${bad.join(', ')}`,
      fix: `chmod 600 ${fixable.join(' ')}   (blindfill doctor --fix does this)`,
      code: 'INSECURE_PERMISSIONS',
      repair: () => fixable.map((p) => safeChmod(p, 0o600, 'file')).join('; '),
    };
  }
  return { id, title, status: 'ok', message: seen === 0 ? 'no files yet' : `${seen} file${seen === 1 ? '' : 's'}, all 0600 and yours` };
}

// ---- browsers ---------------------------------------------------------------------

interface LauncherPins {
  home?: string;
  node?: string;
  program?: string;
}

function unquote(s: string): string {
  return s.replace(/'\\''/g, "'");
}

/** What a launcher written by `host install` pins (sh or cmd syntax). */
export function readLauncherPins(text: string): LauncherPins {
  const pins: LauncherPins = {};
  const home = /^BLINDFILL_HOME='((?:[^']|'\\'')*)'$/m.exec(text) ?? /^set "BLINDFILL_HOME=(.*)"\r?$/m.exec(text);
  if (home) pins.home = unquote(home[1]!).replace(/%%/g, '%');
  const exec = /^exec '((?:[^']|'\\'')*)' '((?:[^']|'\\'')*)' native-host/m.exec(text) ?? /^"([^"]+)" "([^"]+)" native-host/m.exec(text);
  if (exec) {
    pins.node = unquote(exec[1]!).replace(/%%/g, '%');
    pins.program = unquote(exec[2]!).replace(/%%/g, '%');
  }
  return pins;
}

/** The extension IDs `host install` recorded in a launcher (BLINDFILL_EXTENSION_IDS), ours first; ours alone without one. */
export function recordedExtensionIds(launcherText: string | null): string[] {
  const m = launcherText === null ? null : (/^BLINDFILL_EXTENSION_IDS='([a-p,]*)'$/m.exec(launcherText) ?? /^set "BLINDFILL_EXTENSION_IDS=([a-p,]*)"\r?$/m.exec(launcherText));
  const ids = (m?.[1] ?? '').split(',').filter((id) => /^[a-p]{32}$/.test(id));
  return [...new Set([EXTENSION_ID, ...ids])];
}

function readText(p: string): string | null {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return null;
  }
}

function executable(p: string): boolean {
  try {
    if (!fs.statSync(p).isFile()) return false;
    if (process.platform === 'win32') return true;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Run the launcher as a browser would, but claiming to be another extension: it must refuse. */
function launcherRefusesForeignCaller(launcher: string): { ok: true } | { ok: false; why: string } {
  const r = spawnSync(launcher, ['chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/'], { env: {}, input: '', timeout: 15_000, encoding: 'utf8' });
  if (r.error) return { ok: false, why: `it could not be run (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})` };
  if (r.status === 0 || r.stdout.length > 0) return { ok: false, why: 'it served a caller that is not the blindfill extension' };
  if (r.status === null) return { ok: false, why: 'it did not exit' };
  return { ok: true };
}

interface ManifestProblem {
  message: string;
  repairable: boolean;
}

function manifestProblem(h: HostEnv, t: HostTarget, browser: HostBrowser): ManifestProblem | null {
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(fs.readFileSync(t.manifestPath, 'utf8')) as Record<string, unknown>;
  } catch {
    return { message: `${t.manifestPath} is not valid JSON`, repairable: true };
  }
  if (m.name !== NATIVE_HOST_NAME) return { message: `${t.manifestPath} names the host "${String(m.name)}", not ${NATIVE_HOST_NAME}`, repairable: true };
  if (m.type !== 'stdio') return { message: `${t.manifestPath} has type "${String(m.type)}", not stdio`, repairable: true };
  if (browser === 'firefox') {
    if (!Array.isArray(m.allowed_extensions) || !m.allowed_extensions.includes(FIREFOX_EXTENSION_ID)) {
      return { message: `${t.manifestPath} does not allow the add-on ${FIREFOX_EXTENSION_ID}`, repairable: true };
    }
  } else if (!Array.isArray(m.allowed_origins) || !m.allowed_origins.includes(EXTENSION_ORIGIN)) {
    return { message: `${t.manifestPath} does not allow the blindfill extension (${EXTENSION_ORIGIN})`, repairable: true };
  } else {
    // Any other extension the manifest lets start the host must be one `host install` was told about.
    const recorded = new Set(recordedExtensionIds(readText(t.launcherPath)).map((id) => `chrome-extension://${id}/`));
    const foreign = (m.allowed_origins as unknown[]).filter((o) => typeof o !== 'string' || !recorded.has(o)).map((o) => String(o));
    if (foreign.length > 0) {
      return { message: `${t.manifestPath} also lets ${foreign.join(', ')} start the host, which blindfill host install did not record`, repairable: true };
    }
  }
  const target = typeof m.path === 'string' ? m.path : '';
  const expected = t.wrapperPath ?? t.launcherPath;
  if (target !== expected) {
    if (!executable(target)) return { message: `the manifest points at ${target || '(nothing)'}, which is not an executable file`, repairable: true };
    return null; // someone else's working launcher: leave it
  }
  if (!executable(expected)) return { message: `the launcher ${expected} is missing or not executable`, repairable: true };
  if (t.wrapperPath !== undefined) {
    const w = fs.readFileSync(t.wrapperPath, 'utf8');
    if (!w.includes(t.launcherPath)) return { message: `the Flatpak wrapper ${t.wrapperPath} does not run ${t.launcherPath}`, repairable: true };
    if (!executable(t.launcherPath)) return { message: `the launcher ${t.launcherPath} is missing or not executable`, repairable: true };
  }
  const pins = readLauncherPins(fs.readFileSync(t.launcherPath, 'utf8'));
  if (pins.node === undefined || pins.program === undefined) return { message: `the launcher ${t.launcherPath} was not written by blindfill host install`, repairable: true };
  if (!executable(pins.node)) return { message: `the launcher runs node at ${pins.node}, which no longer exists`, repairable: true };
  if (!fs.existsSync(pins.program)) return { message: `the launcher runs ${pins.program}, which no longer exists`, repairable: true };
  if (pins.home !== undefined && path.resolve(pins.home) !== path.resolve(h.paths.home)) {
    return { message: `the launcher serves BLINDFILL_HOME=${pins.home}, not ${h.paths.home}`, repairable: true };
  }
  for (const key of t.registryKeys) {
    const q = h.reg(regQueryArgs(key));
    if (q.status !== 0 || !regPointsAt(q.stdout, t.manifestPath)) return { message: `the registry key ${key} does not name ${t.manifestPath}`, repairable: true };
  }
  if (h.platform !== 'win32') {
    const run = launcherRefusesForeignCaller(t.launcherPath);
    if (!run.ok) return { message: `the launcher ${t.launcherPath}: ${run.why}`, repairable: true };
  }
  return null;
}

/** One check per browser that is installed or registered (native and Flatpak), plus Snap notes. */
export function checkBrowsers(h: HostEnv): Check[] {
  const detected = new Map(detectBrowsers(h).map((d) => [d.browser, d.evidence]));
  const sandboxed = detectSandboxed(h);
  const out: Check[] = [];
  const registered = readRegistrations(h);
  for (const b of HOST_BROWSERS) {
    const variants: { opts: TargetOptions; present: boolean }[] = [
      { opts: {}, present: detected.has(b) },
      { opts: { flatpak: true }, present: sandboxed.some((s) => s.browser === b && s.kind === 'flatpak') },
      // Profiles registered with --user-data-dir are checked too.
      ...registered.filter((r) => r.browser === b && r.user_data_dir !== undefined).map((r) => ({ opts: { userDataDir: r.user_data_dir! }, present: false })),
    ];
    for (const v of variants) {
      const t = hostTarget(h, b, v.opts);
      if ('error' in t) continue;
      // A profile directory removed since: its registration went with it.
      if (v.opts.userDataDir !== undefined && !fs.existsSync(v.opts.userDataDir)) continue;
      const flatpak = v.opts.flatpak === true;
      const udd = v.opts.userDataDir;
      const id = flatpak ? `host:${b}-flatpak` : udd !== undefined ? `host:${b}:${udd}` : `host:${b}`;
      const title = flatpak ? `${b} (Flatpak)` : udd !== undefined ? `${b} (${udd})` : b;
      const install = `blindfill host install --browser ${b}${flatpak ? ' --flatpak' : ''}${udd !== undefined ? ` --user-data-dir ${udd}` : ''}`;
      const reinstall = () => {
        const r = installHost(h, b, { ...v.opts, extensionIds: recordedExtensionIds(readText(t.launcherPath)) });
        return `reinstalled ${r.manifestPath}`;
      };
      const exists = fs.existsSync(t.manifestPath) || t.registryKeys.some((k) => h.reg(regQueryArgs(k)).status === 0);
      if (!exists) {
        if (registered.some((r) => r.manifest === t.manifestPath)) {
          out.push({
            id,
            title,
            status: 'fail',
            message: `the host manifest blindfill host install wrote is gone (${t.manifestPath}): the browser cannot start blindfill`,
            fix: `${install}   (blindfill doctor --fix does this)`,
            code: 'NO_BROWSER',
            repair: reinstall,
          });
        } else if (v.present) out.push({ id, title, status: 'warn', message: `installed, but the blindfill host is not registered (${t.manifestPath})`, fix: install });
        continue;
      }
      const p = manifestProblem(h, t, b);
      if (p === null) {
        out.push({ id, title, status: 'ok', message: `${t.manifestPath} → ${t.wrapperPath ?? t.launcherPath} (refuses foreign callers)` });
        continue;
      }
      // The repair keeps only the IDs host install recorded (ours first), never one the manifest gained since.
      out.push({
        id,
        title,
        status: 'fail',
        message: p.message,
        fix: `${install}   (blindfill doctor --fix does this)`,
        code: 'NO_BROWSER',
        ...(p.repairable ? { repair: reinstall } : {}),
      });
    }
  }
  for (const s of sandboxed.filter((x) => x.kind === 'snap')) {
    out.push({
      id: `sandbox:${s.browser}-snap`,
      title: `${s.browser} (Snap)`,
      status: 'warn',
      message: `Snap ${s.browser} (${s.dir}) reaches the host only through the xdg-desktop-portal WebExtensions portal`,
      fix: `blindfill host install --browser ${s.browser}, restart it and approve the portal prompt (see blindfill host install --help)`,
    });
  }
  if (out.filter((c) => c.id.startsWith('host:')).length === 0) {
    out.push({ id: 'host', title: 'browsers', status: 'warn', message: 'no browser found and no blindfill host registered', fix: 'blindfill host install --browser chromium (or --all)' });
  }
  return out;
}
