/**
 * ISTP/SPDF metadata requirements (spdf.gsfc.nasa.gov/istp_guide/gattributes.html and
 * vattributes.html; cdflib `_global_attribute_checker`). Data, not code: a new rule of the
 * guide is a new line here.
 */

/** Global attributes every ISTP file must have (CDAWeb requires Instrument_type and Mission_group too). */
export const REQUIRED_GLOBAL_ATTRIBUTES: readonly string[] = [
  'Project',
  'Source_name',
  'Discipline',
  'Data_type',
  'Descriptor',
  'Data_version',
  'Logical_file_id',
  'PI_name',
  'PI_affiliation',
  'TEXT',
  'Instrument_type',
  'Mission_group',
  'Logical_source',
  'Logical_source_description',
];

/** The values VAR_TYPE may take. */
export const VAR_TYPES = ['data', 'support_data', 'metadata', 'ignore_data'] as const;
export type VarType = (typeof VAR_TYPES)[number];

/** Which variables need a requirement: by VAR_TYPE, and for some only when record-varying. */
export interface AppliesTo {
  readonly always?: readonly VarType[];
  /** VAR_TYPEs that need it only when the variable is record-varying. */
  readonly whenRecordVarying?: readonly VarType[];
}

/** A required variable attribute; any one of `anyOf` satisfies it (e.g. FORMAT or FORM_PTR). */
export interface VariableRequirement {
  readonly anyOf: readonly string[];
  readonly appliesTo: AppliesTo;
  /** Not required of time axes (time-typed variables and DEPEND_0 targets): an Epoch has no DEPEND_0. */
  readonly exceptTimeAxes?: boolean;
}

const ALL: readonly VarType[] = VAR_TYPES;

/** The ISTP guide's table of required variable attributes. */
export const VARIABLE_REQUIREMENTS: readonly VariableRequirement[] = [
  { anyOf: ['CATDESC'], appliesTo: { always: ALL } },
  { anyOf: ['FIELDNAM'], appliesTo: { always: ALL } },
  { anyOf: ['FORMAT', 'FORM_PTR'], appliesTo: { always: ALL } },
  { anyOf: ['DEPEND_0'], appliesTo: { always: ['data'], whenRecordVarying: ['support_data', 'metadata'] }, exceptTimeAxes: true },
  { anyOf: ['DISPLAY_TYPE'], appliesTo: { always: ['data'] } },
  { anyOf: ['FILLVAL'], appliesTo: { always: ['data'], whenRecordVarying: ['support_data', 'metadata'] } },
  { anyOf: ['LABLAXIS', 'LABL_PTR_1'], appliesTo: { always: ['data'] } },
  { anyOf: ['UNITS', 'UNIT_PTR'], appliesTo: { always: ['data', 'support_data'] } },
  { anyOf: ['VALIDMIN'], appliesTo: { always: ['data'], whenRecordVarying: ['support_data'] } },
  { anyOf: ['VALIDMAX'], appliesTo: { always: ['data'], whenRecordVarying: ['support_data'] } },
];

/** Variable attributes whose entry must have the variable's own data type. */
export const SAME_TYPE_ATTRIBUTES: readonly string[] = ['FILLVAL', 'VALIDMIN', 'VALIDMAX'];

/** Variable attributes whose value names another variable of the file. */
export const POINTER_ATTRIBUTE = /^(DEPEND_\d+|LABL_PTR_\d+|FORM_PTR|UNIT_PTR|SCAL_PTR|DELTA_PLUS_VAR|DELTA_MINUS_VAR)$/;
