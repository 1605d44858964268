/** Geometry for the hand-rolled SVG charts of the reports page (pure, unit-tested). */

/** A value mapped into the chart's drawing area. */
export interface Point {
  x: number;
  y: number;
}

/** A "nice" upper bound for an axis: 1, 2, 2.5 or 5 times a power of ten, at least `max`. */
export function niceMax(max: number): number {
  if (!Number.isFinite(max) || max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

/** Running totals. */
export function cumulative(values: number[]): number[] {
  let total = 0;
  return values.map((v) => (total += Number.isFinite(v) ? v : 0));
}

/** Bars of equal width with a gap, for `values` in a `width` × `height` area (y grows downwards). */
export function bars(values: number[], width: number, height: number, max = niceMax(Math.max(0, ...values))): { x: number; y: number; w: number; h: number }[] {
  const n = values.length;
  if (n === 0) return [];
  const slot = width / n;
  const w = Math.max(1, slot * 0.7);
  return values.map((v, i) => {
    const h = max > 0 ? (Math.max(0, v) / max) * height : 0;
    return { x: i * slot + (slot - w) / 2, y: height - h, w, h };
  });
}

/** Points of a line chart; nulls break nothing, they are skipped. */
export function linePoints(values: (number | null)[], width: number, height: number, max: number): (Point | null)[] {
  const n = values.length;
  return values.map((v, i) => {
    if (v === null || !Number.isFinite(v)) return null;
    const x = n <= 1 ? width / 2 : (i / (n - 1)) * width;
    return { x, y: height - (max > 0 ? (v / max) * height : 0) };
  });
}

/** An SVG path through the points, starting a new segment after each gap. */
export function pathOf(points: (Point | null)[]): string {
  let d = '';
  let pen = false;
  for (const p of points) {
    if (!p) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${round(p.x)} ${round(p.y)} `;
    pen = true;
  }
  return d.trim();
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** A target scaled to each bucket's share of the period: a cumulative target line. */
export function cumulativeTarget(perMonth: number, bucketDays: number[]): number[] {
  return cumulative(bucketDays.map((days) => (perMonth * days) / 30));
}
