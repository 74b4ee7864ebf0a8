import { chmod, readdir, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import pLimit from 'p-limit';
import type { CatalogSchema, FileRow, JobRow } from '../catalog/catalog-schema.js';
import { transactionPublishingEvents, type CommittedEventPublisher } from '../catalog/outbox.js';
import { checkIstpFile } from '../cdf/index.js';
import { SdcError } from '../errors/sdc-error.js';
import { IngestRejection } from '../ingest/ingest-rejection.js';
import type { IngestService, PreparedArrival } from '../ingest/ingest-service.js';
import type { Logger } from '../logging/logger.js';
import type { Mission } from '../mission/load-mission.js';
import type { ProcessorBundle } from '../processors/processor-manifest.js';
import type { Deployment, ProcessorRegistry } from '../processors/processor-registry.js';
import type { ProcessorRuntime } from '../processors/processor-runtime.js';
import { istpProvenanceAttributes, type IstpProvenanceAttributes } from '../provenance/istp-provenance-attributes.js';
import { recordJobActivity } from '../provenance/job-activity-recorder.js';
import type { FileStore } from '../store/file-store.js';
import { matchesFields } from './field-match.js';
import type { ClaimedJob } from './job-claim.js';
import { StepClock } from './pipeline-timings.js';
import { ScratchFolders, type ScratchFolder } from './scratch-folders.js';

/** Inputs staged from the store into a job's scratch folder at once. */
const STAGING_CONCURRENCY = 8;

/** A job that did not produce acceptable outputs; `reason` says why, the log has the details. */
export class JobFailure extends SdcError {
  constructor(readonly jobId: number, readonly reason: string, readonly log: string, readonly exitCode: number | null) {
    super('processor-failed', `job ${jobId} failed: ${reason}`, { jobId, exitCode });
  }
}

/** An archive would reject a CDF output for these (ISTP metadata errors; warnings pass). */
function istpErrors(file: string): string[] {
  if (!file.toLowerCase().endsWith('.cdf')) return [];
  return checkIstpFile(file).findings.filter((f) => f.severity === 'error').map((f) => f.message);
}

export interface JobRunnerDependencies {
  db: Kysely<CatalogSchema>;
  store: FileStore;
  mission: Mission;
  processors: ProcessorRegistry;
  runtime: ProcessorRuntime;
  ingest: IngestService;
  logger: Logger;
  workDir: string;
  timeoutMs: number;
  /** Publishes a job outcome's events right after its commit (the outbox relay). */
  events?: CommittedEventPublisher;
}

/** What the processor reads from its job file (SDC_JOB_FILE). */
export interface JobFile {
  jobId: number;
  mission: string;
  processor: { name: string; version: string };
  tier: string;
  window: { start: string; end: string };
  inputs: { name: string; path: string; product: string; kind: string; version: string; sha256: string }[];
  /** Outputs already catalogued for this window (to choose the next version). */
  previousOutputs: { name: string; version: string }[];
  outputDir: string;
  /** Global attributes outputs should carry: their provenance summary (ISTP `Parents`, `Software_version`...). */
  provenanceAttributes: IstpProvenanceAttributes;
}

/**
 * Runs one job: stages its inputs read-only, runs the processor through the runtime, checks its
 * outputs (names parse, products declared) and commits them with the job's success in one
 * transaction, so a job's outputs appear once or not at all.
 */
export class JobRunner {
  private readonly scratch: ScratchFolders;

  constructor(private readonly deps: JobRunnerDependencies) {
    this.scratch = new ScratchFolders(deps.workDir);
  }

  /**
   * Runs a claimed job with its deployment and files (read when it was claimed); resolves with
   * the output files, or throws JobFailure. The bundle is verified while the inputs are staged.
   */
  async run(claimed: ClaimedJob, clock = new StepClock()): Promise<FileRow[]> {
    const { job, deployment } = claimed;
    if (!deployment) throw new JobFailure(job.id, `processor ${job.processor}@${job.processor_version} is not deployed`, '', null);
    const verified = this.deps.processors.verifyBundle(deployment).then(
      () => undefined,
      (error: unknown) => new JobFailure(job.id, (error as Error).message, '', null),
    );
    const bundle = deployment.bundle;
    const scratch = await this.scratch.acquire();
    try {
      const jobFile = await this.writeJobFile(claimed, deployment, scratch);
      const refused = await verified;
      if (refused) throw refused;
      clock.lap('stage');
      const result = await this.deps.runtime.run({
        jobId: job.id, bundle, jobFile, inputDir: scratch.inputDir, outputDir: scratch.outputDir,
        timeoutMs: Math.min(bundle.manifest.limits.timeoutMs ?? this.deps.timeoutMs, this.deps.timeoutMs),
        env: { SDC_JOB_ID: String(job.id), SDC_TIER: job.tier },
      });
      clock.lap('run');
      if (result.timedOut) throw new JobFailure(job.id, `the processor ran past its time limit and was stopped`, result.log, result.exitCode);
      if (result.exitCode !== 0) throw new JobFailure(job.id, `the processor exited with ${result.exitCode ?? `signal ${result.signal}`}`, result.log, result.exitCode);
      const prepared = await this.checkOutputs(job, bundle, scratch.outputDir, result.log);
      clock.lap('check');
      const files = await this.commit(job, deployment, prepared, result.log);
      clock.lap('commit');
      return files;
    } finally {
      await this.scratch.release(scratch);
    }
  }

  /** Removes the scratch folders of this process's jobs and closes the runtime (none may be running). */
  async close(): Promise<void> {
    await this.scratch.removeAll();
    await this.deps.runtime.close?.();
  }

  private async writeJobFile({ job, inputFiles, windowFiles }: ClaimedJob, deployment: Deployment, scratch: ScratchFolder): Promise<string> {
    const bundle = deployment.bundle;
    const missing = job.inputs.find((i) => !inputFiles.has(i.fileId));
    if (missing) throw new JobFailure(job.id, `input ${missing.name} is no longer in the catalog`, '', null);
    const stage = pLimit(STAGING_CONCURRENCY);
    const inputs: JobFile['inputs'] = await Promise.all(job.inputs.map((input) => stage(async () => {
      const file = inputFiles.get(input.fileId)!;
      const target = path.join(scratch.inputDir, file.name);
      await this.stageFromStore(file.store_key, target);
      return { name: file.name, path: target, product: file.product, kind: file.kind, version: file.version_label, sha256: file.sha256 };
    })));
    const previous = windowFiles
      .filter((f) => bundle.manifest.produces.some((m) => matchesFields(f, m)))
      .map((f) => ({ name: f.name, version: f.version_label }));
    const jobFile: JobFile = {
      jobId: job.id,
      mission: job.mission,
      processor: { name: bundle.manifest.name, version: bundle.manifest.version },
      tier: job.tier,
      window: { start: job.window_start.toISOString(), end: job.window_end.toISOString() },
      inputs,
      previousOutputs: previous,
      outputDir: scratch.outputDir,
      provenanceAttributes: istpProvenanceAttributes({ jobId: job.id, processor: bundle.manifest, bundleSha256: deployment.bundleSha256, inputs, date: new Date() }),
    };
    await writeFile(scratch.jobFile, JSON.stringify(jobFile, null, 2));
    return scratch.jobFile;
  }

  /**
   * A stored file put read-only in the job's folder: a hard link where the store can make one (a
   * local folder on the same filesystem: no copy, no new inode), else a copy in one call (a local
   * folder elsewhere), else streamed.
   */
  private async stageFromStore(key: string, target: string): Promise<void> {
    const { store } = this.deps;
    if (store.linkTo && (await store.linkTo(key, target))) return;
    if (store.copyTo) await store.copyTo(key, target);
    else await pipeline(await store.read(key), createWriteStream(target));
    await chmod(target, 0o444);
  }

  private async checkOutputs(job: JobRow, bundle: ProcessorBundle, outputDir: string, log: string): Promise<PreparedArrival[]> {
    const names = (await readdir(outputDir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
    if (names.length === 0) throw new JobFailure(job.id, 'the processor exited 0 but wrote no output', log, 0);
    const prepared: PreparedArrival[] = [];
    const problems: string[] = [];
    for (const name of names.sort()) {
      try {
        const output = await this.deps.ingest.prepare({ path: path.join(outputDir, name), name, source: 'job' });
        if (!bundle.manifest.produces.some((m) => matchesFields(output.parsed, m))) {
          problems.push(`${name}: product ${output.parsed.product} is not declared in the manifest of ${bundle.manifest.name}`);
          continue;
        }
        const istp = istpErrors(path.join(outputDir, name));
        if (istp.length > 0) {
          problems.push(`${name}: fails the ISTP check: ${istp.join('; ')}`);
          continue;
        }
        prepared.push(output);
      } catch (error) {
        if (!(error instanceof IngestRejection)) throw error;
        problems.push(`${name}: ${error.message}`);
      }
    }
    if (problems.length > 0) throw new JobFailure(job.id, `rejected outputs: ${problems.join('; ')}`, log, 0);
    return prepared;
  }

  private async commit(job: JobRow, deployment: Deployment, outputs: PreparedArrival[], log: string): Promise<FileRow[]> {
    const files = await transactionPublishingEvents(this.deps.db, this.deps.events, async (trx) => {
      const finishedAt = new Date();
      const claimed = await trx
        .updateTable('jobs')
        .set({ state: 'succeeded', finished_at: finishedAt, exit_code: 0, log, error: null })
        .where('id', '=', job.id)
        .where('state', '!=', 'succeeded')
        .returning('id')
        .executeTakeFirst();
      // Another worker finished this job first (a redelivery raced us): keep its outputs only.
      if (!claimed) return [];
      const results = await this.deps.ingest.recordMany(trx, outputs, { tier: job.tier, jobId: job.id, giveSources: true });
      const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.rejection.message] : []));
      if (refused.length > 0) throw new JobFailure(job.id, `rejected outputs: ${refused.join('; ')}`, log, 0);
      const recorded = results.flatMap((r) => (r.status === 'rejected' ? [] : [r.file]));
      const rule = this.deps.mission.config.processing.rules.find((r) => r.id === job.rule);
      await recordJobActivity(trx, { job, deployment, runtime: this.deps.runtime.name, rule, outputs: recorded, endedAt: finishedAt });
      return recorded;
    });
    this.deps.logger.info('job succeeded', { jobId: job.id, outputs: files.map((f) => f.name) });
    return files;
  }
}
