import { DateTime } from 'luxon';
import type { SitlConfig } from '../../../src/sitl/sitl-config.js';
import type { Selection, SelectionWindow } from '../../../src/sitl/sitl-types.js';
import { ABS_VERSION } from './abs-algorithm.js';

/**
 * The selection files EVA and pymms read, with the field names of the IDL `fomstr` (ABS and
 * SITL FOMStr): START/STOP are inclusive cycle indices into TIMESTAMPS (TAI of each cycle
 * start), SEGLENGTHS = STOP − START + 1. Encoded as JSON (one object) rather than an IDL SAVE
 * file; the field set is the reference's.
 */
export function encodeFomStructure(window: SelectionWindow, selections: readonly Selection[], extra: { uplink?: boolean; closeTai?: number | null; note?: string; evaluatedAt: Date }): string {
  const p = window.parameters;
  const lengths = selections.map((s) => s.stop - s.start + 1);
  const fomstr = {
    VALID: 1,
    ERROR: '',
    ALGVERSION: String(p.algorithmVersion ?? ABS_VERSION),
    SOURCEID: selections.map((s) => s.sourceId),
    CYCLESTART: window.cycleStart,
    NUMCYCLES: window.numCycles,
    NSEGS: selections.length,
    START: selections.map((s) => s.start),
    STOP: selections.map((s) => s.stop),
    SEGLENGTHS: lengths,
    FOM: selections.map((s) => s.fom),
    NBUFFS: lengths.reduce((a, b) => a + b, 0),
    MDQ: window.mdq,
    TIMESTAMPS: Array.from({ length: window.numCycles }, (_, i) => window.cycleStart + i * window.cycleSeconds),
    TARGETBUFFS: p.targetBuffers,
    FOMAVE: p.fomAverage,
    MINSEGMENTSIZE: p.minSegmentSize,
    MAXSEGMENTSIZE: p.maxSegmentSize,
    PAD: p.pad,
    SEARCHRATIO: p.searchRatio,
    METADATAEVALTIME: DateTime.fromJSDate(extra.evaluatedAt, { zone: 'utc' }).toFormat("yyyy-ooo'T'HH:mm:ss"),
    DISCUSSION: selections.map((s) => s.discussion),
    NOTE: extra.note ?? '',
    UPLINKFLAG: extra.uplink ? 1 : 0,
    EVALSTARTTIME: extra.closeTai ?? 0,
  };
  return `${JSON.stringify(fomstr)}\n`;
}

/** The validation limits under the names of `fom_validation.sav`'s `validation_struct`. */
export function encodeValidationLimits(config: SitlConfig): string {
  const v = config.validation;
  const byId = new Map(config.categories.map((c) => [c.id, c]));
  const range = (id: number) => {
    const c = byId.get(id);
    return c ? [c.from, c.to - 1] : undefined;
  };
  return `${JSON.stringify({
    fom_bounds: v.fomBounds,
    fom_gmax: v.fomReserved,
    seg_bounds: v.segmentBounds,
    nominal_seg_range: v.nominalSegmentRange,
    buff_max: v.maxBuffers,
    p1_percent: v.priority1Percent,
    type1_range: [v.priority1Range[0], v.priority1Range[1] - 1],
    type2_range: range(2),
    type3_range: range(3),
    type4_range: range(4),
    fom_del_max: v.fomDeleteMax,
    fom_mod_percent: v.fomModifyFraction,
    fom_new_justify: v.fomNewJustify,
    categories: config.categories,
  })}\n`;
}
