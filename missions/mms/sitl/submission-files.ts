import { DateTime } from 'luxon';
import { readIdlSave, type IdlStructElement, type IdlValue } from '../../../src/idl-save/index.js';
import type { SubmissionFile, SubmissionFileKind } from '../../../src/sitl/submission-file.js';

/** `sitl_selections_YYYY-MM-DD-hh-mm-ss.sav` (EVA's selections) and `bdm_sitl_changesYYYY-MM-DD-hh-mm-ss.sav` (back-structure edits; older tools put a `_` before the date). */
const SELECTIONS = /^sitl_selections_\d{4}(-\d{2}){5}\.sav$/;
const BACK_STRUCTURE = /^bdm_sitl_changes_?\d{4}(-\d{2}){5}\.sav$/;

export function submissionFileKind(name: string): SubmissionFileKind | undefined {
  if (SELECTIONS.test(name)) return 'selections';
  if (BACK_STRUCTURE.test(name)) return 'back-structure';
  return undefined;
}

/**
 * Decodes the IDL SAVE files the SITL tools upload into the bodies of the JSON API. Selections:
 * the SITL FOMStr `fomstr` (the ABS structure edited): the first NSEGS entries of START, STOP,
 * FOM and DISCUSSION, UPLINKFLAG (1 = the final uplink), EVALSTARTTIME (window close, TAI), NOTE;
 * the window is the one starting at CYCLESTART with NUMCYCLES cycles (evaluated at
 * METADATAEVALTIME when there are several). Back structure: `fomstr`, an array of
 * `{ID, DATASEGMENTID, STARTTIME, ENDTIME, FOM, STATUS: New|Modified|Deleted, SOURCE,
 * OBSERVATORYID, DISCUSSION}`, ENDTIME the start of the last buffer as in the segment table.
 * SOURCEID/SOURCE are not taken from the file: the SDC sets them from the submitter.
 */
export function parseSubmissionFile(kind: SubmissionFileKind, content: Uint8Array): SubmissionFile {
  const file = readIdlSave(content);
  const fomstr = file.variables.get('FOMSTR');
  if (!fomstr) throw new Error(`it holds no variable FOMSTR (it holds ${[...file.variables.keys()].join(', ') || 'no variable'})`);
  if (fomstr.kind !== 'struct') throw new Error('FOMSTR is not a structure');
  return kind === 'selections' ? selectionsOf(fomstr.elements) : backStructureOf(fomstr.elements);
}

function selectionsOf(elements: IdlStructElement[]): SubmissionFile {
  if (elements.length !== 1) throw new Error(`FOMSTR holds ${elements.length} structures; a selections file holds one`);
  const s = new Tags(elements[0]!, 'FOMSTR');
  const timestamps = s.has('TIMESTAMPS') ? s.numbers('TIMESTAMPS') : undefined;
  const cycleStart = s.has('CYCLESTART') ? s.number('CYCLESTART') : timestamps?.[0];
  const numCycles = s.has('NUMCYCLES') ? s.number('NUMCYCLES') : timestamps?.length;
  if (cycleStart === undefined || numCycles === undefined) throw new Error('FOMSTR has neither CYCLESTART and NUMCYCLES nor TIMESTAMPS: it names no window');
  const start = s.numbers('START');
  const stop = s.numbers('STOP');
  const fom = s.numbers('FOM');
  const discussion = s.has('DISCUSSION') ? s.strings('DISCUSSION') : undefined;
  const nsegs = s.has('NSEGS') ? s.number('NSEGS') : start.length;
  for (const [tag, values] of [['START', start], ['STOP', stop], ['FOM', fom], ['DISCUSSION', discussion]] as const) {
    if (values && values.length < nsegs) throw new Error(`FOMSTR.${tag} has ${values.length} values, NSEGS says ${nsegs}`);
  }
  const selections = Array.from({ length: Math.max(0, nsegs) }, (_, i) => ({ start: start[i], stop: stop[i], fom: fom[i], ...(discussion ? { discussion: discussion[i] } : {}) }));
  const uplink = s.has('UPLINKFLAG') && s.number('UPLINKFLAG') === 1;
  const closeTai = s.has('EVALSTARTTIME') ? s.number('EVALSTARTTIME') : 0;
  const evaluatedAt = s.has('METADATAEVALTIME') ? DateTime.fromFormat(s.string('METADATAEVALTIME'), "yyyy-ooo'T'HH:mm:ss", { zone: 'utc' }) : undefined;
  return {
    kind: 'selections',
    window: { cycleStart, numCycles, ...(evaluatedAt?.isValid ? { evaluatedAt: evaluatedAt.toJSDate() } : {}) },
    body: { selections, uplink, ...(uplink && closeTai > 0 ? { closeTai } : {}), ...(s.has('NOTE') ? { note: s.string('NOTE') } : {}) },
  };
}

function backStructureOf(elements: IdlStructElement[]): SubmissionFile {
  const edits = elements.map((element, i) => {
    const row = new Tags(element, `FOMSTR[${i}]`);
    const status = row.string('STATUS').trim().toLowerCase();
    const discussion = row.has('DISCUSSION') && row.string('DISCUSSION') !== '' ? { discussion: row.string('DISCUSSION') } : {};
    if (status === 'new') {
      const observatories = row.has('OBSERVATORYID') ? { observatories: row.string('OBSERVATORYID') } : {};
      return { change: 'add', taiStart: row.number('STARTTIME'), taiEnd: row.number('ENDTIME'), fom: row.number('FOM'), ...discussion, ...observatories };
    }
    if (status === 'modified') return { change: 'modify', segmentId: row.number('DATASEGMENTID'), fom: row.number('FOM'), ...discussion };
    if (status === 'deleted') return { change: 'delete', segmentId: row.number('DATASEGMENTID'), ...discussion };
    throw new Error(`FOMSTR[${i}].STATUS '${row.string('STATUS')}' is none of New, Modified, Deleted`);
  });
  return { kind: 'back-structure', body: { edits } };
}

/** The tags of one structure, read as numbers or strings whatever their IDL type, scalar or array. */
class Tags {
  constructor(
    private readonly element: IdlStructElement,
    private readonly path: string,
  ) {}

  has(tag: string): boolean {
    return Object.hasOwn(this.element, tag);
  }

  number(tag: string): number {
    const values = this.numbers(tag);
    if (values.length !== 1) throw new Error(`${this.path}.${tag} holds ${values.length} values, not one`);
    return values[0]!;
  }

  numbers(tag: string): number[] {
    return this.elements(tag).map((v) => {
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      throw new Error(`${this.path}.${tag} is not numeric`);
    });
  }

  string(tag: string): string {
    const values = this.strings(tag);
    if (values.length !== 1) throw new Error(`${this.path}.${tag} holds ${values.length} strings, not one`);
    return values[0]!;
  }

  strings(tag: string): string[] {
    return this.elements(tag).map((v) => {
      if (typeof v !== 'string') throw new Error(`${this.path}.${tag} is not a string`);
      return v;
    });
  }

  private elements(tag: string): unknown[] {
    const value: IdlValue | undefined = this.element[tag];
    if (!value) throw new Error(`${this.path} has no tag ${tag}`);
    if (value.kind === 'struct') throw new Error(`${this.path}.${tag} is a structure`);
    return value.kind === 'scalar' ? [value.value] : value.values;
  }
}
