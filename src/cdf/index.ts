/**
 * NASA Common Data Format (CDF) library: reader, time conversions (TT2000, EPOCH, EPOCH16) and the
 * types shared with the writer and the ISTP check. Self-contained: imports nothing from the rest
 * of the SDC, so it can be lifted into its own package.
 *
 * API stability: the names exported here are the public API; changes are noted in this comment.
 */
export type { CdfDataType } from './model/cdf-data-type.js';
export { CDF_DATA_TYPES, cdfDataTypeFromCode, isCdfStringType, isCdfTimeType } from './model/cdf-data-type.js';
export type { CdfNumericArray, CdfValues, CdfAttributeValue } from './model/cdf-values.js';
export type { CdfAttributeEntry, CdfGlobalEntry, CdfGlobalAttribute } from './model/cdf-attribute.js';
export type { CdfVariableInfo, CdfCompression, CdfSparseRecords } from './model/cdf-variable-info.js';
export type { CdfFileInfo, CdfMajority } from './model/cdf-file-info.js';
export type { CdfMetadata, CdfTimeRange } from './model/cdf-metadata.js';
export type { CdfVariableData, CdfRecordRange, CdfReadStats } from './model/cdf-variable-data.js';
export type { CdfReader, CdfOpenOptions } from './model/cdf-reader.js';

export { CdfFormatError } from './errors/cdf-format-error.js';
export type { CdfFormatErrorKind, CdfFormatErrorContext } from './errors/cdf-format-error.js';
export { CdfUsageError } from './errors/cdf-usage-error.js';
export type { CdfUsageErrorKind } from './errors/cdf-usage-error.js';

export { openCdf, readCdfMetadata } from './reader/open-cdf.js';
export { summarizeCdf } from './summary/cdf-summary.js';
export type { CdfSummary, CdfVariableSummary } from './summary/cdf-summary.js';
export { plainValue, plainValues, plainAttributeValue } from './summary/value-formatter.js';
export type { PlainValue } from './summary/value-formatter.js';

export { LeapSecondTable } from './time/leap-second-table.js';
export type { LeapSecondEntry } from './time/leap-second-table.js';
export {
  defaultLeapSecondTable,
  LEAP_SECONDS_TABLE_ENV,
  BUNDLED_LEAP_SECONDS_TABLE,
} from './time/default-leap-second-table.js';
export type { UtcParts } from './time/utc-parts.js';
export { parseIsoUtc, formatIsoUtc } from './time/utc-parts.js';
export { TT2000_FILL, TT2000_PAD } from './time/tt2000-scale.js';
export {
  tt2000ToIso,
  isoToTt2000,
  utcPartsToTt2000,
  tt2000ToUnixMs,
  unixMsToTt2000,
} from './time/tt2000-converter.js';
export { tt2000ArrayToUnixMs } from './time/tt2000-array-converter.js';
export {
  EPOCH_FILL,
  EPOCH_UNIX_ORIGIN_MS,
  epochToIso,
  isoToEpoch,
  epochToUnixMs,
  unixMsToEpoch,
  epoch16ToIso,
  isoToEpoch16,
  epoch16ToUnixMs,
} from './time/epoch-converter.js';

export * from './writer/index.js';
export * from './istp/index.js';
