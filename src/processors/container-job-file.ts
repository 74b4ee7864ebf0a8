import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SdcError } from '../errors/sdc-error.js';
import type { RunRequest } from './processor-runtime.js';

/** Where a containerised processor finds its inputs, outputs, job file and (without an image of its own) bundle. */
export const CONTAINER_PATHS = {
  inputs: '/sdc/inputs',
  outputs: '/sdc/outputs',
  jobFile: '/sdc/job.json',
  bundle: '/sdc/bundle',
} as const;

/** A job file a container or Kubernetes runtime could not prepare. */
export class ContainerJobFileError extends SdcError {
  constructor(readonly file: string, message: string, options?: { cause?: unknown }) {
    super('processor-failed', `cannot prepare the job file ${file} for a container: ${message}`, { file }, options);
  }
}

/** The contract's variables as a containerised processor sees them (its own paths). */
export function containerEnvironment(request: RunRequest): Record<string, string> {
  return {
    ...request.env,
    SDC_JOB_FILE: CONTAINER_PATHS.jobFile,
    SDC_INPUT_DIR: CONTAINER_PATHS.inputs,
    SDC_OUTPUT_DIR: CONTAINER_PATHS.outputs,
  };
}

/** Rewrites every string that is, or lies under, one of the host folders into the container's path. */
export function translatePaths(value: unknown, folders: ReadonlyArray<readonly [host: string, container: string]>): unknown {
  if (typeof value === 'string') {
    for (const [host, container] of folders) {
      if (value === host) return container;
      if (value.startsWith(host + path.sep)) return container + '/' + value.slice(host.length + 1).split(path.sep).join('/');
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => translatePaths(v, folders));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, translatePaths(v, folders)]));
  }
  return value;
}

/**
 * Writes `job.container.json` beside the job file: the same job with the staged inputs' and the
 * output folder's paths as the container sees them. Returns its host path (what gets mounted).
 */
export async function writeContainerJobFile(request: RunRequest): Promise<string> {
  let job: unknown;
  try {
    job = JSON.parse(await readFile(request.jobFile, 'utf8'));
  } catch (error) {
    throw new ContainerJobFileError(request.jobFile, (error as Error).message, { cause: error });
  }
  const folders = [
    [path.resolve(request.inputDir), CONTAINER_PATHS.inputs],
    [path.resolve(request.outputDir), CONTAINER_PATHS.outputs],
  ] as const;
  const target = path.join(path.dirname(request.jobFile), 'job.container.json');
  await writeFile(target, JSON.stringify(translatePaths(job, folders), null, 2));
  return target;
}
