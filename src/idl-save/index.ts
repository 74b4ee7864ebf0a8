/**
 * IDL SAVE files (`save`/`restore` of IDL and GDL): a writer of uncompressed files and a reader
 * of uncompressed and /COMPRESS files, for scalars, arrays and (nested) structures of IDL's basic
 * types. Self-contained: imports nothing from the rest of the SDC. Layout from C. Markwardt's
 * "Unofficial Format Specification of the IDL SAVE File" and files written by IDL and GDL.
 */
export type { IdlArray, IdlBasicType, IdlComplex, IdlElement, IdlScalar, IdlStruct, IdlStructElement, IdlValue } from './idl-types.js';
export { idl, plainValue, type PlainIdlValue } from './idl-values.js';
export { writeIdlSave, type IdlSaveWriteOptions } from './idl-save-writer.js';
export { readIdlSave, type IdlSaveFile, type IdlSaveReadOptions } from './idl-save-reader.js';
export { IdlSaveFormatError, IdlValueError, type IdlSaveFormatErrorKind } from './idl-save-error.js';
