import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AuditEvent, canonicalJson, genesis, makeEntry, verifyLines } from './chain.js';

const KEY = randomBytes(32);
const VAULT = 'ab'.repeat(16);
const EVENTS: AuditEvent[] = [
  { event: 'init', caller: 'cli' },
  { event: 'unlock', caller: 'cli' },
  { event: 'add', label: 'github-personal', caller: 'cli' },
  { event: 'fill', label: 'github-personal', target: 'https://github.com', caller: 'mcp', detail: 'username,password' },
  { event: 'refusal', label: 'github-personal', target: 'https://evil.example', code: 'ORIGIN_MISMATCH', caller: 'mcp' },
  { event: 'type', label: 'vpn', target: 'Acme VPN', caller: 'mcp' },
  { event: 'lock' },
];

function chain(events = EVENTS, key = KEY, vaultId = VAULT): { lines: string[]; head: { seq: number; mac: string } } {
  let prev = genesis(vaultId);
  const lines: string[] = [];
  let last = { seq: -1, mac: prev };
  events.forEach((ev, seq) => {
    const e = makeEntry(key, prev, seq, ev, new Date(1_700_000_000_000 + seq * 1000).toISOString());
    lines.push(canonicalJson(e));
    prev = e.mac;
    last = { seq, mac: e.mac };
  });
  return { lines, head: last };
}

function expectBroken(r: ReturnType<typeof verifyLines>, line: number): void {
  expect(r).toMatchObject({ ok: false, code: 'AUDIT_BROKEN' });
  if (!r.ok) expect(r.message).toMatch(new RegExp(`^line ${line}: `));
}

describe('audit chain', () => {
  it('verifies an intact chain, with and without the head', () => {
    const { lines, head } = chain();
    expect(verifyLines(KEY, VAULT, lines)).toEqual({ ok: true, value: { lines: EVENTS.length } });
    expect(verifyLines(KEY, VAULT, lines, head).ok).toBe(true);
    expect(verifyLines(KEY, VAULT, [], undefined).ok).toBe(true);
  });

  it('writes canonical JSON in a fixed key order, mac last', () => {
    const e = makeEntry(KEY, genesis(VAULT), 0, { caller: 'cli', label: 'x', event: 'add' }, '2024-01-01T00:00:00.000Z');
    expect(Object.keys(JSON.parse(canonicalJson(e)) as object)).toEqual(['seq', 'ts', 'event', 'label', 'caller', 'prev', 'mac']);
  });

  it('detects an edited line', () => {
    const { lines, head } = chain();
    const edited = [...lines];
    edited[3] = (edited[3] ?? '').replace('https://github.com', 'https://gitlab.com');
    expectBroken(verifyLines(KEY, VAULT, edited, head), 4);
  });

  it('detects a removed line', () => {
    const { lines, head } = chain();
    expectBroken(verifyLines(KEY, VAULT, [...lines.slice(0, 2), ...lines.slice(3)], head), 3);
    expectBroken(verifyLines(KEY, VAULT, lines.slice(1), head), 1);
  });

  it('detects reordered lines', () => {
    const { lines, head } = chain();
    const swapped = [...lines];
    [swapped[2], swapped[4]] = [swapped[4] ?? '', swapped[2] ?? ''];
    expectBroken(verifyLines(KEY, VAULT, swapped, head), 3);
  });

  it('detects an inserted line: forged, replayed, or a blank line', () => {
    const { lines, head } = chain();
    const forged = canonicalJson(makeEntry(randomBytes(32), JSON.parse(lines[1] ?? '').mac as string, 2, { event: 'lock' }, '2024-01-01T00:00:00.000Z'));
    expectBroken(verifyLines(KEY, VAULT, [...lines.slice(0, 2), forged, ...lines.slice(2)], head), 3);
    expectBroken(verifyLines(KEY, VAULT, [...lines.slice(0, 2), lines[1] ?? '', ...lines.slice(2)], head), 3);
    expectBroken(verifyLines(KEY, VAULT, [...lines.slice(0, 2), '', ...lines.slice(2)], head), 3);
  });

  it('detects lines cut from the end only with the head; tolerates a head that lags', () => {
    const { lines, head } = chain();
    const cut = lines.slice(0, 4);
    expect(verifyLines(KEY, VAULT, cut).ok).toBe(true);
    expectBroken(verifyLines(KEY, VAULT, cut, head), 5);
    expectBroken(verifyLines(KEY, VAULT, [], head), 1);
    const lagging = { seq: 5, mac: (JSON.parse(lines[5] ?? '') as { mac: string }).mac };
    expect(verifyLines(KEY, VAULT, lines, lagging).ok).toBe(true);
    expectBroken(verifyLines(KEY, VAULT, lines, { seq: 5, mac: head.mac }), 6);
  });

  it('fails under another key or for another vault', () => {
    const { lines } = chain();
    expectBroken(verifyLines(randomBytes(32), VAULT, lines), 1);
    expectBroken(verifyLines(KEY, 'cd'.repeat(16), lines), 1);
  });

  it('refuses unknown fields and unknown events (throws: a caller bug)', () => {
    const bad = { event: 'fill', label: 'x', password: 'CANARY-audit-secret' } as unknown as AuditEvent;
    expect(() => makeEntry(KEY, genesis(VAULT), 0, bad, 'now')).toThrow(/unknown field\(s\) password/);
    expect(() => makeEntry(KEY, genesis(VAULT), 0, bad, 'now')).not.toThrow(/CANARY/);
    expect(() => makeEntry(KEY, genesis(VAULT), 0, { event: 'peek' } as unknown as AuditEvent, 'now')).toThrow();
  });

  it('any single-character change to any line is detected (property)', () => {
    const { lines, head } = chain();
    fc.assert(
      fc.property(fc.nat(lines.length - 1), fc.nat(10_000), fc.integer({ min: 32, max: 126 }), (li, pos, ch) => {
        const line = lines[li] ?? '';
        const at = pos % line.length;
        if (line.charCodeAt(at) === ch) return true;
        const copy = [...lines];
        copy[li] = line.slice(0, at) + String.fromCharCode(ch) + line.slice(at + 1);
        const r = verifyLines(KEY, VAULT, copy, head);
        // A change that leaves the same JSON value (e.g. whitespace) is not an edit.
        let same = false;
        try {
          same = canonicalJson(JSON.parse(copy[li] ?? '')) === line;
        } catch {
          /* not JSON */
        }
        return same ? r.ok : !r.ok && r.code === 'AUDIT_BROKEN';
      }),
      { numRuns: 1000 },
    );
  });
});
