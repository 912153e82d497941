/**
 * The audit log on disk: `audit.log` (JSON lines, 0600) plus `audit.head`, the last
 * entry's (seq, mac) under an HMAC, so lines cut from the end are detected.
 *
 * - Events appended while no key is set (vault locked) are queued in memory with their
 *   timestamps and written at the next `setKey` with a key.
 * - If the head no longer matches the log (the log was cut or the head removed), the head
 *   is frozen: new lines are still appended but the head is never rewritten, so
 *   `verify()` keeps reporting the damage instead of it being papered over.
 * - A log whose first line belongs to another vault (re-init) is moved aside to
 *   `audit.log.prev-<ms>` (and its head to `audit.head.prev-<ms>`) and a new chain starts.
 * - The vault binds the log: each vault save records the last entry (`anchorFor`), and
 *   `verify` requires the log to still contain the entry the vault recorded (`setKey`,
 *   `bind`). A log and head cut back together, or deleted together, no longer verify; lines
 *   written after the last vault save can still be cut without a trace (THREAT_MODEL.md).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ExpectedError, fail, type Result } from '../../shared/errors.js';
import { type AuditEvent, canonicalJson, checkEvent, genesis, headMac, makeEntry, verifyLines } from './chain.js';
import { firstLine, readHead, readTailEntries, readTextNoFollow, type Head, type Tail } from './log-file.js';

export const MAX_QUEUED = 10_000;
const NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

function errnoOf(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  return typeof code === 'string' ? code : 'unknown error';
}

export class AuditLog {
  readonly logPath: string;
  readonly headPath: string;
  private key: Buffer | null = null;
  private vaultId = '';
  private tail: Tail | null = null;
  private headFrozen = false;
  private queue: { ev: AuditEvent; ts: string }[] = [];
  private dropped = 0;
  private anchor: { seq: number; mac: string } | null = null;

  constructor(homeDir: string) {
    this.logPath = path.join(homeDir, 'audit.log');
    this.headPath = path.join(homeDir, 'audit.head');
  }

  /**
   * Set (unlock) or clear (lock) the audit key. The log takes ownership of `key`: it is
   * zeroed when replaced or cleared, so pass a Buffer nobody else uses (e.g. `auditKey(k)`).
   * Queued events are written now; if that fails they stay queued (no throw).
   */
  setKey(key: Buffer | null, vaultId: string, anchor: { seq: number; mac: string } | null = null): void {
    if (this.key && this.key !== key) this.key.fill(0);
    this.key = key;
    this.vaultId = vaultId;
    this.anchor = key ? anchor : null;
    this.tail = null;
    this.headFrozen = false;
    if (key) {
      try {
        this.flush();
      } catch {
        /* kept queued; the next append reports the failure */
      }
    }
  }

  /**
   * Record an event. Throws Error on unknown fields (a bug: nothing but labels, origins,
   * titles and codes may be passed), and ExpectedError(WRITE_FAILED | INSECURE_PERMISSIONS)
   * when the file cannot be written; the event is then kept queued and retried.
   */
  append(ev: AuditEvent): void {
    const checked = checkEvent(ev);
    this.enqueue(checked, new Date().toISOString());
    if (this.key) this.flush();
  }

  /** The last entry written for this vault (what a vault save binds), or null: none yet, locked, or unreadable. */
  anchorFor(vaultId: string): { seq: number; mac: string } | null {
    const key = this.key;
    if (!key || vaultId !== this.vaultId) return null;
    try {
      const tail = this.tail ?? this.loadTail(key);
      return tail.seq >= 0 ? { seq: tail.seq, mac: tail.mac } : null;
    } catch {
      return null;
    }
  }

  /** The vault was saved binding `anchor`: verify requires it from now on. */
  bind(anchor: { seq: number; mac: string } | null): void {
    if (this.key && anchor) this.anchor = anchor;
  }

  verify(): Result<{ lines: number }> {
    if (!this.key) return fail('VAULT_LOCKED', 'unlock the vault to verify the audit log');
    let text: string;
    try {
      text = readTextNoFollow(this.logPath);
    } catch (e) {
      if (errnoOf(e) !== 'ENOENT') return fail('AUDIT_BROKEN', `cannot read ${this.logPath}: ${errnoOf(e)}`);
      text = '';
    }
    const lines = text === '' ? [] : text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    // The vault is open, so it exists, and every vault's log starts with its init or unlock.
    if (lines.length === 0) return fail('AUDIT_BROKEN', 'line 1: audit.log is missing or empty, but the vault exists (the log was deleted or emptied)');
    const head = readHead(this.headPath);
    if (head === 'absent') return fail('AUDIT_BROKEN', `line ${lines.length + 1}: audit.head is missing, so lines cut from the end cannot be ruled out`);
    if (head === 'damaged' || headMac(this.key, head) !== head.hmac) return fail('AUDIT_BROKEN', 'audit.head: damaged or edited');
    return verifyLines(this.key, this.vaultId, lines, head, this.anchor ?? undefined);
  }

  private enqueue(ev: AuditEvent, ts: string): void {
    if (this.queue.length >= MAX_QUEUED) this.dropped++;
    else this.queue.push({ ev, ts });
  }

  /** Write every queued event, oldest first; stops (and throws) at the first failure. */
  private flush(): void {
    const key = this.key;
    if (!key) return;
    for (let next = this.queue[0]; next; next = this.queue[0]) {
      this.write(key, next.ev, next.ts);
      this.queue.shift();
    }
    if (this.dropped > 0) {
      this.write(key, { event: 'dropped', detail: `${this.dropped} events dropped while locked (queue full)` }, new Date().toISOString());
      this.dropped = 0;
    }
  }

  private write(key: Buffer, ev: AuditEvent, ts: string): void {
    const tail = this.tail ?? this.loadTail(key);
    const entry = makeEntry(key, tail.mac, tail.seq + 1, ev, ts);
    const line = `${tail.partial ? '\n' : ''}${canonicalJson(entry)}\n`;
    let fd: number | undefined;
    try {
      fd = fs.openSync(this.logPath, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | NOFOLLOW, 0o600);
      const buf = Buffer.from(line, 'utf8');
      let off = 0;
      while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
      fs.fsyncSync(fd);
    } catch (e) {
      this.tail = null; // a partial line may have been written: re-read before the next try
      if (errnoOf(e) === 'ELOOP') throw new ExpectedError('INSECURE_PERMISSIONS', `refusing to write ${this.logPath}: it is a symbolic link`);
      throw new ExpectedError('WRITE_FAILED', `cannot append to ${this.logPath}: ${errnoOf(e)}; the entry is kept in memory and retried`);
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
    this.tail = { seq: entry.seq, mac: entry.mac, partial: false };
    if (!this.headFrozen) this.writeHead(key, { seq: entry.seq, mac: entry.mac });
  }

  /** Best effort: a head that lags the log by a few lines is tolerated by `verify`. */
  private writeHead(key: Buffer, h: { seq: number; mac: string }): void {
    const head: Head = { seq: h.seq, mac: h.mac, hmac: headMac(key, h) };
    const tmp = `${this.headPath}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
    try {
      fs.writeFileSync(tmp, `${JSON.stringify(head)}\n`, { mode: 0o600, flag: 'wx' });
      fs.renameSync(tmp, this.headPath);
    } catch {
      try {
        fs.unlinkSync(tmp);
      } catch {
        /* never created */
      }
    }
  }

  /** Find where the chain continues; rotate a log from another vault; decide whether the head may move. */
  private loadTail(key: Buffer): Tail {
    const first = firstLine(this.logPath);
    if (first && first.seq === 0 && first.prev !== genesis(this.vaultId)) this.rotate();
    const found = readTailEntries(this.logPath);
    const last = found.entries[found.entries.length - 1];
    const tail: Tail = last ? { seq: last.seq, mac: last.mac, partial: found.partial } : { seq: -1, mac: genesis(this.vaultId), partial: found.partial };
    const head = readHead(this.headPath);
    if (head === 'absent') this.headFrozen = found.size > 0;
    else if (head === 'damaged' || headMac(key, head) !== head.hmac) this.headFrozen = true;
    else this.headFrozen = !found.entries.some((e) => e.seq === head.seq && e.mac === head.mac) || head.seq > tail.seq;
    this.tail = tail;
    return tail;
  }

  private rotate(): void {
    const stamp = Date.now();
    for (const p of [this.logPath, this.headPath]) {
      try {
        fs.renameSync(p, `${p}.prev-${stamp}`);
      } catch (e) {
        if (errnoOf(e) !== 'ENOENT') throw new ExpectedError('WRITE_FAILED', `cannot move aside ${p}: ${errnoOf(e)}`);
      }
    }
  }
}
