import { CdfFormatError, readCdfMetadata, type CdfAttributeValue, type CdfMetadata } from '../cdf/index.js';
import type { ParsedFileName } from '../mission/file-name-grammar.js';
import type { ArrivalInspector } from './ingest-service.js';
import { IngestRejection } from './ingest-rejection.js';

/**
 * Indexes CDF arrivals (names ending in `.cdf`): their global attributes, variables and the time
 * range of their Epoch go into the catalog, read without touching the other data. A file that
 * is not a readable CDF is refused. The catalog's time range is the name's, widened to the data's.
 */
export const inspectCdf: ArrivalInspector = async (path: string, parsed: ParsedFileName) => {
  if (!parsed.fileName.toLowerCase().endsWith('.cdf')) return undefined;
  let metadata: CdfMetadata;
  try {
    metadata = readCdfMetadata(path, { name: parsed.fileName });
  } catch (error) {
    if (!(error instanceof CdfFormatError)) throw error;
    throw new IngestRejection('corrupt-file', `'${parsed.fileName}' is not a readable CDF: ${error.message}`, parsed.fileName);
  }
  const range = metadata.timeRange;
  const dataEnd = range && Number.isFinite(range.endUnixMs) ? new Date(range.endUnixMs + 1) : undefined;
  return {
    metadata: {
      cdf: {
        version: metadata.file.version,
        globalAttributes: Object.fromEntries(metadata.globalAttributes.map((a) => [a.name, a.entries.map((e) => jsonValue(e.value))])),
        variables: metadata.variables.map((v) => ({ name: v.name, type: v.type, shape: v.shape })),
        timeRange: range ? { variable: range.variable, start: range.start, end: range.end } : null,
      },
    },
    end: dataEnd && dataEnd > parsed.end ? dataEnd : parsed.end,
  };
};

/** Attribute values as JSON: one value as itself, several as an array, 64-bit integers as strings. */
function jsonValue(value: CdfAttributeValue): unknown {
  if (typeof value === 'string') return value;
  const items = Array.from(value as ArrayLike<number | bigint>, (v) => (typeof v === 'bigint' ? v.toString() : v));
  return items.length === 1 ? items[0] : items;
}
