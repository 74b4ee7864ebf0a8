/**
 * A processor bundle's manifest (`processor.yaml`): what an instrument team's code makes, what it
 * needs and how to run it. The SDC runs it with its inputs staged read-only, an empty output
 * folder and a JSON job file (see docs/processors.md for the run contract).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { SdcError } from '../errors/sdc-error.js';
import { formatIssues } from '../mission/load-mission.js';

export const manifestSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'a version X.Y.Z'),
    instrument: z.string(),
    description: z.string().default(''),
    /** Products the processor may write, as field matches on parsed output names. */
    produces: z.array(z.record(z.string(), z.union([z.string(), z.array(z.string())]))).min(1),
    /** The command, run in the bundle folder; the job file's path is in SDC_JOB_FILE. */
    command: z.array(z.string().min(1)).min(1),
    /** Container image holding the code, for the container and Kubernetes runtimes (the command runs in it). */
    image: z.string().min(1).optional(),
    limits: z
      .object({
        timeoutMs: z.number().int().min(100).optional(),
        memoryMb: z.number().int().min(16).optional(),
        /** CPUs the processor may use (containers and Kubernetes), e.g. 0.5 or 2. */
        cpus: z.number().min(0.01).max(256).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export type ProcessorManifest = z.infer<typeof manifestSchema>;

/** A processor as the SDC knows it: its manifest and the folder of its bundle. */
export interface ProcessorBundle {
  manifest: ProcessorManifest;
  folder: string;
}

export class ProcessorManifestError extends SdcError {
  constructor(readonly file: string, readonly problems: string[]) {
    super('invalid-config', `invalid processor manifest ${file}:\n  - ${problems.join('\n  - ')}`, { file, problems });
  }
}

/** Reads and validates `<folder>/processor.yaml`. */
export async function loadProcessorBundle(folder: string): Promise<ProcessorBundle> {
  const file = path.join(folder, 'processor.yaml');
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ProcessorManifestError(file, [`cannot read or parse: ${(error as Error).message}`]);
  }
  const result = manifestSchema.safeParse(raw);
  if (!result.success) throw new ProcessorManifestError(file, formatIssues(result.error.issues));
  return { manifest: result.data, folder: path.resolve(folder) };
}
