import type { Readable } from 'node:stream';
import type { Response } from 'express';

/**
 * Streams a body into the response and resolves when either ends: a read error aborts the
 * response (the client sees a truncated transfer, never a wrong complete one); a client that
 * goes away stops the read.
 */
export function pipeToResponse(body: Readable, res: Response): Promise<void> {
  return new Promise<void>((resolve) => {
    body.on('error', (error) => {
      res.destroy(error);
      resolve();
    });
    res.on('close', () => {
      body.destroy();
      resolve();
    });
    body.pipe(res);
  });
}
