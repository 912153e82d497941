/**
 * The one entry of the bundled program (dist/blindfill.cjs): the CLI, plus the daemon,
 * the native messaging host and the MCP server, which run as subcommands of it.
 */
import fs from 'node:fs';
import { EXTENSION_ID } from '../shared/constants.js';
import { runCli } from './cli/main.js';
import { callerFromArgv } from './native-messaging/host-manifest.js';
import { resolvePaths } from './paths.js';

function selfCommand(): string[] {
  const script = process.argv[1];
  if (script === undefined) throw new Error('cannot locate the blindfill program');
  let real = script;
  try {
    real = fs.realpathSync(script);
  } catch {
    /* keep as given */
  }
  return [process.execPath, real];
}

const hostLog = (msg: string) => process.stderr.write(`blindfill-host[${process.pid}] ${msg}\n`);

async function main(): Promise<number> {
  const self = selfCommand();
  return runCli(process.argv.slice(2), self, {
    // Loaded on demand so that plain CLI commands start fast.
    daemon: async () => {
      const { daemonOptionsFromEnv, runDaemon } = await import('./daemon/main.js');
      return runDaemon(resolvePaths(process.env), daemonOptionsFromEnv(process.env));
    },
    'native-host': async (args) => {
      const allowed = [EXTENSION_ID, ...(process.env.BLINDFILL_EXTENSION_IDS ?? '').split(',').filter((s) => /^[a-p]{32}$/.test(s))];
      const caller = callerFromArgv(args, allowed);
      if (!caller.ok) {
        hostLog('refusing to serve: the caller is not the blindfill extension');
        return 1;
      }
      const b = process.env.BLINDFILL_BROWSER;
      const browser = b === 'chromium' || b === 'chrome' || b === 'brave' || b === 'edge' || b === 'vivaldi' || b === 'firefox' ? b : 'unknown';
      const { runHost } = await import('./native-messaging/host.js');
      const code = await runHost({
        paths: resolvePaths(process.env),
        selfCommand: self,
        browser,
        extensionId: caller.id,
        stdin: process.stdin,
        stdout: process.stdout,
        log: hostLog,
        browserTimeoutMs: Number(process.env.BLINDFILL_BROWSER_TIMEOUT_MS ?? 10_000),
      });
      process.exit(code);
    },
    mcp: async () => {
      const { runMcp } = await import('./mcp/server.js');
      const code = await runMcp({ paths: resolvePaths(process.env), selfCommand: self });
      process.exit(code);
    },
    guard: async (args) => {
      const [command, ...rest] = args[0] === '--' ? args.slice(1) : args;
      if (command === undefined) {
        process.stderr.write('error INVALID_REQUEST: usage: blindfill guard -- COMMAND [ARGS...] (see blindfill guard --help)\n');
        return 2;
      }
      const { runGuard } = await import('./guard/proxy.js');
      const code = await runGuard({ paths: resolvePaths(process.env), selfCommand: self, command, args: rest });
      process.exit(code);
    },
    redact: async (args) => {
      const { runRedact } = await import('./guard/redact-cli.js');
      return runRedact({ paths: resolvePaths(process.env), selfCommand: self, argv: args });
    },
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`error INTERNAL: ${(e as Error).message}\n`);
    process.exitCode = 1;
  },
);
