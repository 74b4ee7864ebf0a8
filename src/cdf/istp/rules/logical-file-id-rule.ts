import path from 'node:path';
import type { CdfReader } from '../../model/cdf-reader.js';
import { entryText } from '../istp-attribute-text.js';
import type { IstpFinding } from '../istp-finding.js';

/** Logical_file_id equals the file name without its `.cdf` extension (when the attribute is there). */
export function checkLogicalFileId(cdf: CdfReader, fileName: string): IstpFinding[] {
  const id = entryText(cdf.globalAttribute('Logical_file_id')?.entries[0]);
  if (id === undefined || id === '') return [];
  const base = path.basename(fileName);
  const expected = base.replace(/\.cdf$/i, '');
  if (id === expected) return [];
  return [
    {
      severity: 'error',
      rule: 'logical-file-id',
      attribute: 'Logical_file_id',
      message: `Logical_file_id is "${id}" but the file is named "${base}" (expected "${expected}")`,
    },
  ];
}
