/**
 * Which bundle serves a command line. Pure. Every process loads only the code of its own
 * role: the daemon, the native-messaging host and the MCP server are long-lived and
 * should not carry the CLI's commands, and a CLI call should not parse the daemon.
 */
export const BUNDLES = ['cli', 'daemon', 'host', 'mcp', 'guard'] as const;
export type BundleName = (typeof BUNDLES)[number];

/**
 * V8 flags a bundle's process is started with when blindfill starts it (the daemon, by
 * native-host/ipc/client.ts). The code cache of that bundle is written under the same
 * flags, since V8 refuses a cache made under others.
 * - daemon: a 1 MiB young generation (V8's default grows to 16 MiB per semi-space). The
 *   daemon is long-lived and mostly idle; the young generation it grows while unlocking a
 *   large vault stayed resident for seconds to minutes. Scavenges are more frequent, each
 *   cheaper.
 */
export const BUNDLE_NODE_FLAGS: Readonly<Record<BundleName, readonly string[]>> = {
  cli: [],
  daemon: ['--max-semi-space-size=1'],
  host: [],
  mcp: [],
  guard: [],
};

/**
 * Environment the daemon is started with (glibc malloc; other C libraries ignore it).
 * A fixed mmap threshold: glibc otherwise raises it after the first large free, so the
 * buffers of an unlock (the vault file, its decoded and decrypted copies, ~2 MB each for
 * 10,000 credentials) come from the brk heap afterwards and stay resident once freed.
 * Measured: a daemon holding 10,000 credentials settled at 75 MiB without, 58 MiB with.
 */
export const DAEMON_ENV: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: '131072' };

const SPECIAL: Readonly<Record<string, BundleName>> = {
  daemon: 'daemon',
  'native-host': 'host',
  mcp: 'mcp',
  guard: 'guard',
  redact: 'guard',
};


/** `argv` is what follows the program (process.argv.slice(2)). Help always comes from the CLI. */
export function bundleFor(argv: readonly string[]): BundleName {
  const [name, ...rest] = argv;
  if (name === undefined) return 'cli';
  // `blindfill daemon restart|stop` is a person's command, served (or refused) by the CLI;
  // the daemon itself is started with no further argument.
  if (name === 'daemon' && rest.length > 0) return 'cli';
  const bundle = Object.hasOwn(SPECIAL, name) ? SPECIAL[name] : undefined;
  if (bundle === undefined) return 'cli';
  // Options after `--` belong to a wrapped command (blindfill guard -- cmd --help).
  const own = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  return own.includes('--help') || own.includes('-h') ? 'cli' : bundle;
}
