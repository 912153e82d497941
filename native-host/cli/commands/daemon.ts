/**
 * `blindfill daemon restart | stop`. The daemon keeps the environment of whichever
 * command started it (its display, among others): the restart starts the new one itself,
 * though a browser's native host that reconnects first may start it instead. A stop always locks the vault first (the key and every secret
 * leave memory with the process), so after a restart the vault is locked: `blindfill
 * unlock` (a keychain vault needs no passphrase for it).
 */
import { parseArgs } from 'node:util';
import { StatusResultSchema } from '../../../shared/ipc.js';
import { requestOnce, startDaemon } from '../../ipc/client.js';
import type { CliContext } from '../context.js';
import { die } from '../io.js';

const USAGE = 'usage: blindfill daemon restart | stop';
/** How long a stopping daemon may take to exit. */
const STOP_WAIT_MS = 10_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function runningPid(ctx: CliContext): Promise<number | null> {
  const r = await requestOnce({ paths: ctx.paths, selfCommand: ctx.selfCommand, autostart: false }, { caller: 'cli', op: 'ping' }, 10_000);
  return r.ok ? (r.result as { pid: number }).pid : null;
}

async function stopDaemon(ctx: CliContext, pid: number): Promise<void> {
  const r = await requestOnce({ paths: ctx.paths, selfCommand: ctx.selfCommand, autostart: false }, { caller: 'cli', op: 'shutdown' }, 10_000);
  if (!r.ok && alive(pid)) die({ code: r.code, message: `the daemon (pid ${pid}) did not stop: ${r.message}` });
  const deadline = Date.now() + STOP_WAIT_MS;
  while (alive(pid)) {
    if (Date.now() > deadline) die({ code: 'DAEMON_UNAVAILABLE', message: `the daemon (pid ${pid}) is still running after ${STOP_WAIT_MS / 1000} s (see ${ctx.paths.daemonLog})` });
    await new Promise((res) => setTimeout(res, 25));
  }
}

export async function daemonCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true, strict: true });
  const action = positionals[0];
  if ((action !== 'restart' && action !== 'stop') || positionals.length !== 1) die({ code: 'INVALID_REQUEST', message: USAGE });
  if (ctx.paths.external) die({ code: 'INVALID_REQUEST', message: 'this command talks to another socket (--socket / BLINDFILL_SOCKET): only its owner can restart that daemon' });
  const old = await runningPid(ctx);
  if (old !== null) await stopDaemon(ctx, old);
  if (action === 'stop') {
    ctx.out(old === null ? 'no daemon was running' : `daemon stopped (pid ${old}); the vault is locked`);
    return;
  }
  // Start it at once, before a connected native host's reconnect could start one with the browser's environment.
  const started = startDaemon(ctx.paths, ctx.selfCommand);
  if ('ok' in started) die(started);
  await new Promise<void>((res) => {
    const t = setTimeout(res, 15_000);
    void started.ready.then(() => {
      clearTimeout(t);
      res();
    });
  });
  const st = StatusResultSchema.parse(await ctx.call({ op: 'status' }));
  const pid = await runningPid(ctx);
  const vault =
    st.vault === 'absent'
      ? 'no vault yet: blindfill init'
      : `the vault is locked: blindfill unlock${st.key_mode === 'keychain' ? ' (the key is in the OS keychain: no passphrase)' : ''}`;
  ctx.out(`${old === null ? 'daemon started' : `daemon restarted (pid ${old} → ${pid ?? '?'})`}; ${vault}`);
}
