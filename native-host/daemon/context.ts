/** What every daemon handler is given. Adapters are injected so handlers stay testable. */
import type { Result } from '../../shared/errors.js';
import type { IpcOp, IpcRequestOf } from '../../shared/ipc.js';
import type { AuditEvent } from '../audit/chain.js';
import type { Connection } from '../ipc/connection.js';
import type { Paths } from '../paths.js';
import type { AgentAccess } from './agents.js';
import type { BrowserRegistry } from './browsers.js';
import type { PeerState } from './peers.js';
import type { Confirmer } from './confirm.js';
import type { RateLimiter } from './rate-limit.js';
import type { VaultState } from './vault-state.js';
import type { RemoteControl } from '../remote/attach.js';

export interface AutoLock {
  /** Restart the idle countdown (a use of the vault). */
  touch(): void;
  setTimeoutSeconds(s: number): void;
  readonly timeoutSeconds: number;
  /** Seconds until the vault locks itself, or undefined when locked. */
  remainingSeconds(): number | undefined;
}

export interface Auditor {
  append(ev: AuditEvent): void;
  verify(): Result<{ lines: number }>;
}

export interface DaemonContext {
  paths: Paths;
  vault: VaultState;
  audit: Auditor;
  browsers: BrowserRegistry;
  autoLock: AutoLock;
  now: () => number;
  /** Browser round-trip limit. */
  browserTimeoutMs: number;
  /** How long a fill waits for a browser to connect before NO_BROWSER. */
  browserWaitMs: number;
  /** After a submit, how long the extension watches the page for the outcome (0: not at all). */
  outcomeWaitMs: number;
  /** The daemon's uid and the program file it runs: what a native host must match. */
  uid: number;
  program: string;
  agents: AgentAccess;
  /** Test seam (env BLINDFILL_TEST_FILL_DELAY_MS): pause between probe and fill. */
  testFillDelayMs: number;
  /** Asks a person to approve uses of `confirm` credentials. */
  confirmer: Confirmer;
  confirmTimeoutMs: number;
  rateLimiter: RateLimiter;
  requestShutdown: () => void;
  /** Remote vaults (absent in unit tests that do not need them). */
  remotes?: RemoteControl;
}

export interface CallMeta {
  /** For the audit log: the role's name (`extension` for a verified browser, `agent` for the agent socket), else the self-declared cli/mcp. */
  caller: 'cli' | 'mcp' | 'extension' | 'agent';
  /** What the daemon verified about this connection (role, peer process). */
  peer: PeerState;
  conn: Connection;
  /** Raw bytes sent with the request (`bin`), for the ops that take them. */
  attachment?: Buffer | undefined;
}

export type Handler<O extends IpcOp> = (req: IpcRequestOf<O>, ctx: DaemonContext, meta: CallMeta) => Promise<Result<unknown>>;
