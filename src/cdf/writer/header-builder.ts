import { ADR_SIZE, AEDR_HEADER_SIZE, attributeDescriptorRecord, attributeEntryRecord } from './attribute-records.js';
import { cdfDescriptorRecord, GDR_OFFSET, GDR_SIZE, globalDescriptorRecord, magicNumbers } from './file-header-records.js';
import type { CdfPlan, PlannedAttribute, PlannedVariable } from './schema-planner.js';
import { CPR_SIZE, gzipParametersRecord, variableDescriptorRecord, variableDescriptorSize } from './variable-descriptor-records.js';

/** What the header says about a variable's records once they are written. */
export interface VariableState {
  /** Last record number; -1 while the variable has none. */
  maxRec: number;
  /** Offset of the root VXR; 0 while the variable has none. */
  vxrHead: number;
}

/** Everything the header records hold besides the plan. */
export interface HeaderFields {
  rowMajor: boolean;
  md5: boolean;
  copyright: string;
  leapSecondLastUpdated: number;
  /** File length without the MD5 trailer; 0 before it is known. */
  eof: number;
  /** One state per planned variable, in variable-number order. */
  states: readonly VariableState[];
}

const FIRST_ADR_OFFSET = GDR_OFFSET + GDR_SIZE;

function attributeSize(attribute: PlannedAttribute): number {
  return ADR_SIZE + attribute.entries.reduce((sum, e) => sum + AEDR_HEADER_SIZE + e.value.length, 0);
}

function variableSize(variable: PlannedVariable): number {
  return variableDescriptorSize(variable.dims.length, variable.pad.length) + (variable.gzipLevel === undefined ? 0 : CPR_SIZE);
}

/** Bytes taken by the magic, CDR, GDR, attribute and variable records: where data starts. */
export function headerSize(plan: CdfPlan): number {
  return firstVdrOffset(plan) + plan.variables.reduce((sum, v) => sum + variableSize(v), 0);
}

function firstVdrOffset(plan: CdfPlan): number {
  return FIRST_ADR_OFFSET + plan.attributes.reduce((sum, a) => sum + attributeSize(a), 0);
}

/**
 * Builds the header region in the NASA library's order: magic, CDR, GDR, each ADR followed by
 * its entries, each zVDR followed by its CPR. Its size depends only on the plan, so the same
 * region is written as a placeholder first and rewritten with the final fields at close.
 */
export function buildHeader(plan: CdfPlan, fields: HeaderFields): Buffer {
  const zVdrHead = plan.variables.length > 0 ? firstVdrOffset(plan) : 0;
  const parts: Buffer[] = [
    magicNumbers(),
    cdfDescriptorRecord(fields),
    globalDescriptorRecord({
      zVdrHead,
      adrHead: plan.attributes.length > 0 ? FIRST_ADR_OFFSET : 0,
      eof: fields.eof,
      numAttributes: plan.attributes.length,
      numZVariables: plan.variables.length,
      leapSecondLastUpdated: fields.leapSecondLastUpdated,
    }),
    ...attributeRecords(plan.attributes),
    ...variableRecords(plan.variables, fields.states, zVdrHead),
  ];
  return Buffer.concat(parts);
}

function attributeRecords(attributes: readonly PlannedAttribute[]): Buffer[] {
  const parts: Buffer[] = [];
  let offset = FIRST_ADR_OFFSET;
  attributes.forEach((attribute, i) => {
    const size = attributeSize(attribute);
    const isLast = i === attributes.length - 1;
    const last = attribute.entries[attribute.entries.length - 1];
    parts.push(
      attributeDescriptorRecord({
        next: isLast ? 0 : offset + size,
        name: attribute.name,
        global: attribute.global,
        num: attribute.num,
        entriesHead: attribute.entries.length > 0 ? offset + ADR_SIZE : 0,
        numEntries: attribute.entries.length,
        maxEntry: last ? last.num : -1,
      }),
    );
    let entryOffset = offset + ADR_SIZE;
    attribute.entries.forEach((entry, j) => {
      const entrySize = AEDR_HEADER_SIZE + entry.value.length;
      const next = j === attribute.entries.length - 1 ? 0 : entryOffset + entrySize;
      parts.push(attributeEntryRecord({ ...entry, next, global: attribute.global, attributeNum: attribute.num }));
      entryOffset += entrySize;
    });
    offset += size;
  });
  return parts;
}

function variableRecords(variables: readonly PlannedVariable[], states: readonly VariableState[], start: number): Buffer[] {
  const parts: Buffer[] = [];
  let offset = start;
  variables.forEach((variable, i) => {
    const size = variableSize(variable);
    const vdrSize = variableDescriptorSize(variable.dims.length, variable.pad.length);
    const state = states[i] ?? { maxRec: -1, vxrHead: 0 };
    const compressed = variable.gzipLevel !== undefined;
    parts.push(
      variableDescriptorRecord({
        next: i === variables.length - 1 ? 0 : offset + size,
        dataType: variable.type.code,
        maxRec: state.maxRec,
        vxrHead: state.vxrHead,
        vxrTail: state.vxrHead,
        recordVarying: variable.recordVarying,
        compressed,
        numElems: variable.numElems,
        num: variable.num,
        cprOffset: compressed ? offset + vdrSize : -1,
        blockingFactor: variable.blockingFactor,
        name: variable.name,
        dims: variable.dims,
        pad: variable.pad,
      }),
    );
    if (variable.gzipLevel !== undefined) parts.push(gzipParametersRecord(variable.gzipLevel));
    offset += size;
  });
  return parts;
}
