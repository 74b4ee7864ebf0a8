/** The ISTP metadata check's public API (re-exported by src/cdf/index.ts). */
export { checkIstp, checkIstpFile } from './check-istp.js';
export type { IstpCheckOptions } from './check-istp.js';
export type { IstpFinding, IstpReport, IstpRuleId, IstpSeverity } from './istp-finding.js';
export { REQUIRED_GLOBAL_ATTRIBUTES, VARIABLE_REQUIREMENTS, VAR_TYPES } from './istp-requirements.js';
