/**
 * `npm run bench -- --quick` runs end to end: exit 0, the table on stdout, and a results
 * file whose measured rows are real (positive, finite medians and ratios). Targets are
 * not asserted here: a loaded CI machine may miss them; docs/PERFORMANCE.md has the figures.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Stats {
  n: number;
  median: number;
  p99: number;
}
interface Row {
  id: string;
  name: string;
  unit: string;
  available: boolean;
  note?: string;
  blindfill?: { what: string; stats: Stats };
  baseline?: { what: string; stats: Stats };
  ratio?: number;
  higherIsBetter?: boolean;
  target?: number;
  met?: boolean;
}

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts/bench.mjs'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const positive = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x > 0;

describe('npm run bench -- --quick', () => {
  it('measures every available row for real and writes results.json', { timeout: 300_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-bench-smoke-'));
    const out = path.join(dir, 'results.json');
    try {
      // The test run has built dist/ already (scripts/test.mjs); don't rebuild under other tests.
      const r = await run(['--quick', '--no-build', '--out', out]);
      expect(r.code, r.stderr.slice(-3000)).toBe(0);

      // The table: a header and one line per row, 1 to 7.
      expect(r.stdout).toMatch(/measurement\s+blindfill median \/ p99\s+baseline median \/ p99\s+ratio\s+target/);
      for (const id of ['1', '2a', '3a', '3b', '3c', '4', '5', '5b', '6', '7', '8']) expect(r.stdout).toMatch(new RegExp(`^${id}\\s+\\S`, 'm'));

      const res = JSON.parse(fs.readFileSync(out, 'utf8')) as { mode: string; rows: Row[] };
      expect(res.mode).toBe('quick');
      const ids = res.rows.map((x) => x.id);
      expect(ids).toEqual(expect.arrayContaining(['1', '2a', '2b', '3a', '3b', '3c', '4', '5', '5b', '6', '7', '8']));

      for (const row of res.rows) {
        if (!row.available) {
          // Only typing (5) and guard (7) may be skipped (their code may be absent), and they must say why.
          expect(['5', '7'], `row ${row.id} was skipped: ${row.note}`).toContain(row.id);
          expect(row.note).toMatch(/not available/);
          continue;
        }
        for (const side of [row.blindfill, row.baseline]) {
          expect(side, `row ${row.id}`).toBeDefined();
          expect(side!.what.length).toBeGreaterThan(0);
          expect(side!.stats.n, `row ${row.id} samples`).toBeGreaterThan(0);
          expect(positive(side!.stats.median), `row ${row.id} median ${side!.stats.median}`).toBe(true);
          expect(positive(side!.stats.p99), `row ${row.id} p99 ${side!.stats.p99}`).toBe(true);
          expect(side!.stats.p99).toBeGreaterThanOrEqual(side!.stats.median);
        }
        expect(positive(row.ratio), `row ${row.id} ratio ${row.ratio}`).toBe(true);
        expect(row.ratio).toBeCloseTo(
          row.higherIsBetter ? row.baseline!.stats.median / row.blindfill!.stats.median : row.blindfill!.stats.median / row.baseline!.stats.median,
          6,
        );
        if (row.target !== undefined) expect(typeof row.met).toBe('boolean');
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
