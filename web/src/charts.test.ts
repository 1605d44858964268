import { describe, expect, it } from 'vitest';
import { bars, cumulative, cumulativeTarget, linePoints, niceMax, pathOf } from './charts';

describe('chart geometry', () => {
  it('rounds axis maxima up to a readable number', () => {
    expect(niceMax(7)).toBe(10);
    expect(niceMax(18)).toBe(20);
    expect(niceMax(21)).toBe(25);
    expect(niceMax(0)).toBe(1);
    expect(niceMax(100)).toBe(100);
  });

  it('sums running totals and scales a monthly target to the buckets', () => {
    expect(cumulative([1, 2, 3])).toEqual([1, 3, 6]);
    expect(cumulativeTarget(30, [7, 7, 16])).toEqual([7, 14, 30]);
  });

  it('draws bars from the baseline, proportional to the axis maximum', () => {
    const out = bars([5, 10], 100, 50, 10);
    expect(out[0]).toEqual({ x: 7.5, y: 25, w: 35, h: 25 });
    expect(out[1]?.h).toBe(50);
    expect(bars([], 100, 50)).toEqual([]);
  });

  it('draws lines that skip missing values', () => {
    const points = linePoints([0, null, 10], 100, 50, 10);
    expect(points).toEqual([{ x: 0, y: 50 }, null, { x: 100, y: 0 }]);
    expect(pathOf(points)).toBe('M0 50 M100 0');
    expect(pathOf(linePoints([2, 4], 10, 10, 4))).toBe('M0 5 L10 0');
  });
});
