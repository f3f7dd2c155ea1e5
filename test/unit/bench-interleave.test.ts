import { describe, expect, it } from 'vitest';
import { interleave } from '../../bench/measure.js';

describe('the order of the benchmark runs', () => {
  it('makes each run of the blog next to the same run of the reference, not minutes apart', () => {
    const order = interleave(['cache on', 'reference', 'cache off'], 3).map(({ contender, run }) => `${contender} ${run}`);
    expect(order).toEqual([
      'cache on 1', 'reference 1', 'cache off 1',
      'cache on 2', 'reference 2', 'cache off 2',
      'cache on 3', 'reference 3', 'cache off 3',
    ]);
  });

  it('measures a server alone as before', () => {
    expect(interleave(['nginx static file'], 2)).toEqual([{ contender: 'nginx static file', run: 1 }, { contender: 'nginx static file', run: 2 }]);
  });
});
