import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExpectedError } from '../../shared/errors.js';
import { AuditLog } from './audit-log.js';
import type { AuditEvent } from './chain.js';

const CANARY = 'CANARY-audit-77ad01-letmein';
const VAULT = 'ef'.repeat(16);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-audit-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let home: string;
let key: Buffer;
let n = 0;
beforeEach(() => {
  home = path.join(root, `h${n++}`);
  fs.mkdirSync(home, { mode: 0o700 });
  key = randomBytes(32);
});
afterEach(() => vi.useRealTimers());

/** A log that owns a copy of the test key (setKey takes ownership and zeroes on lock). */
function openLog(k = key, vaultId = VAULT): AuditLog {
  const log = new AuditLog(home);
  log.setKey(Buffer.from(k), vaultId);
  return log;
}

function fill(log: AuditLog, count: number): void {
  for (let i = 0; i < count; i++) log.append({ event: 'fill', label: `cred-${i}`, target: 'https://github.com', caller: 'mcp' });
}

const logFile = (): string => path.join(home, 'audit.log');
const readLines = (): string[] => fs.readFileSync(logFile(), 'utf8').split('\n').filter((l) => l !== '');
const writeLines = (lines: string[]): void => fs.writeFileSync(logFile(), lines.map((l) => `${l}\n`).join(''));

function expectBroken(log: AuditLog, line: number | 'head'): void {
  const r = log.verify();
  expect(r).toMatchObject({ ok: false, code: 'AUDIT_BROKEN' });
  if (!r.ok) expect(r.message).toMatch(line === 'head' ? /audit\.head/ : new RegExp(`^line ${line}: `));
}

describe('AuditLog', () => {
  it('appends 0600 JSON lines that verify, and continues the chain across instances', () => {
    const log = openLog();
    fill(log, 3);
    expect(fs.statSync(logFile()).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(home, 'audit.head')).mode & 0o777).toBe(0o600);
    expect(log.verify()).toEqual({ ok: true, value: { lines: 3 } });
    const again = openLog();
    fill(again, 2);
    expect(readLines().map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([0, 1, 2, 3, 4]);
    expect(again.verify()).toEqual({ ok: true, value: { lines: 5 } });
    expect(new AuditLog(home).verify()).toMatchObject({ ok: false, code: 'VAULT_LOCKED' });
  });

  it('queues events while locked and writes them, with their original timestamps, at the next setKey', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const log = new AuditLog(home);
    vi.setSystemTime(new Date('2024-05-01T10:00:00.000Z'));
    log.append({ event: 'unlock_failed', code: 'BAD_PASSPHRASE', caller: 'cli' });
    vi.setSystemTime(new Date('2024-05-01T10:00:05.000Z'));
    log.append({ event: 'refusal', label: 'x', code: 'VAULT_LOCKED', caller: 'mcp' });
    expect(fs.existsSync(logFile())).toBe(false);
    vi.setSystemTime(new Date('2024-05-01T11:00:00.000Z'));
    log.setKey(Buffer.from(key), VAULT);
    log.append({ event: 'unlock', caller: 'cli' });
    const entries = readLines().map((l) => JSON.parse(l) as { ts: string; event: string });
    expect(entries.map((e) => [e.event, e.ts])).toEqual([
      ['unlock_failed', '2024-05-01T10:00:00.000Z'],
      ['refusal', '2024-05-01T10:00:05.000Z'],
      ['unlock', '2024-05-01T11:00:00.000Z'],
    ]);
    expect(log.verify().ok).toBe(true);
  });

  it('refuses unknown fields (throws) whether locked or not, and never writes the value', () => {
    const bad = { event: 'fill', label: 'github', password: CANARY } as unknown as AuditEvent;
    const locked = new AuditLog(home);
    expect(() => locked.append(bad)).toThrow(/unknown field/);
    const log = openLog();
    expect(() => log.append(bad)).toThrow(/unknown field/);
    expect(() => log.append({ event: 'fill', label: 'github', value: CANARY } as unknown as AuditEvent)).toThrow(/unknown field/);
    log.append({ event: 'fill', label: 'github', target: 'https://github.com' });
    const text = fs.readFileSync(logFile(), 'utf8') + fs.readFileSync(path.join(home, 'audit.head'), 'utf8');
    expect(text).not.toContain(CANARY);
    expect(readLines()).toHaveLength(1);
  });

  it('setKey(null) zeroes the key it was given', () => {
    const log = new AuditLog(home);
    const k = Buffer.from(key);
    log.setKey(k, VAULT);
    log.setKey(null, VAULT);
    expect(k.equals(Buffer.alloc(32))).toBe(true);
  });

  describe('tampering', () => {
    it('detects an edited line', () => {
      const log = openLog();
      fill(log, 5);
      const lines = readLines();
      lines[2] = (lines[2] ?? '').replace('cred-2', 'cred-9');
      writeLines(lines);
      expectBroken(log, 3);
    });

    it('detects a deleted line', () => {
      const log = openLog();
      fill(log, 5);
      const lines = readLines();
      lines.splice(1, 1);
      writeLines(lines);
      expectBroken(log, 2);
    });

    it('detects reordered lines', () => {
      const log = openLog();
      fill(log, 5);
      const lines = readLines();
      writeLines([lines[0] ?? '', lines[2] ?? '', lines[1] ?? '', lines[3] ?? '', lines[4] ?? '']);
      expectBroken(log, 2);
    });

    it('detects an inserted line', () => {
      const log = openLog();
      fill(log, 3);
      const lines = readLines();
      const fake = JSON.stringify({ ...JSON.parse(lines[1] ?? ''), seq: 2, label: 'inserted' });
      writeLines([...lines.slice(0, 2), fake, ...lines.slice(2)]);
      expectBroken(log, 3);
    });

    it('detects lines cut from the end, and keeps detecting it after further appends', () => {
      const log = openLog();
      fill(log, 5);
      writeLines(readLines().slice(0, 3));
      expectBroken(log, 4);
      const later = openLog();
      fill(later, 2);
      expect(later.verify().ok).toBe(false);
    });

    it('detects a removed or edited head, and a log deleted outright while the head remains', () => {
      const log = openLog();
      fill(log, 3);
      const headFile = path.join(home, 'audit.head');
      const head = fs.readFileSync(headFile, 'utf8');
      fs.writeFileSync(headFile, head.replace(/"seq":2/, '"seq":1'));
      expectBroken(log, 'head');
      fs.unlinkSync(headFile);
      expectBroken(log, 4);
      fs.writeFileSync(headFile, head);
      fs.unlinkSync(logFile());
      expectBroken(log, 1);
    });

    it('a torn last line is reported, and later appends start on a new line', () => {
      const log = openLog();
      fill(log, 2);
      fs.appendFileSync(logFile(), '{"seq":2,"ts":"2024');
      const next = openLog();
      fill(next, 1);
      const text = fs.readFileSync(logFile(), 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      expect(text.split('\n').filter((l) => l !== '')).toHaveLength(4);
      expectBroken(next, 3);
    });
  });

  describe('bound to the vault (the entry recorded at the vault\'s last save)', () => {
    /** What a vault save does: take the log's last entry, and bind it. */
    function saveVault(log: AuditLog): { seq: number; mac: string } {
      const a = log.anchorFor(VAULT);
      expect(a).not.toBeNull();
      log.bind(a);
      return a!;
    }

    it('both audit files deleted: AUDIT_BROKEN, with or without an anchor', () => {
      const log = openLog();
      fill(log, 3);
      fs.unlinkSync(logFile());
      fs.unlinkSync(path.join(home, 'audit.head'));
      expectBroken(log, 1);
      // A daemon that unlocks afterwards: the vault opened, so the log cannot be absent.
      expectBroken(openLog(), 1);
    });

    it('log cut back and an older head restored: the head is consistent, the vault anchor is not', () => {
      const log = openLog();
      fill(log, 3);
      const headFile = path.join(home, 'audit.head');
      const oldHead = fs.readFileSync(headFile, 'utf8');
      const oldLines = readLines();
      fill(log, 3);
      const anchor = saveVault(log);
      expect(anchor.seq).toBe(5);
      fill(log, 1);
      // Roll both files back to the state after 3 entries: a consistent older log.
      writeLines(oldLines);
      fs.writeFileSync(headFile, oldHead);
      expect(openLog().verify().ok).toBe(true); // what today's checks alone accept
      const reopened = new AuditLog(home);
      reopened.setKey(Buffer.from(key), VAULT, anchor); // as the daemon does at unlock
      expectBroken(reopened, 4);
      // And appends after the rollback do not paper over it: seq 5 now holds another entry.
      fill(reopened, 4);
      const r = reopened.verify();
      expect(r).toMatchObject({ ok: false, code: 'AUDIT_BROKEN' });
      if (!r.ok) expect(r.message).toMatch(/^line 6: differs from the entry the vault recorded/);
    });

    it('entries after the anchor may run on; the anchor only needs to be there', () => {
      const log = openLog();
      fill(log, 2);
      const anchor = saveVault(log);
      fill(log, 5);
      const reopened = new AuditLog(home);
      reopened.setKey(Buffer.from(key), VAULT, anchor);
      expect(reopened.verify()).toEqual({ ok: true, value: { lines: 7 } });
    });

    it('anchorFor: null when locked, for another vault, or before the first entry', () => {
      const log = new AuditLog(home);
      expect(log.anchorFor(VAULT)).toBeNull();
      log.setKey(Buffer.from(key), VAULT);
      expect(log.anchorFor(VAULT)).toBeNull();
      fill(log, 1);
      expect(log.anchorFor('ab'.repeat(16))).toBeNull();
      expect(log.anchorFor(VAULT)).toMatchObject({ seq: 0 });
    });
  });

  it('moves aside a log that belongs to another vault and starts a new chain', () => {
    const old = openLog(key, 'aa'.repeat(16));
    fill(old, 2);
    const fresh = openLog(randomBytes(32), 'bb'.repeat(16));
    fresh.append({ event: 'init', caller: 'cli' });
    expect(fresh.verify()).toEqual({ ok: true, value: { lines: 1 } });
    const aside = fs.readdirSync(home).filter((f) => f.includes('.prev-')).sort();
    expect(aside).toHaveLength(2);
    expect(aside[0]).toMatch(/^audit\.head\.prev-\d+$/);
    expect(aside[1]).toMatch(/^audit\.log\.prev-\d+$/);
  });

  it('a failed write throws ExpectedError(WRITE_FAILED), keeps the event, and writes it once the file is writable', () => {
    const log = openLog();
    fill(log, 1);
    fs.renameSync(logFile(), `${logFile()}.saved`);
    fs.mkdirSync(logFile());
    let err: unknown;
    try {
      log.append({ event: 'lock', caller: 'cli' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExpectedError);
    expect((err as ExpectedError).code).toBe('WRITE_FAILED');
    fs.rmdirSync(logFile());
    fs.renameSync(`${logFile()}.saved`, logFile());
    log.append({ event: 'unlock', caller: 'cli' });
    expect(readLines().map((l) => (JSON.parse(l) as { event: string }).event)).toEqual(['fill', 'lock', 'unlock']);
    expect(log.verify()).toEqual({ ok: true, value: { lines: 3 } });
  });

  it('refuses a symlinked audit.log', () => {
    const elsewhere = path.join(home, 'elsewhere.log');
    fs.writeFileSync(elsewhere, '');
    fs.symlinkSync(elsewhere, logFile());
    const log = openLog();
    expect(() => log.append({ event: 'lock' })).toThrow(ExpectedError);
    expect(fs.readFileSync(elsewhere, 'utf8')).toBe('');
  });
});
