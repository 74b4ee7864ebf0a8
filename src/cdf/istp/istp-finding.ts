/** `error`: an archive (SPDF/CDAWeb) would refuse the file; `warning`: accepted but should be fixed. */
export type IstpSeverity = 'error' | 'warning';

/** The rule a finding comes from, stable for programs that filter findings. */
export type IstpRuleId =
  | 'required-global-attribute'
  | 'logical-file-id'
  | 'var-type'
  | 'required-variable-attribute'
  | 'attribute-data-type'
  | 'variable-pointer'
  | 'depend0-monotonic';

/** One thing an archive would reject (or frown on), with where it is. */
export interface IstpFinding {
  readonly severity: IstpSeverity;
  readonly rule: IstpRuleId;
  /** The variable concerned; absent for file-level findings. */
  readonly variable?: string;
  /** The attribute concerned, when there is one. */
  readonly attribute?: string;
  readonly message: string;
}

/** The result of an ISTP check: every finding, and whether the file passes (no errors). */
export interface IstpReport {
  /** The file checked (as the reader names it). */
  readonly file: string;
  readonly findings: readonly IstpFinding[];
  readonly errorCount: number;
  readonly warningCount: number;
  /** True when there is no error (warnings allowed). */
  readonly passed: boolean;
}
