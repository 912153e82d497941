/**
 * The setting of an onboarding test: a fresh BLINDFILL_HOME, a HOME of its own (`user`)
 * and an empty directory to put on PATH, so that browser detection sees only what the
 * test creates under HOME.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Home, makeHome } from '../core/cli.js';

export interface UserHome {
  home: Home;
  user: string;
  emptyPath: string;
}

export function makeUserHome(): UserHome {
  return {
    home: makeHome(),
    user: fs.mkdtempSync(path.join(os.tmpdir(), 'bf-user-')),
    emptyPath: fs.mkdtempSync(path.join(os.tmpdir(), 'bf-path-')),
  };
}

/** Stop the daemon and remove all three directories. */
export async function removeUserHome(u: UserHome): Promise<void> {
  await u.home.stop();
  fs.rmSync(u.user, { recursive: true, force: true });
  fs.rmSync(u.emptyPath, { recursive: true, force: true });
}
