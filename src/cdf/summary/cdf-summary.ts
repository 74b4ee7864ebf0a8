import type { CdfMetadata, CdfTimeRange } from '../model/cdf-metadata.js';
import type { CdfReader } from '../model/cdf-reader.js';
import type { CdfVariableInfo } from '../model/cdf-variable-info.js';
import type { CdfFileInfo } from '../model/cdf-file-info.js';
import { plainAttributeValue, plainValues, type PlainValue } from './value-formatter.js';

/** How many values of a first or last record a summary shows. */
const MAX_VALUES_SHOWN = 16;

/** A variable in a summary: its description, attributes and its first and last records. */
export interface CdfVariableSummary {
  readonly name: string;
  readonly kind: 'z' | 'r';
  readonly type: string;
  readonly numElements: number;
  readonly shape: readonly number[];
  readonly recordVariance: boolean;
  readonly compression: string;
  readonly sparseRecords: string;
  readonly attributes: Readonly<Record<string, PlainValue | PlainValue[]>>;
  /** Values of one record (at most 16 shown). */
  readonly valuesPerRecord: number;
  readonly first?: readonly PlainValue[];
  readonly last?: readonly PlainValue[];
}

/** What `sdc cdf dump` shows: JSON-ready (no typed arrays, no bigints). */
export interface CdfSummary {
  readonly file: CdfFileInfo;
  readonly timeRange?: CdfTimeRange;
  /** Global attributes: name → entries in entry order (sparse entry numbers in `entryNumbers`). */
  readonly globalAttributes: ReadonlyArray<{ name: string; entryNumbers: number[]; entries: Array<PlainValue | PlainValue[]> }>;
  readonly variables: readonly CdfVariableSummary[];
}

/**
 * Summarises an open file: metadata, every attribute, and the first and last record of every
 * variable (reading only the blocks that hold them).
 */
export function summarizeCdf(cdf: CdfReader): CdfSummary {
  const metadata: CdfMetadata = cdf.metadata();
  return {
    file: metadata.file,
    ...(metadata.timeRange ? { timeRange: metadata.timeRange } : {}),
    globalAttributes: metadata.globalAttributes.map((attribute) => ({
      name: attribute.name,
      entryNumbers: attribute.entries.map((e) => e.index),
      entries: attribute.entries.map((e) => plainAttributeValue(e.value, e.type)),
    })),
    variables: metadata.variables.map((variable) => summarizeVariable(cdf, variable)),
  };
}

function summarizeVariable(cdf: CdfReader, v: CdfVariableInfo): CdfVariableSummary {
  const valuesPerRecord = v.dimensions.reduce((a, b) => a * b, 1);
  const shown = Math.min(valuesPerRecord, MAX_VALUES_SHOWN);
  const recordValues = (record: number): PlainValue[] =>
    plainValues(cdf.read(v.name, { first: record, last: record }).values, v.type, 0, shown);
  const attributes = Object.fromEntries(
    Object.entries(v.attributes).map(([name, entry]) => [name, plainAttributeValue(entry.value, entry.type)]),
  );
  return {
    name: v.name,
    kind: v.kind,
    type: v.type,
    numElements: v.numElements,
    shape: v.shape,
    recordVariance: v.recordVariance,
    compression: v.compression === 'gzip' && v.compressionLevel !== undefined ? `gzip(${v.compressionLevel})` : v.compression,
    sparseRecords: v.sparseRecords,
    attributes,
    valuesPerRecord,
    ...(v.recordCount > 0 ? { first: recordValues(0), last: recordValues(v.recordCount - 1) } : {}),
  };
}
