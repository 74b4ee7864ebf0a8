import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import type { ApiContext } from '../api-context.js';
import { fileJson } from '../file-json.js';
import { HttpRequestError, statusOf } from '../http-errors.js';
import type { SdcErrorCode } from '../../errors/sdc-error.js';

/**
 * `PUT /api/v1/files/:name`: uploads one file. The body is streamed to a temporary file, then
 * ingested like a drop, with the declared `Content-Length` and optional `X-Checksum-Sha256`
 * checked: a truncated or altered upload is refused and kept in quarantine, never catalogued.
 */
export function uploadRoute(ctx: ApiContext): Router {
  const router = Router();
  router.put('/:name', async (req, res) => {
    const name = req.params.name as string;
    const length = req.headers['content-length'];
    if (length === undefined) throw new HttpRequestError('invalid-request', 'an upload needs a Content-Length header');
    const sha256 = req.headers['x-checksum-sha256'];
    if (sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(String(sha256))) throw new HttpRequestError('invalid-request', 'X-Checksum-Sha256 must be 64 hexadecimal digits');
    await mkdir(ctx.uploadDir, { recursive: true });
    const temp = path.join(ctx.uploadDir, `${randomUUID()}.upload`);
    try {
      await receive(req, temp);
      const outcome = await ctx.ingest.ingest({ path: temp, name, source: 'upload', expected: { size: Number(length), sha256: sha256 as string | undefined } });
      if (outcome.status === 'quarantined') {
        res.status(statusOf(outcome.code as SdcErrorCode)).json({ error: { code: outcome.code, message: outcome.reason, quarantineId: outcome.quarantineId } });
        return;
      }
      res.status(outcome.status === 'ingested' ? 201 : 200).json({ status: outcome.status, file: fileJson(outcome.file) });
    } finally {
      await rm(temp, { force: true });
    }
  });
  return router;
}

/** Writes the request body to a file; a client that disconnects early rejects (nothing kept). */
async function receive(req: NodeJS.ReadableStream, file: string): Promise<void> {
  try {
    await pipeline(req, createWriteStream(file));
  } catch (error) {
    throw new HttpRequestError('size-mismatch', `the upload was interrupted before its end: ${(error as Error).message}`);
  }
}
