// Latency summaries.

/** Percentiles and extremes of a set of durations in milliseconds, rounded to 0.01 ms. */
export interface LatencySummary {
  count: number;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** Summarises samples with nearest-rank percentiles. */
export function summarise(samples: number[]): LatencySummary {
  if (samples.length === 0) return { count: 0, p50: null, p90: null, p95: null, p99: null, max: null, mean: null };
  const sorted = Float64Array.from(samples).sort();
  const rank = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);
  const total = sorted.reduce((a, b) => a + b, 0);
  return { count: sorted.length, p50: rank(50), p90: rank(90), p95: rank(95), p99: rank(99), max: round(sorted[sorted.length - 1]!), mean: round(total / sorted.length) };
}
