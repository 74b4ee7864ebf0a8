import type { Request, Response } from 'express';
import type { FileRow } from '../../catalog/catalog-schema.js';
import type { FileStore } from '../../store/file-store.js';
import { pipeToResponse } from './pipe-to-response.js';
import { parseRange, type ByteRange } from './byte-range.js';
import { sendReaderChunks } from './send-reader-chunks.js';

/**
 * Sends one catalogued file, streamed from the store: `ETag` is its sha256, `Last-Modified` its
 * ingest time, a checksum header (`Repr-Digest` and `X-Checksum-Sha256`) always; conditional
 * requests (`If-None-Match`, `If-Modified-Since`, `If-Range`) and one byte range are honoured.
 * Never compressed: clients save the raw body. A folder store's file is sent through reused
 * buffers with read-ahead (send-reader-chunks.ts), the rest as a piped stream.
 */
export async function sendStoredFile(req: Request, res: Response, store: FileStore, file: FileRow, visibility: 'public' | 'private'): Promise<void> {
  const etag = `"${file.sha256}"`;
  const modified = new Date(file.ingested_at);
  modified.setMilliseconds(0);
  res.set({
    'Content-Type': file.name.endsWith('.cdf') ? 'application/x-cdf' : 'application/octet-stream',
    'Content-Disposition': `attachment; filename="${file.name.replace(/["\\\r\n]/g, '_')}"`,
    ETag: etag,
    'Last-Modified': modified.toUTCString(),
    'Accept-Ranges': 'bytes',
    'Cache-Control': `${visibility}, max-age=0, must-revalidate`,
    'X-Checksum-Sha256': file.sha256,
    'Repr-Digest': `sha-256=:${Buffer.from(file.sha256, 'hex').toString('base64')}:`,
  });
  if (notModified(req, etag, modified)) {
    res.status(304).end();
    return;
  }
  const ifRange = req.headers['if-range'];
  const range = ifRange === undefined || ifRange === etag ? parseRange(req.headers.range, file.size) : undefined;
  if (range === 'unsatisfiable') {
    res.set('Content-Range', `bytes */${file.size}`).status(416).end();
    return;
  }
  if (range) res.status(206).set('Content-Range', `bytes ${range.start}-${range.end}/${file.size}`);
  res.set('Content-Length', String(range ? range.end - range.start + 1 : file.size));
  if (req.method === 'HEAD' || file.size === 0) {
    res.end();
    return;
  }
  await sendBody(res, store, file, range ?? { start: 0, end: file.size - 1 });
}

/** Positional reads into reused buffers where the store offers them (a folder), a read stream otherwise (S3). */
async function sendBody(res: Response, store: FileStore, file: FileRow, range: ByteRange): Promise<void> {
  if (!store.openReader) return pipeToResponse(await store.read(file.store_key, range), res);
  const reader = await store.openReader(file.store_key);
  await sendReaderChunks(reader, range, res);
}

function notModified(req: Request, etag: string, modified: Date): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) return ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === `W/${etag}` || tag.trim() === '*');
  const since = req.headers['if-modified-since'];
  if (since === undefined) return false;
  const time = Date.parse(since);
  return !Number.isNaN(time) && modified.getTime() <= time;
}
