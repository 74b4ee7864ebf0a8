import type { CdfAttributeEntry } from '../model/cdf-attribute.js';
import { isCdfStringType } from '../model/cdf-data-type.js';
import type { CdfAttributeValue } from '../model/cdf-values.js';
import type { CdfVariableInfo } from '../model/cdf-variable-info.js';
import { decodeNumeric, decodeText } from '../values/value-decoder.js';
import type { AttributeRecord } from './attribute-reader.js';
import type { VariableDescriptor } from './variable-descriptor.js';

/**
 * The public description of a variable: its descriptor plus its variable-scope attribute entries
 * (zVariables' entries come from AzEDR chains, rVariables' from AgrEDR chains).
 */
export function variableInfo(
  descriptor: VariableDescriptor,
  attributes: readonly AttributeRecord[],
  littleEndian: boolean,
): CdfVariableInfo {
  const d = descriptor;
  const recordCount = d.maxRecord + 1;
  const padValue = d.padBytes ? decodePad(d, littleEndian) : undefined;
  return {
    name: d.name,
    kind: d.kind,
    number: d.number,
    type: d.type,
    numElements: d.numElements,
    dimensions: d.dimensions,
    dimensionVariance: d.dimensionVariance,
    recordVariance: d.recordVariance,
    recordCount,
    shape: [recordCount, ...d.dimensions],
    compression: d.compression,
    ...(d.compressionLevel !== undefined ? { compressionLevel: d.compressionLevel } : {}),
    sparseRecords: d.sparseRecords,
    blockingFactor: d.blockingFactor,
    ...(padValue !== undefined ? { padValue } : {}),
    attributes: entriesFor(d, attributes),
  };
}

function entriesFor(d: VariableDescriptor, attributes: readonly AttributeRecord[]): Record<string, CdfAttributeEntry> {
  const entries: Record<string, CdfAttributeEntry> = {};
  for (const attribute of attributes) {
    if (attribute.global) continue;
    const chain = d.kind === 'z' ? attribute.zEntries : attribute.rEntries;
    const found = chain.find((e) => e.num === d.number);
    if (found) entries[attribute.name] = found.entry;
  }
  return entries;
}

function decodePad(d: VariableDescriptor, littleEndian: boolean): CdfAttributeValue {
  const bytes = d.padBytes!;
  if (isCdfStringType(d.type)) return decodeText(bytes);
  return decodeNumeric(bytes, d.type, 1, littleEndian, false);
}
