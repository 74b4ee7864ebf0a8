import amqp from 'amqplib';
import type { ChannelModel, RecoveringChannelModel } from 'amqplib';
import type { Logger } from '../logging/logger.js';
import { BusUnavailableError } from './bus-errors.js';

/** How the bus reconnects after losing the broker. */
export interface ReconnectOptions {
  /** First delay before reconnecting, doubled on each failure (with jitter). Default 100 ms. */
  initialDelayMs?: number;
  /** Longest delay between reconnection attempts. Default 10 s. */
  maxDelayMs?: number;
  /** Failed attempts at start-up before giving up (an unreachable broker then fails fast). Default 5. */
  startupRetries?: number;
  /** Longest wait for one TCP connection to open. Default 5 s. */
  connectTimeoutMs?: number;
}

export interface AmqpConnectionOptions {
  url: string;
  reconnect?: ReconnectOptions;
  logger: Logger;
  /** Runs on each new connection before it is handed out; if it throws, the connection is dropped and retried. */
  onConnected(model: ChannelModel): Promise<void>;
}

interface Waiter {
  resolve(model: ChannelModel): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * One AMQP connection that comes back: amqplib's recovery reconnects with exponential
 * backoff after a loss, and `onConnected` rebuilds what lived on the old connection.
 * Callers wait for a live connection with a deadline instead of failing during a blip.
 */
export class AmqpConnection {
  private model: ChannelModel | undefined;
  private readonly waiters = new Set<Waiter>();
  private failure: Error | undefined;
  private closed = false;

  private constructor(
    private readonly recovering: RecoveringChannelModel,
    private readonly logger: Logger,
    readonly description: string,
  ) {}

  /** Connects, retrying `startupRetries` times; rejects with BusUnavailableError if the broker stays out of reach. */
  static async open(options: AmqpConnectionOptions): Promise<AmqpConnection> {
    const description = redactUrl(options.url);
    const reconnect = options.reconnect ?? {};
    let connection: AmqpConnection | undefined;
    const recovering = await amqp.connect(options.url, {
      timeout: reconnect.connectTimeoutMs ?? 5000,
      // Without it Nagle's algorithm holds small batches for the broker's delayed ACK (~40 ms per publish).
      noDelay: true,
      recovery: {
        initialDelay: reconnect.initialDelayMs ?? 100,
        maxDelay: reconnect.maxDelayMs ?? 10_000,
        initialMaxRetries: reconnect.startupRetries ?? 5,
        waitForConnect: false,
        setup: async (model: ChannelModel) => {
          // Registered first: an 'error' event without a listener would throw out of amqplib.
          model.on('error', (error: Error) => options.logger.warn('bus connection error', { error: error.message }));
          await options.onConnected(model);
          connection?.connected(model);
        },
      },
    });
    connection = new AmqpConnection(recovering, options.logger, description);
    connection.listen();
    try {
      await recovering.waitForConnect();
    } catch (error) {
      await recovering.close().catch(() => undefined);
      throw new BusUnavailableError(`cannot connect to the message broker at ${description}: ${(error as Error).message}`, { url: description }, { cause: error });
    }
    return connection;
  }

  /** The live connection, if any. */
  get current(): ChannelModel | undefined {
    return this.model;
  }

  /** The live connection, or the next one if it comes before `deadline` (epoch ms). */
  waitForModel(deadline: number): Promise<ChannelModel> {
    if (this.model) return Promise.resolve(this.model);
    if (this.closed || this.failure) return Promise.reject(this.unavailable());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new BusUnavailableError(`no connection to the message broker at ${this.description}; still reconnecting`, { url: this.description }));
        }, Math.max(0, deadline - Date.now())),
      };
      this.waiters.add(waiter);
    });
  }

  /** Stops reconnecting and closes the connection; waiting callers get BusUnavailableError. */
  async close(): Promise<void> {
    this.closed = true;
    this.model = undefined;
    this.rejectWaiters();
    await this.recovering.close();
  }

  private listen(): void {
    this.recovering.on('error', (error: Error) => this.logger.warn('bus connection error', { error: error.message }));
    this.recovering.on('disconnect', (error: Error) => {
      this.model = undefined;
      this.logger.warn('bus connection lost; reconnecting', { url: this.description, error: error.message });
    });
    this.recovering.on('reconnect-scheduled', ({ attempt, delay, error }: { attempt: number; delay: number; error: Error }) =>
      this.logger.info('bus reconnection scheduled', { url: this.description, attempt, delayMs: delay, error: error.message }),
    );
    this.recovering.on('reconnect-failed', (error: Error) => {
      this.failure = error;
      this.logger.error('bus gave up reconnecting', { url: this.description, error: error.message });
      this.rejectWaiters();
    });
  }

  private connected(model: ChannelModel): void {
    this.model = model;
    model.once('close', () => {
      if (this.model === model) this.model = undefined;
    });
    this.logger.info('bus connected', { url: this.description });
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve(model);
    }
    this.waiters.clear();
  }

  private rejectWaiters(): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(this.unavailable());
    }
    this.waiters.clear();
  }

  private unavailable(): BusUnavailableError {
    const why = this.closed ? 'the bus is closed' : `reconnecting gave up: ${this.failure?.message ?? 'unknown'}`;
    return new BusUnavailableError(`no connection to the message broker at ${this.description}; ${why}`, { url: this.description }, { cause: this.failure });
  }
}

/** `amqp://host:port/vhost` without credentials, for logs and `EventBus.description`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return 'amqp://(unparsable url)';
  }
}
