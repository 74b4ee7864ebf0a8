import { openCdf } from '../reader/open-cdf.js';
import type { CdfReader } from '../model/cdf-reader.js';
import { isCdfTimeType } from '../model/cdf-data-type.js';
import { entryText } from './istp-attribute-text.js';
import type { IstpFinding, IstpReport } from './istp-finding.js';
import { checkAttributeDataTypes } from './rules/attribute-data-type-rule.js';
import { checkDepend0Monotonic } from './rules/depend0-monotonic-rule.js';
import { checkLogicalFileId } from './rules/logical-file-id-rule.js';
import { checkRequiredGlobalAttributes } from './rules/required-global-attributes-rule.js';
import { checkRequiredVariableAttributes } from './rules/required-variable-attributes-rule.js';
import { checkVariablePointers } from './rules/variable-pointer-rule.js';

/** Options of `checkIstp`. */
export interface IstpCheckOptions {
  /** The name Logical_file_id must match, when the file is checked under another name (e.g. a temporary one). */
  fileName?: string;
}

/**
 * Lists what an archive (SPDF/CDAWeb) would reject in an open CDF: missing required global and
 * variable attributes, FILLVAL/VALIDMIN/VALIDMAX of another type than their variable, pointer
 * attributes naming no variable, a DEPEND_0 that does not increase, a Logical_file_id that is not
 * the file name. The file passes when `report.passed` (no errors; warnings allowed).
 *
 * @example
 * const cdf = openCdf(path);
 * try {
 *   const report = checkIstp(cdf);
 *   if (!report.passed) refuse(report.findings.filter((f) => f.severity === 'error'));
 * } finally {
 *   cdf.close();
 * }
 */
export function checkIstp(cdf: CdfReader, options: IstpCheckOptions = {}): IstpReport {
  const timeAxes = timeAxesOf(cdf);
  const findings: IstpFinding[] = [
    ...checkRequiredGlobalAttributes(cdf),
    ...checkLogicalFileId(cdf, options.fileName ?? cdf.file.name),
    ...cdf.variables.flatMap((variable) => [
      ...checkRequiredVariableAttributes(variable, timeAxes),
      ...checkAttributeDataTypes(variable),
      ...checkVariablePointers(cdf, variable),
    ]),
    ...checkDepend0Monotonic(cdf),
  ];
  const errorCount = findings.filter((f) => f.severity === 'error').length;
  return { file: cdf.file.name, findings, errorCount, warningCount: findings.length - errorCount, passed: errorCount === 0 };
}

/** Time-typed variables and every variable some DEPEND_0 names. */
function timeAxesOf(cdf: CdfReader): Set<string> {
  const axes = new Set(cdf.variables.filter((v) => isCdfTimeType(v.type)).map((v) => v.name));
  for (const variable of cdf.variables) {
    const target = entryText(variable.attributes.DEPEND_0);
    if (target) axes.add(target);
  }
  return axes;
}

/** Opens a CDF file, checks it and closes it. Throws CdfFormatError when the file cannot be opened. */
export function checkIstpFile(path: string, options: IstpCheckOptions = {}): IstpReport {
  const cdf = openCdf(path);
  try {
    return checkIstp(cdf, options);
  } finally {
    cdf.close();
  }
}
