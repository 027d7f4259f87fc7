/** Small statistics for the benchmark: every figure is a median over repeated runs, with its spread. */

export interface Figure {
  readonly median: number;
  /** Smallest and largest of the runs. */
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function figure(values: readonly number[]): Figure {
  return { median: quantile(values, 0.5), min: Math.min(...values), max: Math.max(...values), runs: values.length };
}

export const round = (x: number, digits = 3) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);

/** Seconds since `start` (a performance.now() reading). */
export const since = (start: number) => (performance.now() - start) / 1000;

/** "12.3 (11.9–12.8)": median and range, for the printed table. */
export function show(f: Figure, digits = 1): string {
  if (f.runs <= 1) return f.median.toFixed(digits);
  return `${f.median.toFixed(digits)} (${f.min.toFixed(digits)}–${f.max.toFixed(digits)})`;
}

export function mb(bytes: number): number {
  return round(bytes / (1024 * 1024), 1);
}
