/**
 * What a blindfill process may inherit from whoever started it. Pure, no imports: the
 * router (native-host/main.ts) checks this before loading any bundle.
 *
 * - An inspector (`--inspect*`, in argv or NODE_OPTIONS) is a TCP port any local user
 *   can attach a debugger to and read the vault from; code-loading flags (`--require`,
 *   `--import`, `--loader`) run someone else's code inside the process; heap-snapshot
 *   flags write the process memory to disk. A process that has any of them refuses to run.
 * - The daemon and the native host keep only the environment variables they need (and the
 *   daemon is started with only those), so a NODE_OPTIONS set in a shell or an IDE terminal
 *   never reaches the process that holds the vault.
 */

/** Node options (after `_` → `-`, before any `=`) that make a process unsafe to hold secrets. */
const UNSAFE_OPTIONS = new Set([
  '--inspect',
  '--inspect-brk',
  '--inspect-port',
  '--inspect-wait',
  '--inspect-publish-uid',
  '--debug',
  '--debug-brk',
  '--debug-port',
  '-r',
  '--require',
  '--import',
  '--loader',
  '--experimental-loader',
  '--heapsnapshot-signal',
  '--heapsnapshot-near-heap-limit',
  '--heap-prof',
  '--experimental-policy',
]);

function optionName(token: string): string {
  const eq = token.indexOf('=');
  const name = eq < 0 ? token : token.slice(0, eq);
  // Node reads `--inspect_brk` as `--inspect-brk`; keep the leading dashes as they are.
  return name.startsWith('--') ? `--${name.slice(2).replace(/_/g, '-')}` : name;
}

/** Split NODE_OPTIONS the way Node does: whitespace, with "double quotes" and \-escapes inside them. */
export function splitNodeOptions(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inToken = false;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '\\' && i + 1 < s.length) cur += s[++i];
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') {
      quoted = true;
      inToken = true;
    } else if (/\s/.test(c)) {
      if (inToken) out.push(cur);
      cur = '';
      inToken = false;
    } else {
      cur += c;
      inToken = true;
    }
  }
  if (inToken) out.push(cur);
  return out;
}

/**
 * Why this process must not run, or null. `execArgv`: process.execArgv; `nodeOptions`:
 * the NODE_OPTIONS it started with; `inspectorUrl`: node:inspector's url() (set when an
 * inspector is open, whatever opened it).
 */
export function unsafeRuntime(execArgv: readonly string[], nodeOptions: string | undefined, inspectorUrl: string | undefined): string | null {
  if (inspectorUrl !== undefined && inspectorUrl !== '') return 'a Node.js inspector is open (a debugger port other users can attach to)';
  for (const [where, tokens] of [
    ['the node command line', execArgv],
    ['NODE_OPTIONS', splitNodeOptions(nodeOptions ?? '')],
  ] as const) {
    for (const t of tokens) {
      const name = optionName(t);
      if (UNSAFE_OPTIONS.has(name)) return `${where} carries ${name}`;
    }
  }
  return null;
}

const KEEP_EXACT = new Set([
  // every platform
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
  // typing, confirm dialogs and the keychain (X11, Wayland, D-Bus Secret Service)
  'DISPLAY',
  'XAUTHORITY',
  'WAYLAND_DISPLAY',
  'DBUS_SESSION_BUS_ADDRESS',
  'GNOME_KEYRING_CONTROL',
  // Windows (names compared upper-case there)
  'SYSTEMROOT',
  'WINDIR',
  'COMSPEC',
  'PATHEXT',
  'TEMP',
  'TMP',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
  'PROGRAMDATA',
  'USERNAME',
  'USERDOMAIN',
  'HOMEDRIVE',
  'HOMEPATH',
  'SYSTEMDRIVE',
]);
const KEEP_PREFIX = ['BLINDFILL_', 'XDG_', 'LC_'];

/** Is this variable one the daemon or the native host may see? */
export function keptEnvName(name: string, platform: NodeJS.Platform = process.platform): boolean {
  const n = platform === 'win32' ? name.toUpperCase() : name;
  return KEEP_EXACT.has(n) || KEEP_PREFIX.some((p) => n.startsWith(p));
}

/** Only the variables keptEnvName allows (for starting the daemon). */
export function cleanEnv(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && keptEnvName(k, platform)) out[k] = v;
  return out;
}

/** Drop every other variable from this process's own environment (daemon, native host). */
export function scrubOwnEnv(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): void {
  for (const k of Object.keys(env)) if (!keptEnvName(k, platform)) delete env[k];
}

/**
 * What the host launcher unsets before starting node: the variables Node reads at start,
 * before any blindfill code runs (the rest is dropped by scrubOwnEnv).
 */
export const NODE_STARTUP_ENV = [
  'NODE_OPTIONS',
  'NODE_PATH',
  'NODE_REPL_EXTERNAL_MODULE',
  'NODE_V8_COVERAGE',
  'NODE_DEBUG',
  'NODE_DEBUG_NATIVE',
  'NODE_EXTRA_CA_CERTS',
  'NODE_ICU_DATA',
  'NODE_PRESERVE_SYMLINKS',
  'NODE_REDIRECT_WARNINGS',
  'NODE_PENDING_DEPRECATION',
  'NODE_TLS_REJECT_UNAUTHORIZED',
  'NODE_COMPILE_CACHE',
  'UV_THREADPOOL_SIZE',
] as const;
