import { describe, expect, it } from 'vitest';
import { loadMission } from '../../../src/mission/load-mission.js';
import { validateBackStructure } from '../../../src/sitl/back-structure-validation.js';
import { validateSelections, type WindowFrame } from '../../../src/sitl/selection-validation.js';
import type { BackStructureEdit, BurstSegment, Selection } from '../../../src/sitl/sitl-types.js';
import { decide } from '../../../src/sitl/validation-message.js';

const mms = await loadMission('missions/mms');
const sitl = mms.config.sitl!;
const limits = sitl.validation;
/** Segment 1013's start (2015-06-12T17:20:05 UTC) begins the window. */
const T0 = 1812820840;
const frame: WindowFrame = { cycleStart: T0, numCycles: 2736, cycleSeconds: 10, automated: [{ start: 0, stop: 11, fom: 40, sourceId: 'ABS', discussion: '' }] };
const sel = (start: number, stop: number, fom: number): Selection => ({ start, stop, fom, sourceId: 'alice(EVA)', discussion: '' });
const rules = (selections: Selection[], extra: Partial<Parameters<typeof validateSelections>[0]> = {}) => validateSelections({ frame, selections, limits, existing: [], ...extra });
const segment = (over: Partial<BurstSegment>): BurstSegment => ({
  id: 1013, taiStart: T0, taiEnd: T0 + 110, parameterSetId: '', fom: 80, isPending: true, inPlaylist: false, status: 'HELD', numEvalCycles: 1, sourceId: 'ABS',
  createTime: null, finishTime: null, numBufs: [], allocBufs: [], remFiles: [], discussion: '', ...over,
});

describe('the MMS validation limits are the SITL tools\' defaults', () => {
  it('reads fom_bounds 0-255, fom_gmax 200, seg_bounds 1-60, nominal 2-35, buff_max 1000, p1_percent 33, fom_del_max 100, fom_mod_percent 0.4', () => {
    expect(limits).toMatchObject({ fomBounds: [0, 255], fomReserved: 200, segmentBounds: [1, 60], nominalSegmentRange: [2, 35], maxBuffers: 1000, priority1Percent: 33, fomDeleteMax: 100, fomModifyFraction: 0.4 });
  });
});

describe('SITL selections (FOMStr) validation', () => {
  it('accepts a nominal selection without any finding', () => {
    expect(rules([sel(100, 109, 120)])).toEqual([]);
  });

  it('refuses a FOM outside 0-255 with an error', () => {
    expect(rules([sel(100, 109, 256), sel(200, 209, -1)]).filter((m) => m.rule === 'fom-bounds')).toEqual([
      { severity: 'error', rule: 'fom-bounds', item: 0, message: 'selection 1: FOM 256 is outside the allowed range 0-255' },
      { severity: 'error', rule: 'fom-bounds', item: 1, message: 'selection 2: FOM -1 is outside the allowed range 0-255' },
    ]);
  });

  it('refuses a segment longer than 60 buffers with an error', () => {
    expect(rules([sel(100, 160, 50)])).toContainEqual({ severity: 'error', rule: 'segment-length', item: 0, message: 'selection 1: 61 buffers is outside the allowed segment length 1-60 buffers' });
  });

  it('refuses a start after the stop with an error', () => {
    expect(rules([sel(110, 100, 50)])).toEqual([{ severity: 'error', rule: 'start-after-stop', item: 0, message: 'selection 1: start cycle 110 is after stop cycle 100' }]);
  });

  it('refuses cycles outside the window with an error', () => {
    expect(rules([sel(2730, 2740, 50)])).toContainEqual({ severity: 'error', rule: 'outside-window', item: 0, message: 'selection 1: cycles 2730-2740 are outside the window (cycles 0-2735)' });
  });

  it('refuses selections overlapping each other or an existing segment, naming the segment and its UTC times', () => {
    const messages = rules([sel(100, 109, 50), sel(105, 115, 50), sel(5, 14, 50)], { existing: [segment({})] });
    expect(messages).toContainEqual({ severity: 'error', rule: 'overlap', item: 1, message: 'selections 1 and 2 overlap' });
    expect(messages).toContainEqual({
      severity: 'error', rule: 'overlap', item: 2,
      message: 'selection 3 (2015-06-12 17:20:55 to 2015-06-12 17:22:35) overlaps existing segment 1013 (2015-06-12 17:20:05 to 2015-06-12 17:22:05); new selections must not overlap existing segments',
    });
  });

  it('lets a selection overlap a DELETED segment', () => {
    expect(rules([sel(5, 14, 50)], { existing: [segment({ status: 'DELETED' })] })).toEqual([]);
  });

  it('asks for confirmation of a length outside the nominal 2-35 buffers', () => {
    expect(rules([sel(100, 100, 50), sel(200, 239, 50)])).toEqual([
      { severity: 'confirm', rule: 'nominal-length', item: 0, message: 'selection 1: 1 buffers is outside the nominal segment length 2-35 buffers; confirm to submit it' },
      { severity: 'confirm', rule: 'nominal-length', item: 1, message: 'selection 2: 40 buffers is outside the nominal segment length 2-35 buffers; confirm to submit it' },
    ]);
  });

  it('asks for confirmation when priority-1 buffers exceed 33% of 1000', () => {
    const selections = Array.from({ length: 12 }, (_, i) => sel(i * 30, i * 30 + 29, 160));
    expect(rules(selections)).toEqual([{ severity: 'confirm', rule: 'priority-1-share', message: expect.stringMatching(/^priority-1 selections \(FOM from 150 to below 200\) take 360 buffers, more than 33% of 1000 buffers \(330\); priority 1 should be reserved/) }]);
    expect(rules(selections.slice(0, 11))).toEqual([]);
  });

  it('needs a super-SITL for a FOM above 200 and for more than 1000 buffers', () => {
    expect(rules([sel(100, 109, 201)])).toEqual([{ severity: 'super-sitl', rule: 'fom-reserved', item: 0, message: 'selection 1: FOM 201 is above 200. Submission needs SuperSITL Approval! FOMs above 200 should be reserved for the highest priority events or calibrations' }]);
    const many = Array.from({ length: 34 }, (_, i) => sel(i * 31, i * 31 + 29, 60));
    expect(rules(many)).toEqual([{ severity: 'super-sitl', rule: 'max-buffers', message: 'the selections total 1020 buffers, more than the maximum of 1000. Submission needs SuperSITL Approval!' }]);
  });

  it('asks for confirmation of selections unmodified from the automated ones', () => {
    expect(rules([{ ...frame.automated[0]! }])).toEqual([{ severity: 'confirm', rule: 'unmodified', message: 'the selections are the automated selections, unmodified; confirm to submit them as they are' }]);
  });

  it('refuses an uplink without a close time, and a selection ending at or after the close', () => {
    expect(rules([sel(100, 109, 50)], { uplink: { closeTai: undefined } })).toEqual([{ severity: 'error', rule: 'close-time-missing', message: 'the final uplink needs the window close time (closeTai, TAI seconds)' }]);
    expect(rules([sel(100, 109, 50)], { uplink: { closeTai: T0 + 1100 } })).toEqual([{ severity: 'error', rule: 'after-close', item: 0, message: 'selection 1 ends at 2015-06-12 17:38:25, at or after the window close 2015-06-12 17:38:25' }]);
    expect(rules([sel(100, 109, 50)], { uplink: { closeTai: T0 + 1110 } })).toEqual([]);
  });
});

describe('what findings let through', () => {
  const confirm = { severity: 'confirm', rule: 'nominal-length', message: 'm' } as const;
  const reserved = { severity: 'super-sitl', rule: 'fom-reserved', message: 'm' } as const;
  const error = { severity: 'error', rule: 'fom-bounds', message: 'm' } as const;

  it('errors block whatever is acknowledged', () => {
    expect(decide([error], { confirm: true, override: true, isSuperSitl: true })).toMatchObject({ accepted: false, needs: 'fix-errors' });
  });

  it('yellow warnings pass once confirmed', () => {
    expect(decide([confirm], { confirm: false, override: false, isSuperSitl: false })).toMatchObject({ accepted: false, needs: 'confirmation' });
    expect(decide([confirm], { confirm: true, override: false, isSuperSitl: false })).toEqual({ accepted: true, acknowledged: [confirm] });
  });

  it('orange warnings pass only with a super-SITL override', () => {
    expect(decide([reserved], { confirm: true, override: true, isSuperSitl: false })).toMatchObject({ accepted: false, needs: 'super-sitl' });
    expect(decide([reserved], { confirm: true, override: false, isSuperSitl: true })).toMatchObject({ accepted: false, needs: 'super-sitl' });
    expect(decide([reserved], { confirm: false, override: true, isSuperSitl: true })).toEqual({ accepted: true, acknowledged: [reserved] });
  });
});

describe('back-structure edits validation', () => {
  const held = segment({});
  const finished = segment({ id: 1014, status: 'COMPLETE+FINISHED', isPending: false });
  const check = (edits: BackStructureEdit[], neighbours: BurstSegment[] = []) =>
    validateBackStructure({ edits, limits, cycleSeconds: 10, segments: new Map([held, finished].map((s) => [s.id, s])), neighbours });

  it('refuses an edit of a FINISHED segment', () => {
    expect(check([{ change: 'modify', segmentId: 1014, fom: 90 }])).toEqual([{ severity: 'error', rule: 'finished', item: 0, message: 'edit 1: segment 1014 is COMPLETE+FINISHED: a FINISHED segment cannot be edited' }]);
    expect(check([{ change: 'delete', segmentId: 1014 }])).toMatchObject([{ rule: 'finished' }]);
  });

  it('refuses an edit of a segment that does not exist', () => {
    expect(check([{ change: 'delete', segmentId: 99 }])).toEqual([{ severity: 'error', rule: 'unknown-segment', item: 0, message: 'edit 1: segment 99 does not exist; edits must name an existing segment exactly' }]);
  });

  it('refuses a modified FOM out of bounds and asks to confirm a change of more than 40%', () => {
    expect(check([{ change: 'modify', segmentId: 1013, fom: 300 }])).toEqual([{ severity: 'error', rule: 'fom-bounds', item: 0, message: 'edit 1: FOM 300 of segment 1013 is outside the allowed range 0-255' }]);
    expect(check([{ change: 'modify', segmentId: 1013, fom: 120 }])).toEqual([{ severity: 'confirm', rule: 'fom-change', item: 0, message: 'edit 1: FOM of segment 1013 changes from 80 to 120, more than 40%; confirm the change' }]);
    expect(check([{ change: 'modify', segmentId: 1013, fom: 100 }])).toEqual([]);
  });

  it('asks to confirm deleting a segment whose FOM is above 100', () => {
    const valuable = segment({ id: 1015, fom: 150 });
    expect(validateBackStructure({ edits: [{ change: 'delete', segmentId: 1015 }], limits, cycleSeconds: 10, segments: new Map([[1015, valuable]]), neighbours: [] })).toEqual([
      { severity: 'confirm', rule: 'delete-high-fom', item: 0, message: 'edit 1: segment 1015 has FOM 150, above 100; confirm its deletion' },
    ]);
    expect(check([{ change: 'delete', segmentId: 1013 }])).toEqual([]);
  });

  it('checks an added segment like a selection, plus the justification above 150 and no overlap', () => {
    const add = (taiStart: number, taiEnd: number, fom: number): BackStructureEdit => ({ change: 'add', taiStart, taiEnd, fom });
    const later = T0 + 10_000;
    expect(check([add(later, later + 90, 160)])).toEqual([{ severity: 'confirm', rule: 'fom-justify', item: 0, message: 'edit 1 (new segment): FOM greater than 150, please justify (discussion) and confirm' }]);
    expect(check([add(later, later + 90, 210)])).toEqual([{ severity: 'super-sitl', rule: 'fom-reserved', item: 0, message: 'edit 1 (new segment): FOM 210 is above 200. Submission needs SuperSITL Approval!' }]);
    expect(check([add(later, later + 600, 50)])).toMatchObject([{ severity: 'error', rule: 'segment-length', message: 'edit 1 (new segment): 61 buffers is outside the allowed segment length 1-60 buffers' }]);
    expect(check([add(later + 90, later, 50)])).toMatchObject([{ severity: 'error', rule: 'start-after-stop' }]);
    expect(check([add(later, later + 95, 50)])).toMatchObject([{ severity: 'error', rule: 'off-grid', message: 'edit 1 (new segment): start and end must be a whole number of 10-s buffers apart' }]);
    expect(check([add(T0 + 50, T0 + 140, 50)], [held])).toEqual([{ severity: 'error', rule: 'overlap', item: 0, message: 'edit 1 (new segment) (2015-06-12 17:20:55 to 2015-06-12 17:22:35) overlaps existing segment 1013; a new segment must not overlap existing segments' }]);
  });
});
