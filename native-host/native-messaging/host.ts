/**
 * `blindfill native-host`: started by the browser, talks native messaging on stdio and
 * relays to the daemon (starting it when needed). stdout carries only frames; logs go to
 * stderr and never contain a value.
 */
import type { Readable, Writable } from 'node:stream';
import * as z from 'zod';
import { type BrowserRequest, BrowserResponseSchema } from '../../shared/browser-protocol.js';
import { MAX_BROWSER_TO_HOST, MAX_HOST_TO_BROWSER, VERSION } from '../../shared/constants.js';
import { fail } from '../../shared/errors.js';
import { BROWSER_OPS, BrowserCallSchema, type IpcOp } from '../../shared/ipc.js';
import { Connection } from '../ipc/connection.js';
import { connectDaemon } from '../ipc/client.js';
import type { Paths } from '../paths.js';
import { encodeFrame, FrameDecoder } from './framing.js';

/** Daemon ops the extension (settings page, popup) may ask for. */
export const EXTENSION_OPS: ReadonlySet<IpcOp> = new Set(BROWSER_OPS);

const ExtRequestSchema = z.looseObject({ t: z.literal('req'), id: z.union([z.number().int(), z.string().max(64)]), op: z.string().max(40) });
const ExtResponseSchema = z.strictObject({ t: z.literal('res'), id: z.union([z.number().int(), z.string().max(64)]), response: z.unknown() });

export interface HostOptions {
  paths: Paths;
  selfCommand: readonly string[];
  browser: 'chromium' | 'chrome' | 'brave' | 'edge' | 'vivaldi' | 'firefox' | 'unknown';
  extensionId: string;
  stdin: Readable;
  stdout: Writable;
  log: (msg: string) => void;
  browserTimeoutMs: number;
}

/** A fill that submits is answered after the page was watched for its outcome. */
function outcomeWait(request: BrowserRequest): number {
  return request.type === 'fill' && request.submit ? (request.outcomeWaitMs ?? 0) : 0;
}

export async function runHost(o: HostOptions): Promise<number> {
  let daemon: Connection | null = null;
  let nextExtId = 1;
  const waiting = new Map<number, (response: unknown) => void>();
  let ended = false;

  const send = (msg: unknown): boolean => {
    const frame = encodeFrame(msg, MAX_HOST_TO_BROWSER);
    if (frame === null) return false;
    o.stdout.write(frame);
    return true;
  };

  // Daemon → browser: forward a browser_call and relay the extension's answer.
  const onDaemonRequest = async (message: unknown): Promise<Record<string, unknown>> => {
    const call = BrowserCallSchema.safeParse(message);
    if (!call.success) return { ok: false, code: 'INVALID_REQUEST', message: 'the host only relays browser_call' };
    const id = nextExtId++;
    const answer = new Promise<unknown>((resolve) => {
      waiting.set(id, resolve);
      setTimeout(() => {
        if (waiting.delete(id)) resolve(fail('TIMEOUT', 'the extension did not answer in time'));
      }, o.browserTimeoutMs + outcomeWait(call.data.request)).unref();
    });
    if (!send({ t: 'req', id, request: call.data.request })) {
      waiting.delete(id);
      return { ok: false, code: 'INTERNAL', message: 'request too large for native messaging' };
    }
    const response = await answer;
    const parsed = BrowserResponseSchema.safeParse(response);
    if (!parsed.success) return { ok: false, code: 'INTERNAL', message: 'the extension answered with a malformed message' };
    return { ok: true, result: parsed.data };
  };

  // One connection attempt at a time: a message arriving while we connect waits for it.
  let connecting: Promise<boolean> | null = null;
  const connect = (): Promise<boolean> => {
    connecting ??= connectOnce().finally(() => {
      connecting = null;
    });
    return connecting;
  };
  const connectOnce = async (): Promise<boolean> => {
    const c = await connectDaemon({ paths: o.paths, autostart: true, selfCommand: o.selfCommand, handler: onDaemonRequest });
    if (!(c instanceof Connection)) {
      o.log(`cannot reach the daemon: ${c.code}`);
      return false;
    }
    const hello = await c.request({ op: 'browser_hello', caller: 'extension', browser: o.browser, extension_id: o.extensionId, pid: process.pid }, 10_000);
    if (!hello.ok) {
      o.log(`daemon refused hello: ${hello.code}`);
      c.close();
      return false;
    }
    daemon = c;
    c.onClosed(() => {
      if (daemon === c) daemon = null;
      if (!ended) scheduleReconnect();
    });
    send({ t: 'hello', version: VERSION, daemon: true });
    return true;
  };

  let backoff = 250;
  let reconnecting = false;
  const scheduleReconnect = () => {
    if (reconnecting || ended) return;
    reconnecting = true;
    const attempt = async () => {
      if (ended) return;
      if (await connect()) {
        reconnecting = false;
        backoff = 250;
        return;
      }
      backoff = Math.min(backoff * 2, 10_000);
      setTimeout(attempt, backoff).unref();
    };
    setTimeout(attempt, backoff).unref();
  };

  // Browser → host.
  const onExtensionMessage = async (msg: unknown) => {
    const res = ExtResponseSchema.safeParse(msg);
    if (res.success) {
      if (typeof res.data.id === 'number') waiting.get(res.data.id)?.(res.data.response);
      if (typeof res.data.id === 'number') waiting.delete(res.data.id);
      return;
    }
    const req = ExtRequestSchema.safeParse(msg);
    if (!req.success) {
      o.log('ignored a malformed message from the extension');
      return;
    }
    const { t: _t, id, op, ...rest } = req.data;
    const reply = (body: Record<string, unknown>) => {
      if (!send({ t: 'res', id, ...body })) send({ t: 'res', id, ok: false, code: 'INTERNAL', message: 'reply too large for native messaging' });
    };
    if (!EXTENSION_OPS.has(op as IpcOp)) {
      reply({ ok: false, code: 'INVALID_REQUEST', message: `the extension may not call ${op}` });
      return;
    }
    if (daemon === null && !(await connect())) {
      reply({ ok: false, code: 'DAEMON_UNAVAILABLE', message: 'the blindfill daemon is not reachable' });
      return;
    }
    const current: Connection = daemon!;
    const r = await current.request({ ...rest, op, caller: 'extension' }, 120_000);
    if (r.ok) reply({ ok: true, result: r.result });
    else reply({ ok: false, code: r.code, message: r.message });
  };

  const decoder = new FrameDecoder(MAX_BROWSER_TO_HOST);
  const done = new Promise<number>((resolve) => {
    o.stdin.on('data', (chunk: Buffer) => {
      for (const ev of decoder.push(chunk)) {
        if (ev.kind === 'error') {
          o.log(`closing: bad frame from the browser (${ev.reason})`);
          ended = true;
          resolve(1);
          return;
        }
        void onExtensionMessage(ev.value);
      }
    });
    o.stdin.on('end', () => {
      ended = true;
      if (decoder.truncated) o.log('the browser closed the pipe in the middle of a frame');
      resolve(0);
    });
  });

  if (!(await connect())) scheduleReconnect();
  const code = await done;
  (daemon as Connection | null)?.close();
  return code;
}
