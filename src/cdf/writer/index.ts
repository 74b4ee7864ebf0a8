/** The CDF writer's public API (re-exported by src/cdf/index.ts). */
export { CdfWriter, lastLeapSecondDate } from './cdf-writer.js';
export type { CdfWriterOptions } from './cdf-writer.js';
export { writeCdf } from './write-cdf.js';
export type { CdfContent, VariableWithValues } from './write-cdf.js';
export type {
  AttributeEntry,
  CdfSchema,
  CdfWriteOptions,
  GlobalAttributeValue,
  GzipCompression,
  TypedAttributeEntry,
  VariableAttributeValue,
  VariableDefinition,
} from './cdf-schema.js';
export type { NumericArray, WritableValues } from './value-encoder.js';
export { CdfWriteError } from './cdf-write-error.js';
export type { CdfWriteErrorDetails, CdfWriteErrorKind } from './cdf-write-error.js';
