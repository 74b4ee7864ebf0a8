import type { CdfVariableInfo } from '../../model/cdf-variable-info.js';
import { entryText, hasValue } from '../istp-attribute-text.js';
import type { IstpFinding } from '../istp-finding.js';
import { VAR_TYPES, VARIABLE_REQUIREMENTS, type VariableRequirement, type VarType } from '../istp-requirements.js';

/**
 * VAR_TYPE is present and valid, and the variable has every attribute its VAR_TYPE requires
 * (those required of all variables when VAR_TYPE itself is missing or invalid). `timeAxes`
 * names the variables that are themselves time axes (time-typed, or some variable's DEPEND_0).
 */
export function checkRequiredVariableAttributes(variable: CdfVariableInfo, timeAxes: ReadonlySet<string>): IstpFinding[] {
  const findings: IstpFinding[] = [];
  const varType = checkVarType(variable, findings);
  for (const requirement of VARIABLE_REQUIREMENTS) {
    if (!applies(requirement, varType, variable.recordVariance)) continue;
    if (requirement.exceptTimeAxes && timeAxes.has(variable.name)) continue;
    if (requirement.anyOf.some((name) => hasValue(variable.attributes[name]))) continue;
    const [first, ...others] = requirement.anyOf;
    const alternatives = others.length > 0 ? ` (or ${others.join(' or ')})` : '';
    findings.push({
      severity: 'error',
      rule: 'required-variable-attribute',
      variable: variable.name,
      attribute: first,
      message: `${variable.name}: ${first}${alternatives} is required${requiredFor(varType, variable.recordVariance)}`,
    });
  }
  if (hasValue(variable.attributes.LABLAXIS) && hasValue(variable.attributes.LABL_PTR_1)) {
    findings.push({
      severity: 'warning',
      rule: 'required-variable-attribute',
      variable: variable.name,
      attribute: 'LABLAXIS',
      message: `${variable.name}: give LABLAXIS or LABL_PTR_1, not both`,
    });
  }
  return findings;
}

function checkVarType(variable: CdfVariableInfo, findings: IstpFinding[]): VarType | undefined {
  const text = entryText(variable.attributes.VAR_TYPE);
  const base = { severity: 'error', variable: variable.name, attribute: 'VAR_TYPE' } as const;
  if (text === undefined || text === '') {
    findings.push({ ...base, rule: 'required-variable-attribute', message: `${variable.name}: VAR_TYPE is required` });
    return undefined;
  }
  if ((VAR_TYPES as readonly string[]).includes(text)) return text as VarType;
  findings.push({
    ...base,
    rule: 'var-type',
    message: `${variable.name}: VAR_TYPE "${text}" is not one of ${VAR_TYPES.join(', ')}`,
  });
  return undefined;
}

function applies(requirement: VariableRequirement, varType: VarType | undefined, recordVarying: boolean): boolean {
  const { always = [], whenRecordVarying = [] } = requirement.appliesTo;
  if (varType === undefined) return always.length === VAR_TYPES.length;
  return always.includes(varType) || (recordVarying && whenRecordVarying.includes(varType));
}

function requiredFor(varType: VarType | undefined, recordVarying: boolean): string {
  if (varType === undefined) return '';
  return recordVarying ? ` for record-varying ${varType}` : ` for ${varType}`;
}
