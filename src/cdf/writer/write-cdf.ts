import type { CdfSchema, VariableDefinition } from './cdf-schema.js';
import { CdfWriter, type CdfWriterOptions } from './cdf-writer.js';
import type { WritableValues } from './value-encoder.js';

/** A variable definition with all its values (row-major, whole records). */
export interface VariableWithValues extends VariableDefinition {
  /** All records; none when omitted. */
  values?: WritableValues;
}

/** A whole small CDF: global attributes and variables with their values. */
export interface CdfContent extends Omit<CdfSchema, 'variables'> {
  variables: readonly VariableWithValues[];
}

/**
 * Writes a whole CDF in one call (atomically, like CdfWriter). For CHAR/UCHAR variables
 * without `numElems`, the longest value (in UTF-8 bytes) sets it.
 *
 * @example
 * await writeCdf('small.cdf', {
 *   globalAttributes: { TEXT: ['first line', 'second line'] },
 *   variables: [
 *     { name: 'Epoch', type: 'TIME_TT2000', values: new BigInt64Array([0n, 1_000_000_000n]) },
 *     { name: 'label', type: 'CHAR', recordVarying: false, dims: [3], values: ['Bx', 'By', 'Bz'] },
 *   ],
 * });
 */
export async function writeCdf(path: string, content: CdfContent, options: CdfWriterOptions = {}): Promise<void> {
  const schema: CdfSchema = {
    globalAttributes: content.globalAttributes ?? {},
    variables: content.variables.map(withNumElems),
  };
  const writer = await CdfWriter.create(path, schema, options);
  try {
    for (const variable of content.variables) {
      if (variable.values !== undefined) await writer.appendRecords(variable.name, variable.values);
    }
    await writer.close();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

function withNumElems(variable: VariableWithValues): VariableDefinition {
  const { values, ...definition } = variable;
  const isText = definition.type === 'CHAR' || definition.type === 'UCHAR';
  if (!isText || definition.numElems !== undefined) return definition;
  let longest = 1;
  const list: ArrayLike<unknown> = values ?? [];
  for (let i = 0; i < list.length; i++) {
    const value = list[i];
    if (typeof value === 'string') longest = Math.max(longest, Buffer.byteLength(value, 'utf8'));
  }
  return { ...definition, numElems: longest };
}
