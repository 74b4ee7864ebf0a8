/** Internal record type codes (CDF IFD; JCDF `RecordFactory`). */
export const RecordType = {
  CDR: 1,
  GDR: 2,
  rVDR: 3,
  ADR: 4,
  AgrEDR: 5,
  VXR: 6,
  VVR: 7,
  zVDR: 8,
  AzEDR: 9,
  CCR: 10,
  CPR: 11,
  SPR: 12,
  CVVR: 13,
  UIR: -1,
} as const;

export type RecordTypeName = keyof typeof RecordType;

const NAMES = new Map<number, RecordTypeName>(
  Object.entries(RecordType).map(([name, code]) => [code, name as RecordTypeName]),
);

/** The record type name of a code, or `type N` for an unknown code (for messages). */
export function recordTypeName(code: number): string {
  return NAMES.get(code) ?? `type ${code}`;
}
