import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import type { SdcErrorCode } from '../../errors/sdc-error.js';
import { FileNameError } from '../../mission/file-name-error.js';
import type { ParsedFileName } from '../../mission/file-name-grammar.js';
import { principalOf } from '../access/auth-middleware.js';
import { realmOf } from '../access/realm.js';
import { uploadRefusal } from '../access/upload-permission.js';
import type { ApiContext } from '../api-context.js';
import { fileJson } from '../file-json.js';
import { ForbiddenError, HttpRequestError, HttpStatusError, statusOf, UnauthorizedError } from '../http-errors.js';

/** Largest upload accepted when the configuration sets none (5 GiB). */
export const DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 ** 3;

/**
 * Receives one uploaded file (`PUT /api/v1/files/:name`, the legacy `POST .../upload?file=`):
 * checks who sends it and its declared length before reading a byte, streams the body to a
 * temporary file, then ingests it like a drop with the declared `Content-Length` and optional
 * `X-Checksum-Sha256` checked: a truncated or altered upload is refused and kept in quarantine,
 * never catalogued. Answers `createdStatus` (201; the legacy clients only know 200) when
 * ingested, 200 for an identical duplicate, with the file's JSON.
 */
export async function acceptUpload(ctx: ApiContext, req: Request, res: Response, name: string, createdStatus = 201): Promise<void> {
  authorise(ctx, res, name);
  const length = declaredLength(req, ctx.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES);
  const sha256 = req.headers['x-checksum-sha256'];
  if (sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(String(sha256))) throw new HttpRequestError('invalid-request', 'X-Checksum-Sha256 must be 64 hexadecimal digits');
  await mkdir(ctx.uploadDir, { recursive: true });
  const temp = path.join(ctx.uploadDir, `${randomUUID()}.upload`);
  try {
    await receive(req, temp);
    const outcome = await ctx.ingest.ingest({ path: temp, name, source: 'upload', expected: { size: length, sha256: sha256 as string | undefined } });
    if (outcome.status === 'quarantined') {
      res.status(statusOf(outcome.code as SdcErrorCode)).json({ error: { code: outcome.code, message: outcome.reason, quarantineId: outcome.quarantineId } });
      return;
    }
    const principal = principalOf(res);
    ctx.logger.info('upload accepted', { fileName: name, status: outcome.status, user: principal.kind === 'team' ? principal.user : undefined });
    res.status(outcome.status === 'ingested' ? createdStatus : 200).json({ status: outcome.status, file: fileJson(outcome.file) });
  } finally {
    await rm(temp, { force: true });
  }
}

/** 401 without credentials, 403 without an allowing role; an invalid name is a 400 unless an operator sends it. */
function authorise(ctx: ApiContext, res: Response, name: string): void {
  const mission = ctx.mission.config;
  let parsed: ParsedFileName | FileNameError;
  try {
    parsed = ctx.mission.grammar.parse(name);
  } catch (error) {
    if (!(error instanceof FileNameError)) throw error;
    parsed = error;
  }
  const refusal = uploadRefusal(principalOf(res), mission, parsed instanceof FileNameError ? undefined : parsed);
  if (!refusal) return;
  if (refusal.status === 'unauthenticated') throw new UnauthorizedError('uploads need team credentials (HTTP Basic or a bearer token)', realmOf(mission));
  if (parsed instanceof FileNameError) throw parsed;
  throw new ForbiddenError(refusal.message);
}

/** The upload's Content-Length: 411 without one, 413 above `max`. */
export function declaredLength(req: Request, max: number): number {
  const header = req.headers['content-length'];
  if (header === undefined) throw new HttpStatusError(411, 'length-required', 'an upload needs a Content-Length header (chunked uploads are not accepted)');
  const length = Number(header);
  if (!/^\d+$/.test(header) || !Number.isSafeInteger(length)) throw new HttpRequestError('invalid-request', `Content-Length must be a byte count, got '${header}'`);
  if (length > max) throw new HttpStatusError(413, 'too-large', `the upload declares ${length} bytes; at most ${max} are accepted`);
  return length;
}

/** Writes the request body to a file; a client that disconnects early rejects (nothing kept). */
async function receive(req: NodeJS.ReadableStream, file: string): Promise<void> {
  try {
    await pipeline(req, createWriteStream(file));
  } catch (error) {
    throw new HttpRequestError('size-mismatch', `the upload was interrupted before its end: ${(error as Error).message}`);
  }
}
