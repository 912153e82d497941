/** What every CLI command gets: where things are, and a way to ask the daemon. */
import type { IpcResponse } from '../../shared/ipc.js';
import { requestOnce } from '../ipc/client.js';
import type { Paths } from '../paths.js';
import { die } from './io.js';

export interface CliContext {
  paths: Paths;
  selfCommand: readonly string[];
  /** Send one request to the daemon (starting it); on failure print `error CODE` and exit. */
  call(body: Record<string, unknown>, timeoutMs?: number): Promise<unknown>;
  /** The raw response, for commands that handle failures themselves. */
  callRaw(body: Record<string, unknown>, timeoutMs?: number): Promise<IpcResponse>;
  out(text: string): void;
}

export function makeCliContext(paths: Paths, selfCommand: readonly string[]): CliContext {
  const callRaw = (body: Record<string, unknown>, timeoutMs?: number) =>
    requestOnce({ paths, selfCommand, autostart: true }, { caller: 'cli', ...body }, timeoutMs);
  return {
    paths,
    selfCommand,
    callRaw,
    async call(body, timeoutMs) {
      const res = await callRaw(body, timeoutMs);
      if (!res.ok) die(res);
      return res.result;
    },
    out(text: string) {
      process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    },
  };
}
