import { describe, expect, it } from 'vitest';
import { sitlSection } from './sitl-config.js';
import { bufferState, summarise } from './window-report.js';

const categories = [
  { id: 0, from: 200, to: 256 },
  { id: 1, from: 150, to: 200 },
  { id: 4, from: 0, to: 50 },
];
const selection = (start: number, stop: number, fom: number) => ({ start, stop, fom, sourceId: 'ABS', discussion: '' });

describe('window reports', () => {
  it('reads segment states as the SITL tools do: held, overwritten (not when incomplete), transmitted', () => {
    expect(['HELD', 'DEMOTED', 'DERELICT', 'DERELICT+INCOMPLETE', 'COMPLETE+FINISHED', 'COMPLETE', 'FINISHED', 'NEW', 'DELETED'].map(bufferState)).toEqual([
      'held', 'overwritten', 'overwritten', undefined, 'transmitted', undefined, undefined, undefined, undefined,
    ]);
  });

  it('counts selections and buffers per half-open FOM category, a FOM in no category apart', () => {
    const summary = summarise([selection(0, 9, 200), selection(20, 21, 199.5), selection(30, 30, 150), selection(40, 44, 100)], categories);
    expect(summary.byCategory.map((c) => [c.category, c.selections, c.buffers])).toEqual([[0, 1, 10], [1, 2, 3], [4, 0, 0]]);
    expect([summary.buffers, summary.uncategorisedBuffers]).toEqual([18, 5]);
  });
});

describe('the sitl section: deadline and on-duty roster', () => {
  const base = { cycleSeconds: 10, feeds: { metadata: 'm', segments: 's', status: 't' }, publish: { automatedSelections: "'a'yyyy", sitlSelections: "'s'yyyy" }, automatedSourceId: 'ABS',
    validation: { fomBounds: [0, 255], fomReserved: 200, segmentBounds: [1, 60], nominalSegmentRange: [2, 35], maxBuffers: 1000, priority1Range: [150, 200], priority1Percent: 33, fomModifyFraction: 0.4, fomDeleteMax: 100, fomNewJustify: 150 },
    categories, abs: { targetBuffers: 10, minSegmentSize: 1, maxSegmentSize: 5, pad: 0 }, latis: { publicPrefix: '/p', teamPrefix: '/t', segmentDataset: 'seg', metadataDataset: '{spacecraft}_meta' } };

  it('takes a deadline in minutes and on-duty contacts, and defaults to no one', () => {
    expect(sitlSection.parse(base).onDuty).toEqual([]);
    expect(sitlSection.parse({ ...base, deadline: { closeAfterMinutes: 240 }, onDuty: [{ name: 'SITL', email: 'sitl@example.org' }] })).toMatchObject({ deadline: { closeAfterMinutes: 240 }, onDuty: [{ name: 'SITL', email: 'sitl@example.org' }] });
  });

  it('refuses a deadline that is not a positive number of minutes and a contact without a valid address', () => {
    const deadline = sitlSection.safeParse({ ...base, deadline: { closeAfterMinutes: 0 } });
    expect(deadline.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['deadline.closeAfterMinutes', 'Too small: expected number to be >=1']]);
    const contact = sitlSection.safeParse({ ...base, onDuty: [{ name: 'SITL', email: 'not-an-address' }] });
    expect(contact.error?.issues.map((i) => i.path.join('.'))).toEqual(['onDuty.0.email']);
  });
});
