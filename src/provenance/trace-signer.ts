import { availableParallelism } from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import type { Logger } from '../logging/logger.js';
import { tracePayloadText } from './trace-payload.js';
import type { TraceSigningKey } from './trace-signing-key.js';
import { TraceSigningPool } from './trace-signing-pool.js';

export interface TraceSignerOptions {
  /** Traces signed per transaction. */
  batchSize?: number;
  /** Batches in flight at once (each its own transaction and connection). */
  concurrency?: number;
  /** Threads that compute the signatures. */
  threads?: number;
  /** Pause between looks for new traces when there were none. */
  intervalMs?: number;
}

/**
 * Signs the traces that the catalog's triggers queued with each lifecycle event (unsigned rows
 * of `provenance_traces`, committed with the event, so only committed events are ever signed).
 * Runs beside the outbox relay: it signs what is pending at start (what a crash left), then
 * whatever new commits bring, and once more when stopped.
 *
 * A batch is one transaction: lock up to `batchSize` unsigned rows (`skip locked`), sign them on
 * the signing threads, write every signature in one statement, commit. A crash before the
 * commit leaves the rows unsigned for the next start; the lock makes each trace signed once,
 * also when several processes sign at once. A few batches run at once, so that the catalog
 * writes of one overlap the signing of the next.
 */
export class TraceSigner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private previousDrain: Promise<unknown> = Promise.resolve();
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly intervalMs: number;
  private readonly pool: TraceSigningPool;

  constructor(
    private readonly db: Kysely<CatalogSchema>,
    private readonly key: TraceSigningKey,
    private readonly logger: Logger,
    options: TraceSignerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 1000;
    this.concurrency = options.concurrency ?? 2;
    this.intervalMs = options.intervalMs ?? 250;
    this.pool = new TraceSigningPool(key.privateKey, options.threads ?? Math.min(4, availableParallelism()));
  }

  get keyId(): string {
    return this.key.keyId;
  }

  /** Signs one batch of pending traces; resolves with how many it signed. */
  async signBatch(): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ id: string | number; file_name: string; sha256: string; size: string | number; event: 'ingest'; at: Date; service: string }>`
        select id, file_name, sha256, size, event, at, service from provenance_traces
        where signature is null order by id limit ${this.batchSize} for update skip locked`.execute(trx);
      if (rows.length === 0) return 0;
      const keyId = this.key.keyId;
      const signatures = await this.pool.sign(
        rows.map((r) => tracePayloadText({ fileName: r.file_name, sha256: r.sha256, size: Number(r.size), event: r.event, at: new Date(r.at), service: r.service, keyId })),
      );
      await sql`
        update provenance_traces t set key_id = ${keyId}, signature = v.signature
        from (select unnest(${rows.map((r) => String(r.id))}::bigint[]) as id, unnest(${signatures}::text[]) as signature) v
        where t.id = v.id`.execute(trx);
      return rows.length;
    });
  }

  /**
   * Signs until nothing is pending; resolves with how many it signed. The drains of a signer
   * (the background loop's, `stop`'s, a caller's) run one after another, so that when one
   * resolves, every trace committed before it was called is signed: it cannot skip rows that
   * its own background batch holds locked and return before that batch commits.
   */
  drain(): Promise<number> {
    const run = this.previousDrain.then(() => this.signPending());
    this.previousDrain = run.catch(() => undefined);
    return run;
  }

  /** One batch first: only a backlog (a full batch) is worth `concurrency` batches at a time. */
  private async signPending(): Promise<number> {
    const first = await this.signBatch();
    if (first < this.batchSize) return first;
    const lane = async () => {
      let total = 0;
      for (let n = await this.signBatch(); n > 0; n = await this.signBatch()) total += n;
      return total;
    };
    // Every lane ends before drain does, also when one fails: none signs on after `stop`.
    const lanes = await Promise.allSettled(Array.from({ length: this.concurrency }, lane));
    const failed = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
    if (failed) throw failed.reason;
    return lanes.reduce((sum, l) => sum + (l.status === 'fulfilled' ? l.value : 0), first);
  }

  /** Signs in the background until `stop`. */
  start(): void {
    if (this.timer || this.running) return;
    const tick = () => {
      this.running = this.drain()
        .then(
          () => undefined,
          (error: Error) => void this.logger.error('signing traces failed; retrying', { error: error.message }),
        )
        .finally(() => {
          this.running = undefined;
          if (this.timer !== undefined) this.timer = setTimeout(tick, this.intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  /**
   * Stops the background loop, then signs what is still pending. A catalog that fails now only
   * leaves traces unsigned until the next start: logged, not thrown, so shutdown goes on.
   */
  async stop(): Promise<void> {
    const timer = this.timer;
    this.timer = undefined;
    clearTimeout(timer);
    await this.running;
    await this.drain().catch((error: Error) => this.logger.warn('traces left unsigned until the next start', { error: error.message }));
    await this.pool.close();
  }
}
