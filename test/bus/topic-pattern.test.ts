import { describe, expect, it } from 'vitest';
import { topicMatches } from '../../src/bus/topic-pattern.js';

describe('topicMatches', () => {
  it.each([
    ['file.ingested.#', 'file.ingested', true],
    ['file.ingested.#', 'file.ingested.mms.mms1.fgm.l2', true],
    ['file.*.mms', 'file.ingested.mms', true],
    ['file.*.mms', 'file.mms', false],
    ['file.*.mms', 'file.a.b.mms', false],
    ['#', 'anything.at.all', true],
    ['#.l2', 'l2', true],
    ['a.#.b', 'a.b', true],
    ['a.#.b', 'a.x.y.b', true],
    ['a.#.b', 'a.x.y.c', false],
    ['*', 'one', true],
    ['*', 'one.two', false],
    ['*.#', 'one', true],
    ['a.#.#.b', 'a.b', true],
    ['exact.key', 'exact.key', true],
    ['exact.key', 'exact.keys', false],
  ])('matches pattern %s against key %s: %s', (pattern, key, expected) => {
    expect(topicMatches(pattern, key)).toBe(expected);
  });

  it('stays fast on a pattern full of # against a long key (no backtracking blow-up)', () => {
    const pattern = '#.a.#.a.#.a.#.a.#.a.#.b';
    const key = Array.from({ length: 127 }, () => 'a').join('.');
    const started = performance.now();
    expect(topicMatches(pattern, key)).toBe(false);
    expect(performance.now() - started).toBeLessThan(100);
  });
});
