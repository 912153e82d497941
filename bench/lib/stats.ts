/** Order statistics for the bench: median and p99 (nearest rank), in the unit measured. */
export interface Stats {
  n: number;
  median: number;
  /** Nearest-rank 99th percentile; with fewer than 100 samples this is close to the max. */
  p99: number;
  mean: number;
  min: number;
  max: number;
}

export function stats(samples: readonly number[]): Stats {
  if (samples.length === 0) throw new Error('stats: no samples');
  const s = [...samples].sort((a, b) => a - b);
  const n = s.length;
  const rank = (q: number) => s[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]!;
  const median = n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
  return { n, median, p99: rank(0.99), mean: s.reduce((a, b) => a + b, 0) / n, min: s[0]!, max: s[n - 1]! };
}

export const round = (x: number, digits = 2): number => Number(x.toFixed(digits));
