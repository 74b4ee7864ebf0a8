import type { KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/**
 * The worker's code, inline (`eval`) so that it runs the same from dist/, under tsx and under
 * vitest, none of which would load a separate TypeScript entry for a worker alike. It takes its
 * modules with `process.getBuiltinModule`, which works whether the source is evaluated as
 * CommonJS or, when the process was started with `--input-type=module`, as an ES module.
 * It receives UTF-8 texts and answers their base64 Ed25519 signatures, in order.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
const { sign } = process.getBuiltinModule('node:crypto');
parentPort.on('message', ({ id, texts }) => {
  try {
    parentPort.postMessage({ id, signatures: texts.map((t) => sign(null, Buffer.from(t, 'utf8'), workerData.key).toString('base64')) });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

interface Reply {
  id: number;
  signatures?: string[];
  error?: string;
}

interface Pending {
  resolve(signatures: string[]): void;
  reject(error: Error): void;
}

/** One signing thread and the requests it has not answered yet. */
class SigningThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** False once the thread has died (it is then replaced). */
  alive = true;

  constructor(key: KeyObject) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { key } });
    // Idle threads must not keep the process alive; a thread with work does (see `sign`).
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => this.settle(reply));
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => {
      this.alive = false;
      this.failAll(new Error(`the trace-signing thread exited (code ${code})`));
    });
  }

  sign(texts: string[]): Promise<string[]> {
    const id = this.nextId++;
    if (this.pending.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, texts });
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }

  private settle(reply: Reply): void {
    const request = this.pending.get(reply.id);
    if (!request) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.signatures) request.resolve(reply.signatures);
    else request.reject(new Error(`signing traces failed: ${reply.error}`));
  }

  private failAll(error: Error): void {
    for (const request of this.pending.values()) request.reject(error);
    this.pending.clear();
  }
}

/**
 * Ed25519 signing off the main thread: a batch of traces is split over a few worker threads.
 * Signing is CPU-bound (50-120 microseconds a signature here); on the main thread a batch of
 * 1,000 would stall the process (its API, its job consumers) for 50-120 ms, and could not
 * overlap the catalog writes of another batch.
 */
export class TraceSigningPool {
  private threads: SigningThread[] = [];

  constructor(
    private readonly key: KeyObject,
    private readonly size: number,
  ) {}

  /** The base64 signatures of `texts` (signed as UTF-8), in order. */
  async sign(texts: string[]): Promise<string[]> {
    if (texts.length === 0) return [];
    this.threads = Array.from({ length: this.size }, (_, i) => (this.threads[i]?.alive ? this.threads[i]! : new SigningThread(this.key)));
    const share = Math.ceil(texts.length / this.threads.length);
    const chunks = this.threads.map((_, i) => texts.slice(i * share, (i + 1) * share)).filter((c) => c.length > 0);
    const parts = await Promise.all(chunks.map((chunk, i) => this.threads[i]!.sign(chunk)));
    return parts.flat();
  }

  /** Ends the threads; a later `sign` starts new ones. */
  async close(): Promise<void> {
    const threads = this.threads;
    this.threads = [];
    await Promise.all(threads.map((t) => t.terminate()));
  }
}
