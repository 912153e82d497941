/**
 * Where blindfill keeps its files (CONTRACT §2). Pure given env/platform/uid.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

export interface Paths {
  home: string;
  vault: string;
  audit: string;
  settings: string;
  daemonLog: string;
  runDir: string;
  /**
   * The top directory of runDir that blindfill creates and owns (0700): `home`, or in the
   * fallback `$XDG_RUNTIME_DIR/blindfill` or `TMPDIR/blindfill-UID`. Every directory from
   * it down to runDir must be ours and private; those above it may belong to root and be
   * shared only with the sticky bit (native-host/ipc/socket-path.ts checks both).
   */
  runRoot: string;
  /** runRoot sits in a directory other users can write (/tmp): the client also checks the listener's uid. */
  runShared: boolean;
  /** The socket was named by the caller (the agent socket of another user's daemon): connect only, never start a daemon; the daemon decides who we are. */
  external: boolean;
  socket: string;
  lockFile: string;
  hostDir: string;
}

/** Unix socket paths are limited to 107 bytes on Linux (103 on macOS). */
const MAX_SOCKET_PATH = 100;

export function defaultHome(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, homedir = os.homedir()): string {
  if (platform === 'darwin') return path.join(homedir, 'Library', 'Application Support', 'blindfill');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(homedir, 'AppData', 'Roaming'), 'blindfill');
  const xdg = env.XDG_DATA_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(homedir, '.local', 'share'), 'blindfill');
}

export function resolvePaths(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Paths {
  const home = path.resolve(env.BLINDFILL_HOME && env.BLINDFILL_HOME !== '' ? env.BLINDFILL_HOME : defaultHome(env, platform));
  let runDir = path.join(home, 'run');
  let runRoot = home;
  let runShared = false;
  let socket = path.join(runDir, 'daemon.sock');
  if (platform === 'win32') {
    const tag = createHash('sha256').update(home).digest('hex').slice(0, 16);
    socket = `\\\\.\\pipe\\blindfill-${tag}`;
  } else if (Buffer.byteLength(socket) > MAX_SOCKET_PATH) {
    // A deep BLINDFILL_HOME would overflow sun_path: use a private per-home directory in
    // the per-user runtime directory when there is one (already private to us), else in
    // the shared temporary directory.
    const tag = createHash('sha256').update(home).digest('hex').slice(0, 16);
    const xdg = env.XDG_RUNTIME_DIR;
    const inXdg = xdg && path.isAbsolute(xdg) ? path.join(xdg, 'blindfill') : null;
    if (inXdg !== null && Buffer.byteLength(path.join(inXdg, tag, 'daemon.sock')) <= MAX_SOCKET_PATH) {
      runRoot = inXdg;
    } else {
      const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
      const tmp = env.TMPDIR && path.isAbsolute(env.TMPDIR) ? path.resolve(env.TMPDIR) : '/tmp';
      runRoot = path.join(tmp, `blindfill-${uid}`);
      runShared = true;
    }
    runDir = path.join(runRoot, tag);
    socket = path.join(runDir, 'daemon.sock');
  }
  // `--socket PATH` (an agent user reaching another user's daemon through its agent socket).
  const given = env.BLINDFILL_SOCKET;
  const external = given !== undefined && path.isAbsolute(given);
  if (external) socket = given;
  return {
    home,
    external,
    vault: path.join(home, 'vault.bfv'),
    audit: path.join(home, 'audit.log'),
    settings: path.join(home, 'settings.json'),
    daemonLog: path.join(home, 'daemon.log'),
    runDir,
    runRoot,
    runShared,
    socket,
    lockFile: path.join(runDir, 'daemon.pid'),
    hostDir: path.join(home, 'host'),
  };
}
