import { BlockAccumulator } from './block-accumulator.js';
import { ColumnMajorTransposer } from './column-major-transposer.js';
import { CdfWriteError } from './cdf-write-error.js';
import type { PlannedVariable } from './schema-planner.js';
import { encodeValues, type WritableValues } from './value-encoder.js';
import type { IndexEntry } from './variable-index-builder.js';

/** A full (or final) block of records waiting to be stored. */
export interface PendingBlock {
  first: number;
  last: number;
  /** Encoded records; may be a view of the caller's values, valid until the block is stored. */
  bytes: Uint8Array;
}

/** The largest record count a VDR's int32 MaxRec can describe. */
const MAX_RECORDS = 2 ** 31 - 1;

/**
 * One variable of a file being written: checks and encodes appended values, cuts them into
 * blocks and remembers where each stored block went, for the index written at close.
 */
export class VariableSink {
  /** Stored blocks in record order, as VXR entries. */
  readonly stored: IndexEntry[] = [];
  private records = 0;
  private blockedRecords = 0;
  private readonly accumulator: BlockAccumulator;
  private readonly transposer: ColumnMajorTransposer | undefined;

  constructor(
    readonly variable: PlannedVariable,
    rowMajor: boolean,
    private readonly file: string,
  ) {
    this.accumulator = new BlockAccumulator(variable.recordBytes, variable.blockingFactor);
    this.transposer = rowMajor ? undefined : ColumnMajorTransposer.forDims(variable.dims, variable.elementBytes);
  }

  /** Records accepted so far (stored or waiting in the partial block). */
  get recordCount(): number {
    return this.records;
  }

  /**
   * Checks and encodes whole records of values (row-major) and returns the blocks they
   * complete. Nothing changes when the values are rejected.
   */
  accept(values: WritableValues): PendingBlock[] {
    const count = this.checkRecordCount(values);
    if (count === 0) return [];
    const where = { file: this.file, variable: this.variable.name };
    const encoded = encodeValues(this.variable.type, this.variable.numElems, values, where);
    const ordered = this.transposer ? this.transposer.transpose(encoded) : encoded;
    this.records += count;
    return this.accumulator.add(ordered).map((bytes) => this.toBlock(bytes));
  }

  /** The last, partial block, if records are waiting in it. */
  finish(): PendingBlock | undefined {
    const bytes = this.accumulator.drain();
    return bytes ? this.toBlock(bytes) : undefined;
  }

  private toBlock(bytes: Uint8Array): PendingBlock {
    const first = this.blockedRecords;
    this.blockedRecords += bytes.length / this.variable.recordBytes;
    return { first, last: this.blockedRecords - 1, bytes };
  }

  private checkRecordCount(values: WritableValues): number {
    const { name, valuesPerRecord, recordVarying, dims } = this.variable;
    const where = { file: this.file, variable: name };
    if (!values || typeof values.length !== 'number' || typeof values === 'string') {
      throw new CdfWriteError('wrong-value-type', `variable ${name}: values must be an array or a typed array`, where);
    }
    if (values.length % valuesPerRecord !== 0) {
      throw new CdfWriteError(
        'wrong-shape',
        `variable ${name}: a record of shape [${dims.join(', ')}] holds ${valuesPerRecord} value(s); ` +
          `${values.length} values are not a whole number of records`,
        where,
      );
    }
    const count = values.length / valuesPerRecord;
    if (!recordVarying && count > 0 && this.records + count > 1) {
      const already = this.records > 0 ? 'its record was already written' : `got ${count} records`;
      throw new CdfWriteError('nrv-already-written', `variable ${name} is not record-varying: it holds exactly one record, and ${already}`, where);
    }
    if (this.records + count > MAX_RECORDS) {
      throw new CdfWriteError('too-many-records', `variable ${name}: more than ${MAX_RECORDS} records`, where);
    }
    return count;
  }
}
