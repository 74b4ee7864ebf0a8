import { sign } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import type { Logger } from '../logging/logger.js';
import { tracePayload } from './trace-payload.js';
import type { TraceSigningKey } from './trace-signing-key.js';

export interface TraceSignerOptions {
  /** Traces signed per transaction. */
  batchSize?: number;
  /** Pause between looks for new traces when there were none. */
  intervalMs?: number;
}

/**
 * Signs the traces that the catalog's triggers queued with each lifecycle event (unsigned rows
 * of `provenance_traces`, committed with the event). Runs beside the outbox relay: it signs
 * what is pending at start (what a crash left), then whatever new commits bring, and once more
 * when stopped. Several processes may sign at once: each batch locks its rows (`skip locked`).
 */
export class TraceSigner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly batchSize: number;
  private readonly intervalMs: number;

  constructor(
    private readonly db: Kysely<CatalogSchema>,
    private readonly key: TraceSigningKey,
    private readonly logger: Logger,
    options: TraceSignerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 1000;
    this.intervalMs = options.intervalMs ?? 250;
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
      const ids = rows.map((r) => String(r.id));
      const signatures = rows.map((r) =>
        sign(null, tracePayload({ fileName: r.file_name, sha256: r.sha256, size: Number(r.size), event: r.event, at: new Date(r.at), service: r.service, keyId }), this.key.privateKey).toString('base64'),
      );
      await sql`
        update provenance_traces t set key_id = ${keyId}, signature = v.signature
        from (select unnest(${ids}::bigint[]) as id, unnest(${signatures}::text[]) as signature) v
        where t.id = v.id`.execute(trx);
      return rows.length;
    });
  }

  /** Signs until nothing is pending; resolves with how many it signed. */
  async drain(): Promise<number> {
    let total = 0;
    for (let n = await this.signBatch(); n > 0; n = await this.signBatch()) total += n;
    return total;
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
  }
}
