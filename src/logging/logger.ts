import winston from 'winston';

/** A logger that carries the ids of the work at hand (component, job, file, message) on every line. */
export type Logger = winston.Logger;

export interface LoggerOptions {
  level?: string;
  /** Where JSON lines go; defaults to stderr so that command output on stdout stays clean. */
  stream?: NodeJS.WritableStream;
  silent?: boolean;
}

/** Creates the root logger: JSON lines with a timestamp, written to stderr unless told otherwise. */
export function createRootLogger(options: LoggerOptions = {}): Logger {
  const transport = options.stream
    ? new winston.transports.Stream({ stream: options.stream })
    : new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] });
  return winston.createLogger({
    level: options.level ?? 'info',
    silent: options.silent ?? false,
    format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json()),
    transports: [transport],
  });
}

/** A child logger scoped to a component and any ids (jobId, fileId, messageId...). */
export function scopedLogger(parent: Logger, component: string, ids: Record<string, unknown> = {}): Logger {
  return parent.child({ component, ...ids });
}
