import { describe, expect, it } from 'vitest';
import { parseGroundLoop, parseMetadata, parseSegmentTable, parseStatusFeed, SEGMENT_COLUMNS } from './poc-feeds.js';

const HEADER = SEGMENT_COLUMNS.join(',');

describe('the MMS POC feeds', () => {
  it('reads a segment table row with a discussion holding commas', () => {
    const [s] = parseSegmentTable(`${HEADER}\n1013,1812820840,1812821830,p,52.0,1,0,COMPLETE+FINISHED,1,fwilder(EVA),2015-05-06 10:00:00,2015-05-07 02:00:00,1,2,3,4,5,6,7,8,9,10,11,12,Enhanced, wave activity\n`);
    expect(s).toMatchObject({ id: 1013, taiStart: 1812820840, taiEnd: 1812821830, fom: 52, isPending: true, inPlaylist: false, status: 'COMPLETE+FINISHED', sourceId: 'fwilder(EVA)', numBufs: [1, 2, 3, 4], allocBufs: [5, 6, 7, 8], remFiles: [9, 10, 11, 12], discussion: 'Enhanced, wave activity' });
    expect(s!.createTime!.toISOString()).toBe('2015-05-06T10:00:00.000Z');
  });

  it('refuses bad feed rows, saying which line and column', () => {
    expect(() => parseSegmentTable('ID,START\n1,2\n')).toThrow(/line 1: the header must be DATASEGMENTID,TAISTARTTIME/);
    expect(() => parseSegmentTable(`${HEADER}\n1013,x,1812821830,p,52.0,1,0,NEW,1,s,,,0,0,0,0,0,0,0,0,0,0,0,0,d\n`)).toThrow("line 2: TAISTARTTIME 'x' is not an integer");
    expect(() => parseSegmentTable(`${HEADER}\n1013,1812821830,1812820840,p,52.0,1,0,NEW,1,s,,,0,0,0,0,0,0,0,0,0,0,0,0,d\n`)).toThrow('line 2: TAIENDTIME 1812820840 is before TAISTARTTIME 1812821830');
    expect(() => parseMetadata('SC_ID,TAITIMESTAMP,DATASEGMENTID,CDQ,MDQ\nmms5,1812820840,,1,2\n')).toThrow("line 2: unknown spacecraft 'mms5'");
    expect(() => parseMetadata('SC_ID,TAITIMESTAMP,DATASEGMENTID,CDQ,MDQ\nmms1,1812820840,,1,300\n')).toThrow('line 2: MDQ 300 is outside 0-255');
    expect(() => parseMetadata('SC_ID,TAITIMESTAMP,CDQ\n')).toThrow('line 1: the header lacks DATASEGMENTID (expected SC_ID,TAITIMESTAMP,DATASEGMENTID,CDQ,MDQ)');
    expect(() => parseStatusFeed('DATASEGMENTID,STATUS\n1013,COMPLETE FINISHED\n')).toThrow("line 2: STATUS 'COMPLETE FINISHED' is not a list of flags joined by '+'");
    expect(() => parseStatusFeed('DATASEGMENTID,STATUS,ISPENDING\n1013,HELD,2\n')).toThrow("line 2: ISPENDING '2' must be 0 or 1");
    expect(() => parseGroundLoop('2015-06-12 17:20:05,2015-06-12 17:10:05,150\n')).toThrow('line 1: stop is before start');
    expect(() => parseGroundLoop('2015-06-12 17:20:05,2015-06-12 17:30:05\n')).toThrow('line 1: expected start,stop,fom[,discussion]');
    expect(() => parseSegmentTable('')).toThrow('the file is empty (a header line is required)');
  });

  it('reads status changes with only the columns present, an empty FINISHTIME meaning still pending', () => {
    expect(parseStatusFeed('DATASEGMENTID,STATUS,ISPENDING,INPLAYLIST,FINISHTIME\n1013,complete+finished,0,0,2015-06-13 01:00:00\n1014,HELD,1,1,\n')).toEqual([
      { id: 1013, status: 'COMPLETE+FINISHED', isPending: false, inPlaylist: false, finishTime: new Date('2015-06-13T01:00:00Z') },
      { id: 1014, status: 'HELD', isPending: true, inPlaylist: true, finishTime: null },
    ]);
  });

  it('reads ground-loop selections (no header, UTC times)', () => {
    expect(parseGroundLoop('2015-06-12 17:20:05,2015-06-12 17:30:05,150,magnetopause, crossing\n')).toEqual([{ start: new Date('2015-06-12T17:20:05Z'), stop: new Date('2015-06-12T17:30:05Z'), fom: 150, discussion: 'magnetopause, crossing' }]);
  });
});
