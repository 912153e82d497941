/** One line of the bench table and of bench/results.json. */
import { type Stats, stats } from './stats.js';

export interface Side {
  /** What was measured, e.g. "MCP fill_credential" or "page.fill x2". */
  what: string;
  stats: Stats;
}

export interface Row {
  /** Row number in issue #11 (1-7); sub-rows share it (3a, 3b, 3c). */
  id: string;
  name: string;
  unit: 'ms' | 'MiB' | 'chars/s' | 'MB/s';
  available: boolean;
  /** The measurement failed (the note says why); the bench exits non-zero. */
  error?: boolean;
  /** Why a row is not available, or how to read it. */
  note?: string;
  blindfill?: Side;
  baseline?: Side;
  /** Throughput rows (chars/s, MB/s): the ratio is baseline / blindfill. */
  higherIsBetter?: boolean;
  /** blindfill cost / baseline cost, from the medians (higherIsBetter: baseline / blindfill). */
  ratio?: number;
  /** The target ratio (at most), if issue #11 sets one. */
  target?: number;
  met?: boolean;
  /** Extra figures for the analysis (not compared). */
  extra?: Record<string, number | string>;
}

export function measuredRow(o: {
  id: string;
  name: string;
  unit: Row['unit'];
  blindfill: { what: string; samples: number[] };
  baseline: { what: string; samples: number[] };
  target?: number;
  note?: string;
  higherIsBetter?: boolean;
  extra?: Record<string, number | string>;
}): Row {
  const b = stats(o.blindfill.samples);
  const base = stats(o.baseline.samples);
  const ratio = o.higherIsBetter ? base.median / b.median : b.median / base.median;
  return {
    id: o.id,
    name: o.name,
    unit: o.unit,
    available: true,
    blindfill: { what: o.blindfill.what, stats: b },
    baseline: { what: o.baseline.what, stats: base },
    ratio,
    ...(o.higherIsBetter ? { higherIsBetter: true } : {}),
    ...(o.target !== undefined ? { target: o.target, met: ratio <= o.target } : {}),
    ...(o.note !== undefined ? { note: o.note } : {}),
    ...(o.extra !== undefined ? { extra: o.extra } : {}),
  };
}

export function unavailableRow(id: string, name: string, unit: Row['unit'], note: string, target?: number): Row {
  return { id, name, unit, available: false, note, ...(target !== undefined ? { target } : {}) };
}

/**
 * Run every side `n` times, interleaved: forwards on even rounds, backwards on odd ones
 * (a,b,c then c,b,a …), so that drift (thermal, other load, GC) lands on all sides
 * equally. Each callback returns its sample; the samples come back side by side.
 */
export async function alternateAll(n: number, sides: ReadonlyArray<() => Promise<number>>): Promise<number[][]> {
  const samples = sides.map((): number[] => []);
  const order = sides.map((_, i) => i);
  for (let i = 0; i < n; i++) {
    for (const k of i % 2 === 0 ? order : [...order].reverse()) samples[k]!.push(await sides[k]!());
  }
  return samples;
}

/** `alternateAll` of two sides. */
export async function alternate(n: number, a: () => Promise<number>, b: () => Promise<number>): Promise<{ a: number[]; b: number[] }> {
  const [as, bs] = await alternateAll(n, [a, b]);
  return { a: as!, b: bs! };
}
