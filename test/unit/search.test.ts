import { describe, expect, it } from 'vitest';
import { toMatchQuery } from '../../src/services/search.js';

describe('toMatchQuery', () => {
  it('quotes each word as a prefix term', () => {
    expect(toMatchQuery('pasangan IMers')).toBe('"pasangan"* "IMers"*');
  });

  it('turns FTS operators and punctuation into plain words or nothing', () => {
    expect(toMatchQuery('a NEAR(b "c" OR d*')).toBe('"a"* "NEAR"* "b"* "c"* "OR"* "d"*');
    expect(toMatchQuery('"(*)^:')).toBeNull();
  });

  it('keeps letters of any script', () => {
    expect(toMatchQuery('café 東京')).toBe('"café"* "東 京"*');
  });
});
