import { CdfUsageError } from '../errors/cdf-usage-error.js';
import type { CdfGlobalAttribute } from '../model/cdf-attribute.js';
import type { CdfFileInfo } from '../model/cdf-file-info.js';
import type { CdfMetadata } from '../model/cdf-metadata.js';
import type { CdfOpenOptions, CdfReader } from '../model/cdf-reader.js';
import type { CdfReadStats, CdfRecordRange, CdfVariableData } from '../model/cdf-variable-data.js';
import type { CdfVariableInfo } from '../model/cdf-variable-info.js';
import type { ByteSource } from './byte-source.js';
import { verifyMd5 } from './checksum-verifier.js';
import type { RecordReader } from './record-reader.js';
import { findTimeVariable, timeRangeOf } from './time-range-finder.js';
import type { VariableReader } from './variable-reader.js';

/** A parsed file: descriptors and attributes are read, data is read on demand. */
export interface ParsedCdf {
  readonly file: CdfFileInfo;
  /** The bytes as stored (compressed for a whole-file-compressed file), for the MD5 check. */
  readonly stored: ByteSource;
  readonly reader: RecordReader;
  readonly globalAttributes: readonly CdfGlobalAttribute[];
  readonly variables: readonly CdfVariableInfo[];
  readonly readers: ReadonlyMap<string, VariableReader>;
  readonly stats: CdfReadStats;
}

/** The `CdfReader` of an opened file. */
export class CdfFileReader implements CdfReader {
  readonly file: CdfFileInfo;
  readonly globalAttributes: readonly CdfGlobalAttribute[];
  readonly variables: readonly CdfVariableInfo[];
  readonly stats: Readonly<CdfReadStats>;
  private readonly byName: ReadonlyMap<string, CdfVariableInfo>;
  private closed = false;

  constructor(
    private readonly parsed: ParsedCdf,
    private readonly options: CdfOpenOptions,
  ) {
    this.file = parsed.file;
    this.globalAttributes = parsed.globalAttributes;
    this.variables = parsed.variables;
    this.stats = parsed.stats;
    this.byName = new Map(parsed.variables.map((v) => [v.name, v]));
  }

  variable(name: string): CdfVariableInfo {
    const variable = this.byName.get(name);
    if (!variable) throw new CdfUsageError('unknown-variable', `${this.file.name}: no variable named "${name}"`);
    return variable;
  }

  hasVariable(name: string): boolean {
    return this.byName.has(name);
  }

  globalAttribute(name: string): CdfGlobalAttribute | undefined {
    return this.globalAttributes.find((a) => a.name === name);
  }

  read(name: string, range: CdfRecordRange = {}): CdfVariableData {
    this.checkOpen();
    const variable = this.variable(name);
    const reader = this.parsed.readers.get(name)!;
    if (variable.recordCount === 0 && range.first === undefined && range.last === undefined) {
      return { variable, firstRecord: 0, shape: [0, ...variable.dimensions], values: reader.empty() };
    }
    const first = range.first ?? 0;
    const last = range.last ?? variable.recordCount - 1;
    if (!(Number.isInteger(first) && Number.isInteger(last) && first >= 0 && first <= last && last < variable.recordCount)) {
      throw new CdfUsageError(
        'bad-record-range',
        `${this.file.name}: variable ${name} has records 0-${variable.recordCount - 1}; asked for ${first}-${last}`,
      );
    }
    return { variable, firstRecord: first, shape: [last - first + 1, ...variable.dimensions], values: reader.read(first, last) };
  }

  metadata(): CdfMetadata {
    this.checkOpen();
    const base = { file: this.file, globalAttributes: this.globalAttributes, variables: this.variables };
    const time = findTimeVariable(this.variables);
    if (!time) return base;
    const last = time.recordCount - 1;
    const first = this.read(time.name, { first: 0, last: 0 }).values;
    const final = this.read(time.name, { first: last, last }).values;
    return { ...base, timeRange: timeRangeOf(time, first, final, this.options.leapSeconds) };
  }

  verifyChecksum(): boolean {
    this.checkOpen();
    if (!this.file.hasChecksum) return false;
    verifyMd5(this.parsed.stored, this.file.name);
    return true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.parsed.stored.close();
    this.parsed.reader.source.close();
  }

  private checkOpen(): void {
    if (this.closed) throw new CdfUsageError('closed', `${this.file.name}: the file is closed`);
  }
}
