import type { CdfReader } from '../../model/cdf-reader.js';
import type { CdfVariableInfo } from '../../model/cdf-variable-info.js';
import { entryText } from '../istp-attribute-text.js';
import type { IstpFinding } from '../istp-finding.js';
import { POINTER_ATTRIBUTE } from '../istp-requirements.js';

/** DEPEND_i, LABL_PTR_i and the other pointer attributes name a variable of the file. */
export function checkVariablePointers(cdf: CdfReader, variable: CdfVariableInfo): IstpFinding[] {
  const findings: IstpFinding[] = [];
  for (const [name, entry] of Object.entries(variable.attributes)) {
    if (!POINTER_ATTRIBUTE.test(name)) continue;
    const target = entryText(entry);
    const base = { severity: 'error', rule: 'variable-pointer', variable: variable.name, attribute: name } as const;
    if (target === undefined) {
      findings.push({ ...base, message: `${variable.name}: ${name} must be text naming a variable, not ${entry.type}` });
    } else if (!cdf.hasVariable(target)) {
      findings.push({ ...base, message: `${variable.name}: ${name} points to "${target}", which is not a variable of the file` });
    }
  }
  return findings;
}
