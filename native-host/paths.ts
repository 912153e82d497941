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
  let socket = path.join(runDir, 'daemon.sock');
  if (platform === 'win32') {
    const tag = createHash('sha256').update(home).digest('hex').slice(0, 16);
    socket = `\\\\.\\pipe\\blindfill-${tag}`;
  } else if (Buffer.byteLength(socket) > MAX_SOCKET_PATH) {
    // A deep BLINDFILL_HOME would overflow sun_path: use a private per-home directory in /tmp.
    const tag = createHash('sha256').update(home).digest('hex').slice(0, 16);
    const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
    runDir = path.join(os.tmpdir(), `blindfill-${uid}`, tag);
    socket = path.join(runDir, 'daemon.sock');
  }
  return {
    home,
    vault: path.join(home, 'vault.bfv'),
    audit: path.join(home, 'audit.log'),
    settings: path.join(home, 'settings.json'),
    daemonLog: path.join(home, 'daemon.log'),
    runDir,
    socket,
    lockFile: path.join(runDir, 'daemon.pid'),
    hostDir: path.join(home, 'host'),
  };
}
