/**
 * A test CA in an NSS certificate store, with certutil (Debian libnss3-tools), so a real
 * browser validates the fixture sites' certificates itself: no --ignore-certificate-errors,
 * no acceptInsecureCerts, no exception.
 *
 * Chromium on Linux reads NSS from `$HOME/.pki/nssdb` only (no switch or profile dir), so
 * nssHome() makes a throw-away HOME for the browser. Firefox reads the profile's own
 * cert9.db: trustInNssDb(profileDir, …).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Create (if absent) the NSS store in `dir` and add `caPem` as a trusted CA for TLS servers ("C,,"). */
export function trustInNssDb(dir: string, caPem: string, nickname = 'blindfill test CA'): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const db = `sql:${dir}`;
  if (!fs.existsSync(path.join(dir, 'cert9.db'))) execFileSync('certutil', ['-d', db, '-N', '--empty-password'], { stdio: 'pipe', timeout: 20_000 });
  const caFile = path.join(dir, 'blindfill-test-ca.pem');
  fs.writeFileSync(caFile, caPem);
  execFileSync('certutil', ['-d', db, '-A', '-t', 'C,,', '-n', nickname, '-i', caFile], { stdio: 'pipe', timeout: 20_000 });
  fs.rmSync(caFile);
}

/** A new temp HOME whose `.pki/nssdb` trusts `caPem` (Chromium's store on Linux). The caller removes it. */
export function nssHome(caPem: string): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-nss-home-'));
  trustInNssDb(path.join(home, '.pki', 'nssdb'), caPem);
  return home;
}
