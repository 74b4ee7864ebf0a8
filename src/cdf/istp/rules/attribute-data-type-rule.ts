import type { CdfDataType } from '../../model/cdf-data-type.js';
import type { CdfVariableInfo } from '../../model/cdf-variable-info.js';
import type { IstpFinding } from '../istp-finding.js';
import { SAME_TYPE_ATTRIBUTES } from '../istp-requirements.js';

/** Type names that differ only in name: same size, same representation. */
const ALIASES: Readonly<Partial<Record<CdfDataType, CdfDataType>>> = {
  FLOAT: 'REAL4',
  DOUBLE: 'REAL8',
  BYTE: 'INT1',
  UCHAR: 'CHAR',
};

function canonical(type: CdfDataType): CdfDataType {
  return ALIASES[type] ?? type;
}

/**
 * FILLVAL, VALIDMIN and VALIDMAX have the variable's data type. An alias of it (FLOAT for
 * REAL4, DOUBLE for REAL8, BYTE for INT1, UCHAR for CHAR) is a warning: same bytes, other name.
 */
export function checkAttributeDataTypes(variable: CdfVariableInfo): IstpFinding[] {
  const findings: IstpFinding[] = [];
  for (const name of SAME_TYPE_ATTRIBUTES) {
    const entry = variable.attributes[name];
    if (!entry || entry.type === variable.type) continue;
    const alias = canonical(entry.type) === canonical(variable.type);
    findings.push({
      severity: alias ? 'warning' : 'error',
      rule: 'attribute-data-type',
      variable: variable.name,
      attribute: name,
      message: `${variable.name}: ${name} is ${entry.type} but the variable is ${variable.type}${alias ? ' (same representation)' : ''}`,
    });
  }
  return findings;
}
