import { describe, expect, it } from 'vitest';
import type { MetadataCycle } from '../../../src/sitl/sitl-types.js';
import { automatedBurstSelection } from './abs-algorithm.js';

const T0 = 1812820840;
/** Cycles with the given MDQ (the same on all four spacecraft). */
function cycles(mdq: number[]): MetadataCycle[][] {
  return mdq.map((q, i) => ['mms1', 'mms2', 'mms3', 'mms4'].map((spacecraft) => ({ spacecraft, tai: T0 + i * 10, dataSegmentId: null, cdq: q, mdq: q })));
}
const run = (mdq: number[], parameters = { targetBuffers: 700, minSegmentSize: 12, maxSegmentSize: 60, pad: 2, searchRatio: 0.5 }) =>
  automatedBurstSelection({ cycleStart: T0, cycleSeconds: 10, cycles: cycles(mdq), parameters, sourceId: 'ABS' });

describe('the MMS automated burst selection', () => {
  it('selects an active interval with its pad, FOM = mean MDQ of the interval, in time order', () => {
    const mdq = new Array<number>(100).fill(0);
    for (let i = 40; i < 60; i += 1) mdq[i] = 100;
    const result = run(mdq);
    expect(result.selections).toEqual([{ start: 38, stop: 61, fom: 100, sourceId: 'ABS', discussion: '' }]);
    expect(result.mdq).toEqual(mdq);
    expect(result.parameters).toMatchObject({ targetBuffers: 700, minSegmentSize: 12, maxSegmentSize: 60, pad: 2 });
  });

  it('never makes a segment longer than MaxSegmentSize nor shorter than MinSegmentSize, and never overlaps', () => {
    const mdq = Array.from({ length: 2736 }, (_, i) => Math.round(127 + 120 * Math.sin(i / 37) * Math.cos(i / 11)));
    const { selections } = run(mdq);
    expect(selections.length).toBeGreaterThan(5);
    for (const s of selections) {
      expect(s.stop - s.start + 1).toBeLessThanOrEqual(60);
      expect(s.stop - s.start + 1).toBeGreaterThanOrEqual(12);
      expect(s.fom).toBeGreaterThanOrEqual(0);
      expect(s.fom).toBeLessThanOrEqual(255);
    }
    for (let i = 1; i < selections.length; i += 1) expect(selections[i]!.start).toBeGreaterThan(selections[i - 1]!.stop);
  });

  it('stops once the target number of buffers is reached, keeping the best intervals', () => {
    const mdq = new Array<number>(400).fill(0);
    for (let i = 10; i < 30; i += 1) mdq[i] = 50;
    for (let i = 100; i < 120; i += 1) mdq[i] = 200;
    const { selections } = run(mdq, { targetBuffers: 20, minSegmentSize: 12, maxSegmentSize: 60, pad: 0, searchRatio: 0.5 });
    expect(selections).toEqual([{ start: 100, stop: 119, fom: 200, sourceId: 'ABS', discussion: '' }]);
  });

  it('selects nothing from quiet metadata', () => {
    expect(run(new Array<number>(50).fill(0)).selections).toEqual([]);
  });
});
