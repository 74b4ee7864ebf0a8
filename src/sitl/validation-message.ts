/**
 * Validation findings and what they mean for a submission. Severities follow the SITL tools:
 * an `error` blocks; a `confirm` warning (yellow) passes once the SITL confirms; a `super-sitl`
 * warning (orange) passes only when a super-SITL overrides it.
 */
export type Severity = 'error' | 'confirm' | 'super-sitl';

export interface ValidationMessage {
  severity: Severity;
  /** Stable rule id, e.g. `fom-bounds`, `segment-length`, `overlap`. */
  rule: string;
  message: string;
  /** Index of the selection or edit concerned (0-based), when the finding is about one. */
  item?: number;
}

/** Result codes of the SITL tools: 0 accepted, 1 errors or warnings, 2 nothing changed, 3 SDC error. */
export const RESULT = { accepted: 0, refused: 1, unchanged: 2, sdcError: 3 } as const;

export interface Decision {
  accepted: boolean;
  /** What the submitter must do: fix errors, confirm the warnings, or have a super-SITL override. */
  needs?: 'fix-errors' | 'confirmation' | 'super-sitl';
  /** The warnings that were confirmed or overridden (kept with the accepted submission). */
  acknowledged: ValidationMessage[];
}

/** Whether findings let a submission through, given what the submitter acknowledged and may do. */
export function decide(messages: readonly ValidationMessage[], ack: { confirm: boolean; override: boolean; isSuperSitl: boolean }): Decision {
  if (messages.some((m) => m.severity === 'error')) return { accepted: false, needs: 'fix-errors', acknowledged: [] };
  const reserved = messages.filter((m) => m.severity === 'super-sitl');
  if (reserved.length > 0 && !(ack.override && ack.isSuperSitl)) return { accepted: false, needs: 'super-sitl', acknowledged: [] };
  const confirmations = messages.filter((m) => m.severity === 'confirm');
  if (confirmations.length > 0 && !ack.confirm) return { accepted: false, needs: 'confirmation', acknowledged: [] };
  return { accepted: true, acknowledged: [...reserved, ...confirmations] };
}
