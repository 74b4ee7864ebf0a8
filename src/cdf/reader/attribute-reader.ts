import type { CdfAttributeEntry } from '../model/cdf-attribute.js';
import { CDF_DATA_TYPES, cdfDataTypeFromCode, isCdfStringType } from '../model/cdf-data-type.js';
import { decodeNumeric, decodeText } from '../values/value-decoder.js';
import { ChainGuard } from './chain-guard.js';
import type { FileHeader } from './file-header.js';
import type { RecordReader } from './record-reader.js';
import { RecordType } from './record-type.js';

/** An attribute entry with the number it is filed under (gEntry number, or variable number). */
export interface NumberedEntry {
  readonly num: number;
  readonly entry: CdfAttributeEntry;
}

/** One ADR with its entries: `rEntries` from the AgrEDR chain, `zEntries` from the AzEDR chain. */
export interface AttributeRecord {
  readonly name: string;
  readonly number: number;
  readonly global: boolean;
  readonly rEntries: readonly NumberedEntry[];
  readonly zEntries: readonly NumberedEntry[];
}

/** Follows the ADR chain and, for each attribute, its AgrEDR and AzEDR chains. */
export function readAttributes(reader: RecordReader, header: FileHeader): AttributeRecord[] {
  const attributes: AttributeRecord[] = [];
  const guard = new ChainGuard(reader, 'ADR');
  let offset = header.adrHead;
  for (let i = 0; i < header.attributeCount && offset !== 0; i++) {
    guard.visit(offset, 'ADR');
    const { fields } = reader.load(offset, [RecordType.ADR]);
    const next = fields.offset();
    const rHead = fields.offset();
    const scope = fields.int32();
    const number = fields.int32();
    const rCount = fields.int32();
    fields.skip(8);
    const zHead = fields.offset();
    const zCount = fields.int32();
    fields.skip(8);
    const name = fields.name();
    attributes.push({
      name,
      number,
      // JCDF reads scope bit 0: 1 (global) and 3 ("assumed global") are global.
      global: (scope & 1) === 1,
      rEntries: readEntries(reader, header, rHead, rCount, RecordType.AgrEDR, name),
      zEntries: readEntries(reader, header, zHead, zCount, RecordType.AzEDR, name),
    });
    offset = next;
  }
  return attributes;
}

function readEntries(
  reader: RecordReader,
  header: FileHeader,
  head: number,
  count: number,
  type: number,
  attribute: string,
): NumberedEntry[] {
  const entries: NumberedEntry[] = [];
  const typeName = type === RecordType.AgrEDR ? 'AgrEDR' : 'AzEDR';
  const guard = new ChainGuard(reader, `${typeName} (attribute ${attribute})`);
  let offset = head;
  for (let i = 0; i < count && offset !== 0; i++) {
    guard.visit(offset, typeName);
    const { fields } = reader.load(offset, [type]);
    const next = fields.offset();
    fields.int32();
    const typeCode = fields.int32();
    const num = fields.int32();
    const numElements = fields.int32();
    fields.skip(20);
    const dataType = cdfDataTypeFromCode(typeCode);
    if (!dataType) throw fields.error('bad-field', `attribute ${attribute}: unknown data type code ${typeCode}`);
    if (numElements < 0 || num < 0) throw fields.error('bad-field', `attribute ${attribute}: entry ${num} has ${numElements} elements`);
    const bytes = fields.bytesOf(numElements * CDF_DATA_TYPES[dataType].size);
    const value = isCdfStringType(dataType)
      ? decodeText(bytes)
      : decodeNumeric(bytes, dataType, numElements, header.littleEndian, false);
    entries.push({ num, entry: { type: dataType, numElements, value } });
    offset = next;
  }
  return entries.sort((a, b) => a.num - b.num);
}
