import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { defaultLeapSecondTable } from '../time/default-leap-second-table.js';
import type { LeapSecondTable } from '../time/leap-second-table.js';
import { AtomicFile } from './atomic-file.js';
import type { CdfSchema, CdfWriteOptions } from './cdf-schema.js';
import { CdfWriteError } from './cdf-write-error.js';
import { NASA_COPYRIGHT } from './file-header-records.js';
import { buildHeader, headerSize, type HeaderFields } from './header-builder.js';
import { planSchema, type CdfPlan } from './schema-planner.js';
import type { WritableValues } from './value-encoder.js';
import { compressedValuesRecordHeader, valuesRecordHeader } from './value-records.js';
import { buildVariableIndex } from './variable-index-builder.js';
import { VariableSink, type PendingBlock } from './variable-sink.js';

const gzipAsync = promisify(gzip);

/** Options of `CdfWriter.create`. */
export interface CdfWriterOptions extends CdfWriteOptions {
  /** Table whose last leap second goes into GDR LeapSecondLastUpdated; the library's default table when omitted. */
  leapSecondTable?: LeapSecondTable;
}

/**
 * Writes a CDF 3 file (IBMPC encoding, zVariables) record block by record block, so a large
 * output never sits in memory: the schema first, then any number of `appendRecords` calls, then
 * `close`. Blocks (VVR, or CVVR when compressed) go to disk as they fill; the VXR index and the
 * final header fields are written at close, and the file appears under its name only then.
 *
 * @example
 * const writer = await CdfWriter.create('out.cdf', {
 *   globalAttributes: { Project: 'STP>Solar-Terrestrial Physics' },
 *   variables: [
 *     { name: 'Epoch', type: 'TIME_TT2000' },
 *     { name: 'B', type: 'REAL4', dims: [3], compression: { type: 'gzip' }, attributes: { DEPEND_0: 'Epoch' } },
 *   ],
 * }, { md5: true });
 * try {
 *   for (const chunk of chunks) {
 *     await writer.appendRecords('Epoch', chunk.epoch); // BigInt64Array
 *     await writer.appendRecords('B', chunk.b);         // Float32Array, 3 values per record
 *   }
 *   await writer.close();
 * } catch (error) {
 *   await writer.abort();
 *   throw error;
 * }
 */
export class CdfWriter {
  private readonly sinks: Map<string, VariableSink>;
  private position: number;
  private queue: Promise<void> = Promise.resolve();
  private state: 'open' | 'closing' | 'done' = 'open';
  /** A failed disk write: the file is incomplete, so every later call is refused. */
  private failure: Error | undefined;

  private constructor(
    private readonly file: AtomicFile,
    private readonly plan: CdfPlan,
    private readonly header: Omit<HeaderFields, 'eof' | 'states'>,
  ) {
    this.sinks = new Map(plan.variables.map((v) => [v.name, new VariableSink(v, header.rowMajor, file.target)]));
    this.position = headerSize(plan);
  }

  /** Checks the schema (throws CdfWriteError) and starts the file under a temporary name. */
  static async create(path: string, schema: CdfSchema, options: CdfWriterOptions = {}): Promise<CdfWriter> {
    const plan = planSchema(schema, path);
    const header = {
      rowMajor: (options.majority ?? 'row') === 'row',
      md5: options.md5 ?? false,
      copyright: checkCopyright(options.copyright ?? NASA_COPYRIGHT, path),
      leapSecondLastUpdated: lastLeapSecondDate(options.leapSecondTable ?? defaultLeapSecondTable()),
    };
    const file = await AtomicFile.create(path);
    const writer = new CdfWriter(file, plan, header);
    try {
      await file.write([writer.buildHeader(0)], 0);
    } catch (error) {
      await file.discard();
      throw error;
    }
    return writer;
  }

  /** The final path of the file. */
  get path(): string {
    return this.file.target;
  }

  /**
   * Appends whole records to a variable: values flat and row-major, `recordCount × values per
   * record` of them (see WritableValues). A non-record-varying variable takes exactly one record.
   * Rejected values (wrong type, shape, range, a CHAR too long) leave the file unchanged.
   * Do not modify `values` before the returned promise settles.
   */
  appendRecords(variable: string, values: WritableValues): Promise<void> {
    return this.enqueue(async () => {
      const sink = this.sink(variable);
      const blocks = sink.accept(values);
      try {
        await this.store(sink, blocks);
      } catch (error) {
        this.failure = error instanceof Error ? error : new Error(String(error));
        throw error;
      }
    });
  }

  /** Records appended so far to a variable. */
  recordCount(variable: string): number {
    return this.sink(variable).recordCount;
  }

  /** Stores the last blocks, writes the index, the header and the MD5, and renames the file into place. */
  async close(): Promise<void> {
    const done = this.enqueue(async () => {
      for (const sink of this.sinks.values()) {
        const last = sink.finish();
        if (last) await this.store(sink, [last]);
      }
      const states = await this.writeIndexes();
      const eof = this.position;
      await this.file.write([this.buildHeader(eof, states)], 0);
      if (this.header.md5) await this.file.write([await this.file.md5(eof)], eof);
      await this.file.commit();
    });
    this.state = 'closing';
    try {
      await done;
    } catch (error) {
      await this.file.discard();
      throw error;
    } finally {
      this.state = 'done';
    }
  }

  /**
   * Gives up: waits for queued operations, then deletes the temporary file. Safe at any time;
   * after a successful close it changes nothing (the temporary name is gone by then).
   */
  async abort(): Promise<void> {
    if (this.state === 'open') this.state = 'closing';
    await this.queue;
    await this.file.discard();
    this.state = 'done';
  }

  /** Runs operations one at a time in call order; rejected values do not block the next, a failed disk write refuses all. */
  private enqueue(operation: () => Promise<void>): Promise<void> {
    if (this.state !== 'open') {
      return Promise.reject(new CdfWriteError('writer-closed', `${this.path}: the writer is already closed`, { file: this.path }));
    }
    const run = this.queue.then(() => {
      this.refuseAfterFailure();
      return operation();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private refuseAfterFailure(): void {
    const failure = this.failure;
    if (!failure) return;
    const message = `${this.path}: an earlier write failed (${failure.message}); abort() the writer`;
    throw new CdfWriteError('writer-closed', message, { file: this.path }, { cause: failure });
  }

  private sink(name: string): VariableSink {
    const sink = this.sinks.get(name);
    if (sink) return sink;
    throw new CdfWriteError('unknown-variable', `${this.path}: no variable named ${JSON.stringify(name)} in the schema`, {
      file: this.path,
      variable: name,
    });
  }

  /** Compresses blocks in parallel (zlib's thread pool), then writes them in record order. */
  private async store(sink: VariableSink, blocks: readonly PendingBlock[]): Promise<void> {
    const level = sink.variable.gzipLevel;
    const payloads = level === undefined ? blocks.map((b) => b.bytes) : await Promise.all(blocks.map((b) => gzipAsync(b.bytes, { level })));
    for (const [i, block] of blocks.entries()) {
      const payload = payloads[i]!;
      const header = level === undefined ? valuesRecordHeader(payload.length) : compressedValuesRecordHeader(payload.length);
      await this.file.write([header, payload], this.position);
      sink.stored.push({ first: block.first, last: block.last, offset: this.position });
      this.position += header.length + payload.length;
    }
  }

  private async writeIndexes(): Promise<HeaderFields['states']> {
    const states = [];
    for (const sink of this.sinks.values()) {
      const index = buildVariableIndex(sink.stored, this.position);
      if (index.records.length > 0) await this.file.write(index.records, this.position);
      this.position = index.end;
      states.push({ maxRec: sink.recordCount - 1, vxrHead: index.head });
    }
    return states;
  }

  private buildHeader(eof: number, states: HeaderFields['states'] = []): Buffer {
    return buildHeader(this.plan, { ...this.header, eof, states });
  }
}

/** GDR LeapSecondLastUpdated: the date of the table's last leap second, as YYYYMMDD. */
export function lastLeapSecondDate(table: LeapSecondTable): number {
  const last = table.entries[table.entries.length - 1]!;
  return last.year * 10000 + last.month * 100 + last.day;
}

function checkCopyright(text: string, file: string): string {
  if (Buffer.byteLength(text, 'utf8') <= 256) return text;
  throw new CdfWriteError('invalid-definition', 'the copyright text holds at most 256 bytes', { file });
}
