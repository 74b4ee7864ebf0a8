/** What the example processors read from the SDC's job file (see docs/processors.md). */
export interface JobFileView {
  jobId: number;
  processor: { name: string; version: string };
  window: { start: string; end: string };
  inputs: { name: string; path: string; kind: string; product: string; version: string }[];
  previousOutputs: { name: string; version: string }[];
  outputDir: string;
  /** The provenance summary the SDC asks outputs to carry (ISTP Parents, Software_version, Generated_by, Generation_date). */
  provenanceAttributes: Record<string, string | string[]>;
}

/**
 * The version of a new output of `stem` (name up to the version): `interface.quality.revision`
 * with the revision one past the newest earlier output of the same interface and quality.
 */
export function nextVersion(previous: JobFileView['previousOutputs'], stem: string, interfaceNumber: number, quality: number): string {
  const revisions = previous
    .filter((p) => p.name.startsWith(`${stem}_v${interfaceNumber}.${quality}.`))
    .map((p) => Number(p.version.split('.')[2]));
  const revision = revisions.length === 0 ? 0 : Math.max(...revisions) + 1;
  return `${interfaceNumber}.${quality}.${revision}`;
}
