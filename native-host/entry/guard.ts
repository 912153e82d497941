/** Bundle `guard` (dist/lib/guard.cjs): `blindfill guard [--allow-tool NAME]… -- COMMAND…` and `blindfill redact`. */
import { runGuard } from '../guard/proxy.js';
import { parseArgs } from 'node:util';
import { runRedact } from '../guard/redact-cli.js';
import { runRelay } from '../guard/relay.js';
import { parseGuardArgv } from '../guard/tool-policy.js';
import { resolvePaths } from '../paths.js';
import type { BundleMain } from './types.js';

export const main: BundleMain = async (argv, self) => {
  const [name, ...args] = argv;
  if (name === 'redact') return runRedact({ paths: resolvePaths(process.env), selfCommand: self, argv: args });
  if (args.some((a) => a === '--socket' || a.startsWith('--socket='))) return relay(args);
  // Started by the daemon for an agent user: answer the agent's `guard` request once ready.
  let replyId: unknown;
  if (args[0] === '--reply-id') {
    try {
      replyId = JSON.parse(args[1] ?? '');
    } catch {
      replyId = 0;
    }
    args.splice(0, 2);
  }
  const parsed = parseGuardArgv(args);
  if (!parsed.ok) {
    process.stderr.write(`error INVALID_REQUEST: ${parsed.message}; usage: blindfill guard [--allow-tool NAME]... -- COMMAND [ARGS...] (see blindfill guard --help)\n`);
    return 2;
  }
  const reply = (body: object) => process.stdout.write(`${JSON.stringify({ t: 'res', id: replyId, ...body })}\n`);
  let ready = false;
  const onReady = replyId === undefined ? undefined : () => {
    ready = true;
    reply({ ok: true, result: { ready: true } });
  };
  const code = await runGuard({ paths: resolvePaths(process.env), selfCommand: self, command: parsed.command, args: parsed.args, allow: parsed.allow, ...(onReady ? { onReady } : {}) });
  if (replyId !== undefined && !ready) reply({ ok: false, code: 'INTERNAL', message: 'the browser tool did not start (see the daemon log)' });
  process.exit(code);
};

/** The agent user's side: no command, no --allow-tool (those are the owner's to register). */
async function relay(args: string[]): Promise<number> {
  if (args.includes('--') || args.some((a) => a.startsWith('--allow-tool'))) {
    process.stderr.write('error UNTRUSTED_CALLER: with --socket the browser tool is the one the owner registered (blindfill agent allow --user NAME --guard NAME -- COMMAND...); name it with --name, give no command or --allow-tool\n');
    return 2;
  }
  let values: { socket?: string | undefined; name?: string | undefined };
  try {
    values = parseArgs({ args, options: { socket: { type: 'string' }, name: { type: 'string' } }, strict: true }).values;
  } catch (e) {
    process.stderr.write(`error INVALID_REQUEST: ${(e as Error).message}; usage: blindfill guard --socket PATH [--name NAME]\n`);
    return 2;
  }
  const code = await runRelay({ socket: values.socket!, name: values.name ?? 'browser' });
  process.exit(code);
};
