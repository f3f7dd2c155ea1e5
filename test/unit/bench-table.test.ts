import { describe, expect, it } from 'vitest';
import { formatTable, median, medianRun, withRatios, type Row, type RunResult } from '../../bench/table.js';

const run = (requestsPerSecond: number, p99Ms = 1): RunResult => ({ requestsPerSecond, p50Ms: 0.5, p99Ms, responseBytes: 33_000, errors: 0, rssMiB: 80 });
const row = (page: string, variant: string, runs: RunResult[]): Row => ({ page, variant, bytes: 32_400, median: medianRun(runs), runs });

describe('the benchmark table', () => {
  it('takes the median, not the mean, so one disturbed run does not move the figure', () => {
    expect(median([900, 100, 1000])).toBe(900);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it('reports the median run whole, so req/s and its latencies come from one real run', () => {
    const picked = medianRun([run(5000, 40), run(9000, 2), run(7000, 3)]);
    expect(picked).toEqual(run(7000, 3));
    expect(medianRun([run(10), run(30), run(20), run(40)]).requestsPerSecond).toBe(20);
  });

  it('compares each variant with the reference for the same page', () => {
    const rows = withRatios([
      row('post page', 'cache on', [run(27_000)]),
      row('post page', 'reference', [run(45_000)]),
      row('home page', 'cache on', [run(9_000)]),
      row('home page', 'reference', [run(30_000)]),
    ], 'reference');
    expect(rows.map((r) => r.ratio)).toEqual([0.6, undefined, 0.3, undefined]);
  });

  it('prints a Markdown table with the figures, the ratio and any errors', () => {
    const rows = withRatios([
      row('post page', 'cache on', [{ ...run(27_123.4), p50Ms: 1.234, p99Ms: 12.6, errors: 3 }]),
      row('post page', 'reference', [run(45_000)]),
    ], 'reference');
    const lines = formatTable(rows).split('\n');
    expect(lines[0]).toBe('| page | variant | req/s | p50 (ms) | p99 (ms) | bytes | server RSS (MiB) | vs reference |');
    expect(lines[2]).toBe('| post page | cache on | 27,123 (3 errors) | 1.23 | 13 | 32.4 kB | 80 | 60.3% |');
    expect(lines[3]).toBe('| post page | reference | 45,000 | 0.50 | 1.00 | 32.4 kB | 80 |  |');
  });
});
