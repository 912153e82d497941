/**
 * Which bundle serves a command line. Pure. Every process loads only the code of its own
 * role: the daemon, the native-messaging host and the MCP server are long-lived and
 * should not carry the CLI's commands, and a CLI call should not parse the daemon.
 */
export const BUNDLES = ['cli', 'daemon', 'host', 'mcp', 'guard'] as const;
export type BundleName = (typeof BUNDLES)[number];

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
  const bundle = Object.hasOwn(SPECIAL, name) ? SPECIAL[name] : undefined;
  if (bundle === undefined) return 'cli';
  // Options after `--` belong to a wrapped command (blindfill guard -- cmd --help).
  const own = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  return own.includes('--help') || own.includes('-h') ? 'cli' : bundle;
}
