/** Routes `blindfill <command>` to its module; turns thrown expected errors into the contract's error line. */
import { ExpectedError } from '../../shared/errors.js';
import { resolvePaths } from '../paths.js';
import { addCmd, listCmd, removeCmd } from './commands/credentials.js';
import { auditCmd, fillCmd, passkeyCmd, typeCmd } from './commands/fill.js';
import { agentCmd } from './commands/agent.js';
import { daemonCmd } from './commands/daemon.js';
import { recoveryCmd } from './commands/recovery.js';
import { doctorCmd } from './commands/doctor.js';
import { editCmd, renameCmd } from './commands/edit.js';
import { changePasswordCmd, confirmPasswordCmd, createCmd, versionsCmd } from './commands/flows.js';
import { hostCmd } from './commands/host.js';
import { importCmd } from './commands/import.js';
import { mcpConfigCmd } from './commands/mcp-config.js';
import { passwdCmd } from './commands/passwd.js';
import { remoteCmd } from './commands/remote.js';
import { initCmd, lockCmd, statusCmd, unlockCmd } from './commands/session.js';
import { type CliContext, makeCliContext } from './context.js';
import { HELP } from './help.js';
import { CliExit, printError } from './io.js';

type Command = (ctx: CliContext, argv: string[]) => Promise<void>;

const COMMANDS: Record<string, Command> = {
  init: initCmd,
  unlock: unlockCmd,
  lock: lockCmd,
  status: statusCmd,
  add: addCmd,
  list: listCmd,
  remove: removeCmd,
  edit: editCmd,
  rename: renameCmd,
  passwd: passwdCmd,
  fill: fillCmd,
  type: typeCmd,
  passkey: passkeyCmd,
  audit: auditCmd,
  host: hostCmd,
  import: importCmd,
  doctor: doctorCmd,
  'mcp-config': mcpConfigCmd,
  agent: agentCmd,
  create: createCmd,
  'change-password': changePasswordCmd,
  versions: versionsCmd,
  'confirm-password': confirmPasswordCmd,
  remote: remoteCmd,
  daemon: daemonCmd,
  recovery: recoveryCmd,
};

export interface Extra {
  /** Commands wired by the entry file (daemon, native-host, mcp). */
  [name: string]: (argv: string[]) => Promise<number>;
}

export async function runCli(argv: string[], selfCommand: readonly string[], extra: Extra): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${HELP['']}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write('0.1.0\n');
    return 0;
  }
  // Options after `--` belong to a wrapped command (blindfill guard -- cmd --help).
  const own = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (own.includes('--help') || own.includes('-h')) {
    const h = HELP[name];
    if (h === undefined) {
      printError({ code: 'INVALID_REQUEST', message: `unknown command "${name}" (see blindfill --help)` });
      return 2;
    }
    process.stdout.write(`${h}\n`);
    return 0;
  }
  // `--socket PATH` on any command: talk to that socket (an agent socket) instead of our own daemon.
  const at = rest.indexOf('--socket');
  if (at >= 0 && (rest.indexOf('--') < 0 || at < rest.indexOf('--'))) {
    const p = rest[at + 1];
    if (p === undefined || !p.startsWith('/')) {
      printError({ code: 'INVALID_REQUEST', message: '--socket takes an absolute path (printed by `blindfill agent allow`)' });
      return 2;
    }
    process.env.BLINDFILL_SOCKET = p;
    rest.splice(at, 2);
  }
  const special = extra[name];
  if (special) return special(rest);
  const cmd = COMMANDS[name];
  if (!cmd) {
    printError({ code: 'INVALID_REQUEST', message: `unknown command "${name}" (see blindfill --help)` });
    return 2;
  }
  const ctx = makeCliContext(resolvePaths(process.env), selfCommand);
  try {
    await cmd(ctx, rest);
    return 0;
  } catch (e) {
    if (e instanceof CliExit) return e.exitCode;
    if (e instanceof ExpectedError) {
      printError(e);
      return 1;
    }
    const code = (e as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      // node:util parseArgs: unknown option or missing value; its message names the option only.
      printError({ code: 'INVALID_REQUEST', message: `${(e as Error).message.split('\n')[0]} (see blindfill ${name} --help)` });
      return 2;
    }
    printError({ code: 'INTERNAL', message: `unexpected failure in ${name} (a bug; see the daemon log)` });
    process.stderr.write(`${(e as Error).stack?.split('\n').slice(0, 6).join('\n') ?? ''}\n`);
    return 1;
  }
}
