import type { Request, Response } from 'express';
import type { z } from 'zod';
import { SdcError } from '../../errors/sdc-error.js';
import { findWindowByCycles } from '../../sitl/selection-windows.js';
import type { SitlService } from '../../sitl/sitl-service.js';
import type { SubmissionFile, SubmissionFileKind } from '../../sitl/submission-file.js';
import type { SubmissionOutcome } from '../../sitl/submission-service.js';
import { RESULT } from '../../sitl/validation-message.js';
import type { ApiContext } from '../api-context.js';
import { HttpRequestError } from '../http-errors.js';
import { declaredLength } from '../upload/accept-upload.js';
import { sitlSubmitter } from './sitl-access.js';
import { backStructureBody, selectionsBody } from './sitl-routes.js';

/** Largest submission file read (a day's selections structure is about 100 kB). */
const MAX_SUBMISSION_BYTES = 16 * 1024 ** 2;

/**
 * A SITL submission uploaded as a file through the legacy upload service (the SITL tools' own
 * format: selections for a window, or back-structure edits). The mission's adapter decodes it into
 * the JSON API's body; the same request schema, roles and validation rules apply. The tools show
 * the warnings and ask the SITL before they upload, so a file counts as confirmed and, from a
 * super-SITL, as overriding (`?confirm=false` or `?override=false` refuse instead). Answers the
 * outcome with its result code: 200 accepted or unchanged (the only success those clients know),
 * 422 refused, 400 a file that does not decode, 500 an SDC error.
 */
export async function acceptSubmissionFile(ctx: ApiContext, sitl: SitlService, req: Request, res: Response, name: string, kind: SubmissionFileKind): Promise<void> {
  const who = sitlSubmitter(res, kind === 'back-structure' ? 'super-sitl' : 'sitl');
  const length = declaredLength(req, Math.min(ctx.maxUploadBytes ?? MAX_SUBMISSION_BYTES, MAX_SUBMISSION_BYTES));
  const content = await readBody(req, length);
  const file = decode(sitl, kind, content, name);
  const ack = { confirm: flag(req.query.confirm, 'confirm'), override: flag(req.query.override, 'override') };
  let outcome: SubmissionOutcome;
  try {
    outcome = file.kind === 'selections' ? await submitSelections(ctx, sitl, who, file, name, ack) : await sitl.submissions.submitBackStructure(who, { ...parse(backStructureBody, file.body, name), ...ack });
  } catch (error) {
    if (error instanceof SdcError) throw error;
    ctx.logger.error('SITL file submission failed', { fileName: name, error: error instanceof Error ? error.stack : String(error) });
    res.status(500).json({ result: RESULT.sdcError, accepted: false, message: 'SDC error: the submission was not recorded; upload it again', messages: [] });
    return;
  }
  ctx.logger.info('SITL file submission', { fileName: name, user: who.user, result: outcome.result, submissionId: outcome.submissionId });
  res.status(outcome.result === RESULT.refused ? 422 : 200).json({ file: name, ...outcome });
}

async function submitSelections(ctx: ApiContext, sitl: SitlService, who: ReturnType<typeof sitlSubmitter>, file: Extract<SubmissionFile, { kind: 'selections' }>, name: string, ack: { confirm: boolean; override: boolean }): Promise<SubmissionOutcome> {
  const body = parse(selectionsBody, file.body, name);
  const window = await findWindowByCycles(ctx.db, ctx.mission.config.id, file.window, sitl.config.cycleSeconds);
  if (!window) throw new HttpRequestError('not-found', `${name}: no selection window starts at cycle ${file.window.cycleStart} with ${file.window.numCycles} cycles`);
  return sitl.submissions.submitSelections(who, { windowId: window.id, ...body, ...ack });
}

function decode(sitl: SitlService, kind: SubmissionFileKind, content: Buffer, name: string): SubmissionFile {
  if (!sitl.adapter.parseSubmissionFile) throw new HttpRequestError('invalid-request', `this mission takes no ${kind} files`);
  try {
    return sitl.adapter.parseSubmissionFile(kind, content, name);
  } catch (error) {
    throw new HttpRequestError('invalid-request', `${name} is not a valid SITL ${kind} file: ${(error as Error).message}`, { fileName: name });
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown, name: string): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new HttpRequestError('invalid-request', `${name}: ${result.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ')}`, { fileName: name });
}

function flag(value: unknown, name: string): boolean {
  if (value === undefined) return true;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new HttpRequestError('invalid-request', `${name} must be true or false, got '${String(value)}'`);
}

/** The body, exactly as long as declared (a shorter or longer body is refused). */
async function readBody(req: Request, length: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > length) throw new HttpRequestError('size-mismatch', `the body is longer than its Content-Length (${length})`);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof SdcError) throw error;
    throw new HttpRequestError('size-mismatch', `the upload was interrupted before its end: ${(error as Error).message}`);
  }
  if (size !== length) throw new HttpRequestError('size-mismatch', `the body has ${size} bytes, its Content-Length says ${length}`);
  return Buffer.concat(chunks);
}
