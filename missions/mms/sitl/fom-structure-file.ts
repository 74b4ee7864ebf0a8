import { DateTime } from 'luxon';
import { idl, writeIdlSave, type IdlValue } from '../../../src/idl-save/index.js';
import type { SitlConfig } from '../../../src/sitl/sitl-config.js';
import type { Selection, SelectionWindow } from '../../../src/sitl/sitl-types.js';
import { ABS_VERSION } from './abs-algorithm.js';

/** OBSSET of a selection: a bitmask of the spacecraft, 15 = all four. */
const ALL_OBSERVATORIES = 15;

/**
 * The selection files EVA restores and pymms reads with `readsav`: an IDL SAVE file holding the
 * structure `fomstr` with the tags and IDL types of the ABS and SITL FOMStr. START/STOP are
 * inclusive cycle indices into TIMESTAMPS (ULONG TAI of each cycle start), SEGLENGTHS = STOP −
 * START + 1, FOM FLOAT. IDL has no empty arrays: a window without selections has NSEGS = 0 and
 * one placeholder element in each per-selection array (START = STOP = -1). Tags of the original
 * algorithm's FOM computation this ABS does not use (TARGETRATIO, FOMWINDOWSIZE, FOMSLOPE,
 * FOMSKEW, FOMBIAS) come from the window's parameters when set, else 0: EVA tells an ABS/SITL
 * structure from a back structure by the FOMSLOPE tag, and pymms reads them all.
 */
export function encodeFomStructure(window: SelectionWindow, selections: readonly Selection[], extra: { uplink?: boolean; closeTai?: number | null; note?: string; evaluatedAt: Date }): Uint8Array {
  const p = window.parameters;
  const param = (name: string) => (typeof p[name] === 'number' ? (p[name] as number) : 0);
  const lengths = selections.map((s) => s.stop - s.start + 1);
  const none = selections.length === 0;
  const perSelection = <T>(values: T[], placeholder: T) => (none ? [placeholder] : values);
  const nbuffs = lengths.reduce((a, b) => a + b, 0);
  const fomstr: Record<string, IdlValue> = {
    VALID: idl.long(1),
    ERROR: idl.string(''),
    ALGVERSION: idl.string(String(p.algorithmVersion ?? ABS_VERSION)),
    SOURCEID: idl.stringArray(perSelection(selections.map((s) => s.sourceId), '')),
    CYCLESTART: idl.ulong(window.cycleStart),
    NUMCYCLES: idl.long(window.numCycles),
    NSEGS: idl.long(selections.length),
    START: idl.longArray(perSelection(selections.map((s) => s.start), -1)),
    STOP: idl.longArray(perSelection(selections.map((s) => s.stop), -1)),
    SEGLENGTHS: idl.longArray(perSelection(lengths, 0)),
    FOM: idl.floatArray(perSelection(selections.map((s) => s.fom), 0)),
    NBUFFS: idl.long(nbuffs),
    MDQ: idl.floatArray(window.mdq),
    TIMESTAMPS: idl.ulongArray(Array.from({ length: window.numCycles }, (_, i) => window.cycleStart + i * window.cycleSeconds)),
    TARGETBUFFS: idl.long(Number(p.targetBuffers ?? 0)),
    FOMAVE: idl.float(Number(p.fomAverage ?? 0)),
    TARGETRATIO: idl.float(param('targetRatio')),
    MINSEGMENTSIZE: idl.long(Number(p.minSegmentSize ?? 0)),
    MAXSEGMENTSIZE: idl.long(Number(p.maxSegmentSize ?? 0)),
    PAD: idl.long(Number(p.pad ?? 0)),
    SEARCHRATIO: idl.float(param('searchRatio')),
    FOMWINDOWSIZE: idl.long(param('fomWindowSize')),
    FOMSLOPE: idl.float(param('fomSlope')),
    FOMSKEW: idl.float(param('fomSkew')),
    FOMBIAS: idl.float(param('fomBias')),
    METADATAINFO: idl.string(''),
    OLDESTAVAILABLEBURSTDATA: idl.string(''),
    METADATAEVALTIME: idl.string(DateTime.fromJSDate(extra.evaluatedAt, { zone: 'utc' }).toFormat("yyyy-ooo'T'HH:mm:ss")),
    DISCUSSION: idl.stringArray(perSelection(selections.map((s) => s.discussion), '')),
    OBSSET: idl.byteArray(perSelection(selections.map(() => ALL_OBSERVATORIES), 0)),
    NOTE: idl.string(extra.note ?? ''),
    UPLINKFLAG: idl.long(extra.uplink ? 1 : 0),
    EVALSTARTTIME: idl.ulong(extra.closeTai ?? 0),
  };
  return writeIdlSave({ fomstr: idl.struct(fomstr) }, { date: extra.evaluatedAt, user: 'sdc' });
}

/**
 * `fom_validation.sav`: the structure `validation_struct` EVA validates with, its tags and types
 * as the SITL tools define them (bounds and ranges INT, BUFF_MAX, P1_PERCENT and FOM_MOD_PERCENT
 * FLOAT); the type ranges are inclusive, the configured categories half-open. FOM_FPI_MIN and
 * FPI_SEG_BOUNDS (FPI calibration segments, which the SDC does not take) keep the tools' defaults.
 */
export function encodeValidationLimits(config: SitlConfig): { name: string; content: Uint8Array } {
  const v = config.validation;
  const byId = new Map(config.categories.map((c) => [c.id, c]));
  const inclusive = (from: number, to: number) => numbers([from, to - 1]);
  const range = (id: number) => {
    const c = byId.get(id);
    return c ? inclusive(c.from, c.to) : numbers([0, -1]);
  };
  const validation = idl.struct({
    FOM_GMAX: number(v.fomReserved),
    FOM_BOUNDS: numbers(v.fomBounds),
    SEG_BOUNDS: numbers(v.segmentBounds),
    BUFF_MAX: idl.float(v.maxBuffers),
    P1_PERCENT: idl.float(v.priority1Percent),
    NOMINAL_SEG_RANGE: numbers(v.nominalSegmentRange),
    TYPE1_RANGE: inclusive(v.priority1Range[0], v.priority1Range[1]),
    TYPE2_RANGE: range(2),
    TYPE3_RANGE: range(3),
    TYPE4_RANGE: range(4),
    FOM_DEL_MAX: number(v.fomDeleteMax),
    FOM_MOD_PERCENT: idl.float(v.fomModifyFraction),
    FOM_FPI_MIN: idl.int(200),
    FPI_SEG_BOUNDS: idl.intArray([1, 4]),
    FOM_NEW_JUSTIFY: number(v.fomNewJustify),
  });
  return { name: 'fom_validation.sav', content: writeIdlSave({ validation_struct: validation }, { user: 'sdc' }) };
}

/** An INT as the SITL tools write these limits, or a FLOAT for a limit that is not a small integer. */
function number(value: number): IdlValue {
  return isInt(value) ? idl.int(value) : idl.float(value);
}

function numbers(values: readonly number[]): IdlValue {
  return values.every(isInt) ? idl.intArray(values) : idl.floatArray(values);
}

function isInt(value: number): boolean {
  return Number.isInteger(value) && value >= -32768 && value <= 32767;
}
