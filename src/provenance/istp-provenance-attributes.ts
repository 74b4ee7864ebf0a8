/**
 * The compact provenance summary an output carries in its global attributes, as the ISTP
 * guidelines define them: `Parents` (one entry per input, `CDF>logical_file_id` for a CDF parent,
 * `FILE>name` for any other file), `Software_version`, `Generated_by` and `Generation_date`
 * (yyyymmdd). The SDC computes them and hands them to processors in the job file, so every
 * processor writes the same, true summary without knowing the SDC's internals.
 */
export interface ProvenanceAttributeSource {
  jobId: number;
  processor: { name: string; version: string };
  bundleSha256: string;
  inputs: readonly { name: string }[];
  date: Date;
}

export type IstpProvenanceAttributes = Record<'Parents' | 'Software_version' | 'Generated_by' | 'Generation_date', string | string[]>;

export function istpProvenanceAttributes(source: ProvenanceAttributeSource): IstpProvenanceAttributes {
  return {
    Parents: source.inputs.map((input) => parentEntry(input.name)),
    Software_version: source.processor.version,
    Generated_by: `${source.processor.name} ${source.processor.version} (bundle sha256 ${source.bundleSha256}), SDC job ${source.jobId}`,
    Generation_date: source.date.toISOString().slice(0, 10).replaceAll('-', ''),
  };
}

/** `CDF>sc1_mag_l1b_20151016_v1.0.0` for `sc1_mag_l1b_20151016_v1.0.0.cdf`; `FILE>SC1_EPHEM_2015289.V00` for any other file. */
export function parentEntry(name: string): string {
  return /\.cdf$/i.test(name) ? `CDF>${name.replace(/\.cdf$/i, '')}` : `FILE>${name}`;
}
