import type { CdfReader } from '../../model/cdf-reader.js';
import { globalHasValue } from '../istp-attribute-text.js';
import type { IstpFinding } from '../istp-finding.js';
import { REQUIRED_GLOBAL_ATTRIBUTES } from '../istp-requirements.js';

/** Every required global attribute is present with a non-blank entry (names are case-sensitive). */
export function checkRequiredGlobalAttributes(cdf: CdfReader): IstpFinding[] {
  const findings: IstpFinding[] = [];
  for (const name of REQUIRED_GLOBAL_ATTRIBUTES) {
    const attribute = cdf.globalAttribute(name);
    if (globalHasValue(attribute)) continue;
    const message = attribute
      ? `required global attribute ${name} has no non-empty entry`
      : `required global attribute ${name} is missing${caseHint(cdf, name)}`;
    findings.push({ severity: 'error', rule: 'required-global-attribute', attribute: name, message });
  }
  return findings;
}

function caseHint(cdf: CdfReader, name: string): string {
  const near = cdf.globalAttributes.find((a) => a.name.toLowerCase() === name.toLowerCase());
  return near ? ` (there is "${near.name}": attribute names are case-sensitive)` : '';
}
